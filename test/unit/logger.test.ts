import pino from 'pino';
import { inRequest, logger, requestIdFrom } from '../../src/lib/logger';

describe('logger', () => {
  it('stamps every line of a request with its id, even from code that was given no logger', async () => {
    const lines: string[] = [];
    const child = logger.child({});
    const write = (child as unknown as { [s: symbol]: { write(s: string): void } })[pino.symbols.streamSym];
    const original = write.write.bind(write);
    write.write = (s: string) => void lines.push(s);
    const level = logger.level;
    logger.level = 'info';
    try {
      await inRequest('req-1', async () => {
        await Promise.resolve();
        logger.info('deep inside');
      });
      logger.info('outside');
      logger.info({ authorization: 'Bearer x', nested: { apiKey: 'pm_secret', secret: 's' } }, 'secrets');
    } finally {
      write.write = original;
      logger.level = level;
    }
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ msg: 'deep inside', requestId: 'req-1' });
    expect(parsed[1].requestId).toBeUndefined();
    expect(parsed[2]).toMatchObject({
      authorization: '[redacted]',
      nested: { apiKey: '[redacted]', secret: '[redacted]' },
    });
    expect(lines[2]).not.toMatch(/pm_secret|Bearer x/);
  });

  it('takes a sane x-request-id from the client, else makes one', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    for (const bad of [null, '', 'a b', 'x'.repeat(65), '{"inject":1}'])
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
