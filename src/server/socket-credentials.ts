import type { WebSocket } from 'ws';
import type { Auth } from '../auth/viewer';
import { logger } from '../lib/logger';
import { onEachEvent, type EventBus } from '../pubsub';
import type { ApiKeyService } from '../services/api-keys/api-key.service';

/** graphql-ws's "Forbidden" close code, as for wrong credentials at connection_init. */
export const FORBIDDEN_CLOSE = 4403;
/** setTimeout's longest delay (about 24.8 days); a later expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Guarded {
  socket: WebSocket;
  expiresAt: number | null;
  keyId: string | null;
  timer: NodeJS.Timeout | null;
  closed: boolean;
}

/**
 * Credentials hold for the life of a graphql-ws socket, not just at connection_init: a socket is closed
 * with 4403 when its token expires (a timer at `exp`) and when its API key is revoked (the API_KEY_REVOKED
 * event reaches every instance over the bus). A periodic re-check (`recheckMs`, one query for all of this
 * instance's keys) is the backstop for a lost event. Nothing is checked per delivered event.
 */
export class SocketCredentials {
  private readonly guarded = new Map<WebSocket, Guarded>();
  /** Sockets closed for their credentials: a message still arriving on one is refused. */
  private readonly ended = new WeakSet<WebSocket>();
  private readonly log = logger.child({ component: 'socket-credentials' });
  private recheck: NodeJS.Timeout | null = null;
  private stopRevocations: (() => void) | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly apiKeys: ApiKeyService,
    private readonly recheckMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.stopRevocations = onEachEvent(this.bus, 'API_KEY_REVOKED', '*', 1024, ({ keyId }) =>
      this.closeWhere((g) => g.keyId === keyId, 'API key revoked'),
    );
    this.recheck = setInterval(
      () =>
        void this.checkAll().catch((err: unknown) => this.log.warn({ err }, 'credential re-check failed')),
      this.recheckMs,
    );
    this.recheck.unref();
  }

  stop(): void {
    this.stopRevocations?.();
    if (this.recheck) clearInterval(this.recheck);
    for (const g of this.guarded.values()) this.release(g);
  }

  /** Guards an accepted socket until it closes. */
  watch(socket: WebSocket, auth: Auth): void {
    const viewer = auth.viewer;
    if (!viewer) return;
    const g: Guarded = {
      socket,
      expiresAt: auth.expiresAt ?? null,
      keyId: viewer.kind === 'apiKey' ? viewer.keyId : null,
      timer: null,
      closed: false,
    };
    this.guarded.set(socket, g);
    socket.once('close', () => this.release(g));
    this.arm(g);
  }

  /** False (and the socket closed) when the socket's credentials no longer hold: refuse its operation. */
  allows(socket: WebSocket): boolean {
    if (this.ended.has(socket)) return false;
    const g = this.guarded.get(socket);
    if (!g) return true;
    if (g.expiresAt !== null && this.now() >= g.expiresAt) {
      this.close(g, 'Token expired');
      return false;
    }
    return true;
  }

  private arm(g: Guarded): void {
    if (g.expiresAt === null) return;
    const wait = g.expiresAt - this.now();
    g.timer = setTimeout(
      () => (this.now() >= g.expiresAt! ? this.close(g, 'Token expired') : this.arm(g)),
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    g.timer.unref();
  }

  private async checkAll(): Promise<void> {
    const now = this.now();
    this.closeWhere((g) => g.expiresAt !== null && now >= g.expiresAt, 'Token expired');
    const keyIds = new Set([...this.guarded.values()].flatMap((g) => (g.keyId ? [g.keyId] : [])));
    if (keyIds.size === 0) return;
    const revoked = await this.apiKeys.revokedAmong([...keyIds]);
    this.closeWhere((g) => g.keyId !== null && revoked.has(g.keyId), 'API key revoked');
  }

  private closeWhere(test: (g: Guarded) => boolean, reason: string): void {
    for (const g of this.guarded.values()) if (test(g)) this.close(g, reason);
  }

  private close(g: Guarded, reason: string): void {
    if (g.closed) return;
    this.release(g);
    this.ended.add(g.socket);
    this.log.info({ keyId: g.keyId, reason }, 'closing a socket whose credentials ended');
    g.socket.close(FORBIDDEN_CLOSE, `Forbidden: ${reason}`);
  }

  private release(g: Guarded): void {
    g.closed = true;
    if (g.timer) clearTimeout(g.timer);
    this.guarded.delete(g.socket);
  }
}
