import http from 'node:http';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  body: string;
}

/**
 * A POST whose body is sent as given (an oversized or malformed body, a batch). Resolves with the answer even
 * when the server answers before reading the whole body and closes the connection.
 */
export function rawPost(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    let answered = false;
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

/** A raw graphql-transport-ws socket, for messages the graphql-ws client would never send. */
export async function rawSocket(wsUrl: string): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

/** The close code and reason of the socket, once it closes. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

/** The next message of the socket, parsed. */
export function nextMessage<T = { type: string; id?: string; payload?: unknown }>(socket: WebSocket) {
  return new Promise<T>((resolve) =>
    socket.once('message', (data) => resolve(JSON.parse(String(data)) as T)),
  );
}
