/**
 * The in-memory baselines of the dashboard suite, each in its own process like the API: precomputed answers
 * of the dashboard query (file DASHBOARD_ANSWERS: bearer token -> the `me` object), served by Apollo Server 5
 * (DASHBOARD_SERVER=apollo) or by bare graphql-js on node:http (DASHBOARD_SERVER=bare), with a schema of the
 * dashboard's shape whose only resolver is one Map lookup. Prints `ready at <url>`.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

const typeDefs = `
  type Query { me: Account! }
  type Account { wallets: [Wallet!]! positions: [Position!]! risk: Risk! }
  type Wallet { type: String! balances: [Balance!]! }
  type Balance { asset: String! net: String! valueUsd: String! }
  type Position { symbol: String! unrealizedPnl: String! }
  type Risk { uniMMR: String status: String! accountEquity: String! }
`;

type Answers = Map<string, unknown>;

const bearer = (header: string | undefined): string => (header ?? '').replace(/^Bearer /, '');

async function apollo(answers: Answers): Promise<string> {
  const server = new ApolloServer<{ token: string }>({
    typeDefs,
    resolvers: { Query: { me: (_root, _args, ctx: { token: string }) => answers.get(ctx.token) } },
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ token: bearer(req.headers.authorization) }),
  });
  return url;
}

/** graphql-js with the parsed, validated document kept per query text, as any server would. */
async function bare(answers: Answers): Promise<string> {
  const schema: GraphQLSchema = buildSchema(typeDefs);
  const rootValue = { me: (_args: unknown, ctx: { token: string }) => answers.get(ctx.token) };
  const documents = new Map<string, DocumentNode>();
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const { query, variables } = JSON.parse(text) as { query: string; variables?: Record<string, unknown> };
      let document = documents.get(query);
      if (!document) {
        document = parse(query);
        const errors = validate(schema, document);
        if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
        documents.set(query, document);
      }
      void Promise.resolve(
        execute({
          schema,
          document,
          rootValue,
          variableValues: variables,
          contextValue: { token: bearer(req.headers.authorization) },
        }),
      ).then((result) => {
        const body = JSON.stringify(result);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function main(): Promise<void> {
  const answers: Answers = new Map(
    Object.entries(
      JSON.parse(readFileSync(process.env.DASHBOARD_ANSWERS!, 'utf8')) as Record<string, unknown>,
    ),
  );
  const url = process.env.DASHBOARD_SERVER === 'apollo' ? await apollo(answers) : await bare(answers);
  process.stdout.write(`ready at ${url}\n`);
}

void main();
