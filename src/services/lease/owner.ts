import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** A lease owner id: readable in the table or in Redis (which host, which process), unique per store. */
export function newOwnerId(): string {
  return `${os.hostname().slice(0, 40)}:${process.pid}:${randomUUID()}`;
}
