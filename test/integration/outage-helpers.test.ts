import net from 'node:net';
import Redis from 'ioredis';
import mysql from 'mysql2/promise';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis';
import { startTcpProxy, targetOf, type TcpProxy } from '../helpers/tcp-proxy';

/** The outage helpers themselves: later suites rely on their kill/restart and close/reopen behaviour. */
describe('private redis-server', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(() => redis?.stop());

  it('runs on a port of its own, dies on kill and comes back on the same port', async () => {
    expect(redis.port).not.toBe(6379);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      expect(await client.ping()).toBe('PONG');
      await redis.kill();
      expect(redis.running()).toBe(false);
      await expect(client.ping()).rejects.toThrow();
      await redis.restart();
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('TCP proxy', () => {
  let redis: PrivateRedis;
  let proxy: TcpProxy;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    proxy = await startTcpProxy(targetOf(redis.url, 6379));
  });
  afterAll(async () => {
    await proxy?.stop();
    await redis?.stop();
  });

  it('forwards, cuts and refuses on close, forwards again on reopen', async () => {
    const client = new Redis(proxy.urlFor(redis.url), {
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    try {
      expect(await client.ping()).toBe('PONG');
      expect(proxy.openConnections()).toBeGreaterThan(0);
      const dropped = new Promise<void>((resolve) => client.once('close', () => resolve()));
      await proxy.close();
      await dropped;
      expect(await connects(proxy.port)).toBe(false);
      await proxy.reopen();
      expect(await connects(proxy.port)).toBe(true);
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  // Like the integration suites, the MariaDB case runs when DATABASE_URL is set (always in CI).
  const mysqlUrl = process.env.DATABASE_URL;
  if (mysqlUrl)
    it('puts MariaDB behind it', async () => {
      const mysqlProxy = await startTcpProxy(targetOf(mysqlUrl!));
      try {
        const connection = await mysql.createConnection(mysqlProxy.urlFor(mysqlUrl!));
        const [rows] = await connection.query('SELECT 1 AS one');
        expect(rows).toEqual([{ one: 1 }]);
        await mysqlProxy.close();
        await expect(connection.query('SELECT 1')).rejects.toThrow();
        await expect(mysql.createConnection(mysqlProxy.urlFor(mysqlUrl!))).rejects.toThrow(/ECONNREFUSED/);
        await mysqlProxy.reopen();
        const again = await mysql.createConnection(mysqlProxy.urlFor(mysqlUrl!));
        await again.end();
        connection.destroy();
      } finally {
        await mysqlProxy.stop();
      }
    });
});
