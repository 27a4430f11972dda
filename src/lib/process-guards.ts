import { logger } from './logger';

let rejections = 0;

/**
 * A promise rejected with nobody to handle it is a bug to log, not a reason to stop serving every other
 * client: Node 20 would exit the process. The server installs this once at start.
 */
export function keepAliveOnUnhandledRejection(): void {
  process.on('unhandledRejection', (reason) => {
    rejections++;
    logger.error({ err: reason, unhandledRejections: rejections }, 'unhandled promise rejection');
  });
}

/** Unhandled rejections since start (for metrics). */
export const unhandledRejections = (): number => rejections;
