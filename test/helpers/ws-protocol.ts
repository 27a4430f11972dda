import WebSocket from 'ws';

export interface OperationHandlers {
  next(payload: { data?: unknown; errors?: unknown[] }, raw: string): void;
  error?(errors: unknown): void;
  complete?(): void;
}

/**
 * The graphql-transport-ws protocol spoken by hand over one `ws` socket: many operations on it, each completed
 * or abandoned at will, and the socket cut without a close handshake (`terminate`). Lighter than the
 * graphql-ws client, so that thousands of operations (leak tests) or sockets (benchmarks) cost the client little.
 */
export class ProtocolSocket {
  private readonly operations = new Map<string, OperationHandlers>();
  private ids = 0;
  /** Resolves with the close code when the socket closes. */
  readonly closed: Promise<number>;

  private constructor(private readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('message', (data) => this.receive(String(data)));
  }

  /** A socket past `connection_ack`; rejects if the server closes it instead. */
  static async open(wsUrl: string, connectionParams: Record<string, unknown> = {}): Promise<ProtocolSocket> {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const acked = new Promise<void>((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
        socket.off('message', onMessage);
        resolve();
      };
      socket.on('message', onMessage);
      socket.once('close', (code) => reject(new Error(`closed with ${code} before connection_ack`)));
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
    await acked;
    return new ProtocolSocket(socket);
  }

  /** Starts an operation; returns its id. Messages for it go to `handlers` until it completes. */
  subscribe(query: string, variables: Record<string, unknown>, handlers: OperationHandlers): string {
    const id = String(++this.ids);
    this.operations.set(id, handlers);
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    return id;
  }

  /** The client's `complete`: the server must release the operation; nothing more reaches its handlers. */
  complete(id: string): void {
    if (!this.operations.delete(id)) return;
    this.socket.send(JSON.stringify({ id, type: 'complete' }));
  }

  /** Operations not completed yet. */
  get open(): number {
    return this.operations.size;
  }

  /** Cuts the TCP connection without a close frame (a client that vanishes). */
  terminate(): Promise<number> {
    this.operations.clear();
    this.socket.terminate();
    return this.closed;
  }

  close(): Promise<number> {
    this.operations.clear();
    this.socket.close(1000);
    return this.closed;
  }

  private receive(raw: string): void {
    const message = JSON.parse(raw) as { type: string; id?: string; payload?: unknown };
    if (message.type === 'ping') return this.socket.send(JSON.stringify({ type: 'pong' }));
    const handlers = message.id === undefined ? undefined : this.operations.get(message.id);
    if (!handlers) return;
    if (message.type === 'next')
      handlers.next(message.payload as { data?: unknown; errors?: unknown[] }, raw);
    else if (message.type === 'error') {
      this.operations.delete(message.id!);
      handlers.error?.(message.payload);
    } else if (message.type === 'complete') {
      this.operations.delete(message.id!);
      handlers.complete?.();
    }
  }
}
