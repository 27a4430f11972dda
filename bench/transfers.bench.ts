import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { TokenService } from '../src/auth/tokens';
import { openDataSource } from '../src/db/data-source';
import { createScratchDatabase } from '../src/db/scratch-database';
import { auditLedger } from '../src/services/ledger/audit';
import { CLIENTS, JWT_SECRET, post, startServer, stopChild } from './api-server';
import type { BenchSuite } from './lib';

const TRANSFER = `mutation($input: TransferInput!) { transfer(input: $input) { id } }`;

/** `perClient` transfers by each of 32 concurrent clients, each on its own account, alternating direction. */
async function runClients(
  perClient: number,
  transferOne: (client: number, i: number) => Promise<void>,
): Promise<number> {
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < perClient; i++) await transferOne(client, i);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (CLIENTS * perClient) / seconds;
}

async function viaApi(
  url: string,
  accounts: string[],
  tokens: string[],
  perClient: number,
  round: string,
): Promise<number> {
  return runClients(perClient, async (client, i) => {
    const res = await post(url, tokens[client], {
      query: TRANSFER,
      variables: {
        input: {
          asset: 'USDT',
          amount: '1.5',
          from: i % 2 === 0 ? 'SPOT' : 'CROSS_MARGIN',
          to: i % 2 === 0 ? 'CROSS_MARGIN' : 'SPOT',
          idempotencyKey: `bench-${round}-${accounts[client]}-${i}`,
        },
      },
    });
    const body = JSON.parse(res.body) as { errors?: unknown };
    if (res.status !== 200 || body.errors)
      throw new Error(`transfer failed: ${res.status} ${JSON.stringify(body.errors)}`);
  });
}

/**
 * The baseline: the same row work in hand-written mysql2 transactions (account row lock, idempotency lookup
 * and row, balance rows locked, two balance updates, two ledger rows, the transfer row), on the same tables.
 */
