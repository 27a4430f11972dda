// Follows the account's ledger with graphql-ws from a saved cursor: first every entry after it, then live.
// The last entry id it printed is saved in CURSOR_FILE; run it again (after Ctrl-C, a crash, a deploy) and it
// goes on after that entry: nothing is missed, nothing is printed twice.
//   PM_TOKEN=<bearer token> [PM_URL=http://127.0.0.1:4000/graphql] [CURSOR_FILE=.pm-ledger-cursor] [EVENTS=n] \
//     node examples/ledger-catch-up.mjs
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.PM_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.PM_TOKEN;
const events = process.env.EVENTS ? Number(process.env.EVENTS) : Infinity;
const cursorFile = process.env.CURSOR_FILE ?? '.pm-ledger-cursor';
if (!token) throw new Error('set PM_TOKEN (npm run -s token -- <accountId>)');

// No saved cursor yet: "0" is before every entry, so the first run prints the whole ledger first.
let cursor = existsSync(cursorFile) ? readFileSync(cursorFile, 'utf8').trim() : '0';

const client = createClient({
  url: url.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

let received = 0;
await new Promise((resolve, reject) => {
  const stop = client.subscribe(
    {
      query: `subscription Ledger($after: String) {
        ledgerEntries(after: $after) { id createdAt wallet asset amount kind reference }
      }`,
      variables: { after: cursor },
    },
    {
      next: ({ data, errors }) => {
        if (errors) return reject(new Error(`${errors[0].extensions?.code}: ${errors[0].message}`));
        // Entries already on their way when it stopped are left for the next run.
        if (received >= events) return;
        const entry = data.ledgerEntries;
        // graphql-ws subscribes again after a reconnect with the variables it started with, so entries
        // up to the cursor come again: ids ascend, and those at or below the cursor are already done.
        if (BigInt(entry.id) <= BigInt(cursor)) return;
        const { id, createdAt, wallet, asset, amount, kind, reference } = entry;
        console.log(`ledger ${id} ${createdAt} ${wallet} ${asset} ${amount} ${kind} ${reference}`);
        cursor = id;
        writeFileSync(cursorFile, `${cursor}\n`);
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
