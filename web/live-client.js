/**
 * A minimal graphql-transport-ws client (the protocol of graphql-ws): one socket, many subscriptions,
 * reconnects by itself with backoff (0.5 s doubling to 10 s) and subscribes again; every marginRatio
 * subscription starts with the current snapshot, so nothing needs replaying after a reconnect.
 */
export class LiveClient {
  /**
   * @param {string} url ws:// or wss:// URL of /graphql
   * @param {() => Record<string, unknown>} connectionParams the connection_init payload (credentials)
   * @param {(state: 'connecting' | 'live' | 'reconnecting' | 'closed') => void} onState
   */
  constructor(url, connectionParams, onState = () => {}) {
    this.url = url;
    this.connectionParams = connectionParams;
    this.onState = onState;
    this.subscriptions = new Map();
    this.nextId = 1;
    this.socket = null;
    this.acked = false;
    this.retryMs = 500;
    this.closed = false;
    this.connect();
  }

  connect() {
    this.onState(this.retryMs > 500 ? 'reconnecting' : 'connecting');
    const socket = new WebSocket(this.url, 'graphql-transport-ws');
    this.socket = socket;
    this.acked = false;
    socket.onopen = () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: this.connectionParams() }));
    socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      // 4403: wrong credentials; 4400: a malformed message. Retrying cannot help either.
      if (this.closed || event.code === 4403 || event.code === 4400) {
        this.onState('closed');
        for (const sub of this.subscriptions.values()) sub.error(new Error(`socket closed (${event.code})`));
        return;
      }
      this.onState('reconnecting');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  receive(message) {
    switch (message.type) {
      case 'connection_ack':
        this.acked = true;
        this.retryMs = 500;
        this.onState('live');
        for (const [id, sub] of this.subscriptions) this.sendSubscribe(id, sub);
        break;
      case 'ping':
        this.socket?.send(JSON.stringify({ type: 'pong' }));
        break;
      case 'next':
        this.subscriptions.get(message.id)?.next(message.payload);
        break;
      case 'error':
        this.subscriptions.get(message.id)?.error(message.payload);
        this.subscriptions.delete(message.id);
        break;
      case 'complete':
        this.subscriptions.delete(message.id);
        break;
    }
  }

  sendSubscribe(id, sub) {
    this.socket.send(
      JSON.stringify({ id, type: 'subscribe', payload: { query: sub.query, variables: sub.variables } }),
    );
  }

  /** Returns a function that ends the subscription. */
  subscribe(query, variables, next, error = () => {}) {
    const id = String(this.nextId++);
    const sub = { query, variables, next, error };
    this.subscriptions.set(id, sub);
    if (this.acked) this.sendSubscribe(id, sub);
    return () => {
      if (this.subscriptions.delete(id) && this.acked)
        this.socket?.send(JSON.stringify({ id, type: 'complete' }));
    };
  }

  close() {
    this.closed = true;
    this.subscriptions.clear();
    this.socket?.close(1000, 'bye');
  }
}
