import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import WebSocket from 'ws';

/**
 * Where one subscription's events go when they are written straight out rather than handed to graphql-ws one
 * promise at a time: the graphql-ws `next` message, as graphql-ws itself would write it, on the operation's
 * socket. `ready` is called once the socket has taken the message, so a socket that drains slowly asks for its
 * next event later and its stream coalesces meanwhile, as with graphql-ws's own loop.
 */
export interface EventSink {
  write(result: ExecutionResult, ready: () => void): void;
}

/** Sinks by operation context: graphql-ws makes one context per operation, and passes only it on. */
const sinks = new WeakMap<object, EventSink>();

export function bindEventSink(context: object, sink: EventSink): void {
  sinks.set(context, sink);
}

export function eventSinkOf(context: unknown): EventSink | undefined {
  return typeof context === 'object' && context !== null ? sinks.get(context) : undefined;
}

/**
 * The sink of operation `id` on a graphql-ws socket. `format` is the server's `onNext` (it formats errors);
 * the message is `{"id":…,"type":"next","payload":…}`, key for key what graphql-ws's `emit.next` sends.
 */
export function socketEventSink(
  socket: WebSocket,
  id: string,
  format: (result: ExecutionResult) => FormattedExecutionResult | undefined,
): EventSink {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return {
    write(result, ready) {
      // A closing socket: graphql-ws ends the operation, which returns its stream.
      if (socket.readyState !== WebSocket.OPEN) return;
      const payload = result.errors ? (format(result) ?? result) : result;
      socket.send(`${head}${JSON.stringify(payload)}}`, (error) => {
        if (!error) ready();
      });
    },
  };
}
