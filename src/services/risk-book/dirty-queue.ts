/**
 * The dirty set's order: a FIFO ring of account numbers. The book keeps each account in it at most once
 * (its dirty flag), so the ring never holds more entries than there are account numbers.
 */
export class DirtyQueue {
  private ring = new Int32Array(1024);
  private head = 0;
  size = 0;

  /** Room for `capacity` account numbers. */
  ensure(capacity: number): void {
    if (capacity <= this.ring.length) return;
    const ring = new Int32Array(capacity);
    for (let n = 0; n < this.size; n++) ring[n] = this.ring[(this.head + n) % this.ring.length];
    this.ring = ring;
    this.head = 0;
  }

  push(account: number): void {
    this.ring[(this.head + this.size) % this.ring.length] = account;
    this.size++;
  }

  shift(): number {
    const account = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return account;
  }
}
