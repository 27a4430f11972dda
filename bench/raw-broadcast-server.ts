import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * The floor of P2, in a process of its own like the API server: a bare `ws` server that, on `POST /tick`
 * (`{"tick":k,"bytes":n}`), sends one message of n bytes carrying k to every connected client, serialised
 * once. No GraphQL, no risk, no per-client work but the send itself.
 */
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const { tick, bytes } = JSON.parse(body) as { tick: number; bytes: number };
    const head = `{"tick":${tick},"pad":"`;
    const message = `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
    for (const client of wss.clients) client.send(message);
    res.end('ok');
  });
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`ready at http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
});
