import 'reflect-metadata';
import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { keepAliveOnUnhandledRejection } from './lib/process-guards';

/** `npm start`: the API on the configured database, with demo tokens printed in embedded mode. */
async function main(): Promise<void> {
  keepAliveOnUnhandledRejection();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  if (config.devSecret) {
    console.warn(
      'WARNING: JWT_SECRET is not set; using the built-in development secret. Never do this in production.',
    );
  }
  const app = await startApp(config);
  const { tokens } = app.services;
  console.log(`Portfolio Margin API ready at ${app.server.url} (WebSocket ${app.server.wsUrl})`);
  console.log(`Live page: ${new URL('/', app.server.url).href}`);
  console.log(
    `database: ${config.databaseUrl ? 'MySQL/MariaDB' : `SQLite in ${config.dataDir}`}; pub/sub: ${config.redisUrl ? 'Redis' : 'in-process'}; price feed: ${config.priceFeed}`,
  );
  if (app.demoAccounts.length > 0) {
    console.log('\nDemo accounts (send as  Authorization: Bearer <token>):');
    for (const account of app.demoAccounts) {
      console.log(
        `  account ${account.id}: ${account.label}\n    ${await tokens.sign({ role: 'user', sub: account.id })}`,
      );
    }
  }
  if (config.devSecret) {
    console.log(`  operator:\n    ${await tokens.sign({ role: 'operator', sub: 'demo-operator' })}`);
    console.log(
      '\nA token for any account: npm run token -- <accountId>   (operator: npm run token -- --operator)',
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining connections and stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
