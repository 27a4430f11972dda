// Reads the account's risk over HTTP, then follows its uniMMR live with graphql-ws.
//   PM_TOKEN=<bearer token> [PM_URL=http://127.0.0.1:4000/graphql] [EVENTS=n] node examples/node-client.mjs
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.PM_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.PM_TOKEN;
const events = process.env.EVENTS ? Number(process.env.EVENTS) : Infinity;
if (!token) throw new Error('set PM_TOKEN (npm run -s token -- <accountId>)');

const RISK = 'uniMMR status accountEquity accountMaintMargin maxWithdrawUsd';

const res = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ query: `{ me { id mode risk { ${RISK} } } }` }),
});
const { data, errors } = await res.json();
if (errors) throw new Error(`${errors[0].extensions?.code}: ${errors[0].message}`);
console.log(`account ${data.me.id} (${data.me.mode}):`, data.me.risk);

const client = createClient({
  url: url.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  // Reconnect forever: every marginRatio subscription starts again with the current snapshot.
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

let received = 0;
await new Promise((resolve, reject) => {
  const stop = client.subscribe(
    { query: `subscription { marginRatio(minIntervalMs: 1000) { accountId risk { ${RISK} updatedAt } } }` },
    {
      next: ({ data: event, errors: failed }) => {
        if (failed) return reject(new Error(failed[0].message));
        const { risk } = event.marginRatio;
        console.log(`${risk.updatedAt} uniMMR ${risk.uniMMR ?? 'none'} ${risk.status}`);
        if (++received >= events) {
          stop();
          resolve();
        }
      },
      error: reject,
      complete: resolve,
    },
  );
});
await client.dispose();
