/**
 * `make(key)` computed once per key object and kept as long as the key lives (a WeakMap): what is derived from
 * an object that never changes, shared by everyone who reads that object.
 */
export function oncePer<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}
