import 'reflect-metadata';
import { startApp, type App } from './app';
import { ConfigError, loadConfig } from './config';
import { logger } from './lib/logger';
import { keepAliveOnUnhandledRejection } from './lib/process-guards';

/** `npm start`: the API on the configured database, with demo tokens printed in embedded mode. */
async function main(): Promise<void> {
  keepAliveOnUnhandledRejection();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(`Configuration error: ${error.message}`);
      return exitAfterLogs(2);
    }
    throw error;
  }
  if (config.devSecret) {
    logger.warn('JWT_SECRET is not set; using the built-in development secret. Never do this in production.');
  }
  const app = await startApp(config);
  logger.info(
    {
      database: config.databaseUrl ? 'MySQL/MariaDB' : `SQLite in ${config.dataDir}`,
      pubsub: config.redisUrl ? 'Redis' : 'in-process',
      priceFeed: config.priceFeed,
      livePage: new URL('/', app.server.url).href,
    },
    `Portfolio Margin API ready at ${app.server.url} (WebSocket ${app.server.wsUrl})`,
  );
  await printDemoTokens(app, config.devSecret);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: draining connections and stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** pino may still hold the last lines in its buffer: write them out before the process ends. */
function exitAfterLogs(code: number): void {
  logger.flush(() => process.exit(code));
}

/* eslint-disable no-console -- the start banner: tokens printed for the human who ran `npm start`, not logs */
async function printDemoTokens(app: App, devSecret: boolean): Promise<void> {
  const { tokens } = app.services;
  if (app.demoAccounts.length > 0) {
    console.log('\nDemo accounts (send as  Authorization: Bearer <token>):');
    for (const account of app.demoAccounts) {
      console.log(
        `  account ${account.id}: ${account.label}\n    ${await tokens.sign({ role: 'user', sub: account.id })}`,
      );
    }
  }
  if (devSecret) {
    console.log(`  operator:\n    ${await tokens.sign({ role: 'operator', sub: 'demo-operator' })}`);
    console.log(
      '\nA token for any account: npm run token -- <accountId>   (operator: npm run token -- --operator)',
    );
  }
}
/* eslint-enable no-console */

main().catch((error) => {
  logger.fatal({ err: error }, 'Failed to start');
  exitAfterLogs(1);
});
