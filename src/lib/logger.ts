import pino from 'pino';

/**
 * The one structured logger: JSON lines on stdout. `LOG_LEVEL` sets the level (default `info`, `silent` in
 * tests unless set). Request-scoped code logs through `logger.child({ requestId })`.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
  base: { service: 'portfolio-margin-api' },
  redact: {
    paths: ['authorization', 'apiKey', 'token', '*.authorization', '*.apiKey', '*.token'],
    censor: '[redacted]',
  },
});

export type Logger = typeof logger;
