// The same with Apollo Client: a query over HTTP, the marginRatio subscription over graphql-ws.
//   PM_TOKEN=<bearer token> [PM_URL=http://127.0.0.1:4000/graphql] [EVENTS=n] node examples/apollo-client.mjs
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.PM_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.PM_TOKEN;
const events = process.env.EVENTS ? Number(process.env.EVENTS) : Infinity;
if (!token) throw new Error('set PM_TOKEN (npm run -s token -- <accountId>)');

const wsClient = createClient({
  url: url.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: Infinity,
  shouldRetry: () => true,
});
// Subscriptions over the socket, everything else over HTTP.
const link = ApolloLink.split(
  ({ operationType }) => operationType === 'subscription',
  new GraphQLWsLink(wsClient),
  new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } }),
);
const client = new ApolloClient({ link, cache: new InMemoryCache() });

const { data } = await client.query({
  query: gql`
    query Risk {
      me {
        id
        mode
        wallets {
          type
          totalValueUsd
        }
        risk {
          uniMMR
          status
          accountEquity
          accountMaintMargin
        }
      }
    }
  `,
});
console.log(
  `account ${data.me.id} (${data.me.mode}): uniMMR ${data.me.risk?.uniMMR} ${data.me.risk?.status}`,
);
for (const wallet of data.me.wallets) console.log(`  ${wallet.type}: ${wallet.totalValueUsd} USD`);

let received = 0;
await new Promise((resolve, reject) => {
  const subscription = client
    .subscribe({
      query: gql`
        subscription Live {
          marginRatio(minIntervalMs: 1000) {
            accountId
            risk {
              uniMMR
              status
              updatedAt
            }
          }
        }
      `,
    })
    .subscribe({
      next: ({ data: event, error }) => {
        if (error) return reject(error);
        const { risk } = event.marginRatio;
        console.log(`${risk.updatedAt} uniMMR ${risk.uniMMR ?? 'none'} ${risk.status}`);
        if (++received >= events) {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
});
client.stop();
await wsClient.dispose();