async function viaRawMysql(
  databaseUrl: string,
  accounts: string[],
  perClient: number,
  round: string,
): Promise<number> {
  const pool = mysql.createPool({
    uri: databaseUrl,
    connectionLimit: CLIENTS,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
  try {
    return await runClients(perClient, async (client, i) => {
      const accountId = accounts[client];
      const [from, to] = i % 2 === 0 ? ['SPOT', 'CROSS_MARGIN'] : ['CROSS_MARGIN', 'SPOT'];
      const key = `raw-${round}-${accountId}-${i}`;
      const now = new Date();
      const conn = await pool.getConnection();
      try {
        await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
        await conn.beginTransaction();
        await conn.execute('SELECT id FROM account WHERE id = ? FOR UPDATE', [accountId]);
        const [seen] = await conn.execute(
          'SELECT response FROM idempotency_record WHERE accountId = ? AND idempotencyKey = ?',
          [accountId, key],
        );
        if ((seen as unknown[]).length > 0) throw new Error('replay in baseline');
        const [rows] = await conn.execute(
          "SELECT id, wallet, free FROM wallet_balance WHERE accountId = ? AND asset = 'USDT' AND wallet IN (?, ?) FOR UPDATE",
          [accountId, from, to],
        );
        const byWallet = new Map(
          (rows as { id: string; wallet: string }[]).map((r) => [r.wallet, r.id] as const),
        );
        await conn.execute('UPDATE wallet_balance SET free = free - 1.5, updatedAt = ? WHERE id = ?', [
          now,
          byWallet.get(from)!,
        ]);
        await conn.execute('UPDATE wallet_balance SET free = free + 1.5, updatedAt = ? WHERE id = ?', [
          now,
          byWallet.get(to)!,
        ]);
        const [transfer] = await conn.execute(
          "INSERT INTO transfer (accountId, idempotencyKey, asset, amount, fromWallet, toWallet, createdAt) VALUES (?, ?, 'USDT', '1.5', ?, ?, ?)",
          [accountId, key, from, to, now],
        );
        const reference = `transfer:${(transfer as { insertId: number }).insertId}`;
        await conn.execute(
          "INSERT INTO ledger_entry (accountId, wallet, asset, field, amount, kind, reference, createdAt) VALUES (?, ?, 'USDT', 'free', '-1.5', 'TRANSFER', ?, ?), (?, ?, 'USDT', 'free', '1.5', 'TRANSFER', ?, ?)",
          [accountId, from, reference, now, accountId, to, reference, now],
        );
        await conn.execute(
          "INSERT INTO idempotency_record (accountId, idempotencyKey, operation, requestHash, response, createdAt) VALUES (?, ?, 'transfer', ?, '{}', ?)",
          [accountId, key, '0'.repeat(64), now],
        );
        await conn.commit();
      } catch (error) {
        await conn.rollback();
        throw error;
      } finally {
        conn.release();
      }
    });
  } finally {
    await pool.end();
  }
}

/**
 * Transfers per second through the whole API (HTTP, GraphQL, validation, idempotency, ledger) on MySQL with
 * 32 concurrent clients, beside raw mysql2 transactions doing the same row work, in the same run. Both leave
 * the ledger conserved; the audit must find no difference.
 */
export const transfersSuite: BenchSuite = {
  name: 'transfers (MySQL)',
  async run({ smoke }) {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      process.stderr.write('bench: transfers needs DATABASE_URL=mysql://... (skipped)\n');
      return [];
    }
    const perClient = smoke ? 4 : 150;
    const db = await createScratchDatabase(serverUrl, 'pm_bench');
    const ds = await openDataSource({ databaseUrl: db.url });
    const server = await startServer(db.url);
    try {
      const tokenService = new TokenService(JWT_SECRET);
      const op = await tokenService.sign({ role: 'operator', sub: 'bench' });
      const gql = async (query: string, variables: Record<string, unknown>, token = op) => {
        const res = await post(server.url, token, { query, variables });
        const body = JSON.parse(res.body) as { data: Record<string, { id: string }>; errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body;
      };
      const accounts: string[] = [];
      for (let i = 0; i < 2 * CLIENTS; i++) {
        const id = (await gql('mutation { createAccount { id } }', {})).data.createAccount.id;
        await gql(
          'mutation($a: ID!, $k: String!) { deposit(accountId: $a, asset: "USDT", amount: "1000000", idempotencyKey: $k) { free } }',
          { a: id, k: `seed-${id}` },
        );
        const token = await tokenService.sign({ role: 'user', sub: id });
        await gql(
          TRANSFER,
          {
            input: {
              asset: 'USDT',
              amount: '500000',
              from: 'SPOT',
              to: 'CROSS_MARGIN',
              idempotencyKey: `seed-t-${id}`,
            },
          },
          token,
        );
        accounts.push(id);
      }
      const apiAccounts = accounts.slice(0, CLIENTS);
      const rawAccounts = accounts.slice(CLIENTS);
      const tokens = await Promise.all(apiAccounts.map((id) => tokenService.sign({ role: 'user', sub: id })));

      await viaApi(server.url, apiAccounts, tokens, 2, 'warm');
      await viaRawMysql(db.url, rawAccounts, 2, 'warm');
      const api = await viaApi(server.url, apiAccounts, tokens, perClient, 'timed');
      const raw = await viaRawMysql(db.url, rawAccounts, perClient, 'timed');
      const audit = await auditLedger(ds);
      if (audit.differences.length > 0)
        throw new Error(`ledger not conserved: ${audit.differences.slice(0, 5).join('; ')}`);
      return [
        {
          case: `transfer via GraphQL API (server process), ${CLIENTS} clients x ${perClient}`,
          baseline: 'raw mysql2 transactions, same row work',
          opsPerSec: api,
          baselineOpsPerSec: raw,
          note: `ledger audit after both: ${audit.entries} entries, 0 differences`,
        },
      ];
    } finally {
      await stopChild(server);
      await ds.destroy();
      await db.drop();
    }
  },
};
