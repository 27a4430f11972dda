import net from 'node:net';
import { freePort } from './free-port';

/**
 * A TCP proxy of the test's own (Node `net`) on a free port of 127.0.0.1, in front of a server such as
 * MariaDB, so that a test can cut an app off its database and give it back:
 *
 * ```ts
 * const proxy = await startTcpProxy(targetOf(databaseUrl));
 * const app = await startApp({ ...config, databaseUrl: proxy.urlFor(databaseUrl) });
 * await proxy.close();      // every open connection is cut, new ones are refused (ECONNREFUSED)
 * await proxy.blackhole();  // or: open connections are cut, new ones are accepted and never answered
 * await proxy.reopen();     // connections go through again, on the same port
 * await proxy.stop();       // in afterAll
 * ```
 */
export interface TcpProxy {
  port: number;
  /** The same URL with host and port replaced by the proxy's (`mysql://root@127.0.0.1:<port>/db`). */
  urlFor(url: string): string;
  /** Connections currently forwarded. */
  openConnections(): number;
  /** Cuts every open connection and refuses new ones. */
  close(): Promise<void>;
  /** Cuts every open connection; new ones are accepted but never forwarded nor answered (a hung network). */
  blackhole(): Promise<void>;
  /** Forwards new connections again. */
  reopen(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProxyTarget {
  host: string;
  port: number;
}

/** Host and port of a `mysql://` or `redis://` URL. */
export function targetOf(url: string, defaultPort = 3306): ProxyTarget {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port ? Number(parsed.port) : defaultPort };
}

type Mode = 'open' | 'closed' | 'blackhole';

export async function startTcpProxy(target: ProxyTarget): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let mode: Mode = 'open';

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    if (mode === 'blackhole') return client.resume();
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const unlisten = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  await listen();
  return {
    port,
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    openConnections: () => sockets.size,
    async close() {
      mode = 'closed';
      const closing = unlisten();
      cutAll();
      await closing;
    },
    async blackhole() {
      mode = 'blackhole';
      cutAll();
      if (!server.listening) await listen();
    },
    async reopen() {
      mode = 'open';
      if (!server.listening) await listen();
    },
    async stop() {
      mode = 'closed';
      const closing = unlisten();
      cutAll();
      await closing;
    },
  };
}
