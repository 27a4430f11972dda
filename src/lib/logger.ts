import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino from 'pino';

/** The request (HTTP request or graphql-ws operation) whose work is running, for every log line it causes. */
const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Credentials and secrets, wherever they sit in a logged object, are never written out. */
const SECRET_KEYS = [
  'authorization',
  'apiKey',
  'token',
  'secret',
  'password',
  'x-api-key',
  'connectionParams',
];

/**
 * The one structured logger: JSON lines on stdout. `LOG_LEVEL` sets the level (default `info`, `silent` in
 * tests unless set). A line written while a request runs carries its `requestId` (a mixin over
 * AsyncLocalStorage, so services deep down need no logger passed in).
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
  base: { service: 'portfolio-margin-api' },
  mixin: () => requestScope.getStore() ?? {},
  redact: {
    paths: SECRET_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`, `*.*["${k}"]`]),
    censor: '[redacted]',
  },
});

export type Logger = typeof logger;

const CLIENT_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A client's `x-request-id` when it is a sane token, else a fresh one. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Runs `work` as request `requestId`: every log line it causes carries the id. */
export function inRequest<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId }, work);
}
