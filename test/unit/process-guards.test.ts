import { spawnSync } from 'node:child_process';
import { assertNoUnhandledRejection } from '../helpers/main-process';

/**
 * In tests, Jest 30 itself fails the test or suite in which a promise rejection goes unhandled or an exception
 * is uncaught, and one that comes after a file's last hook crashes the run (exit 1; checked with Jest 30.5), so
 * any such bug in an app under test in-process is caught there. Here, the production side:
 * the server's guard logs the rejection and the process keeps running.
 */
describe('keepAliveOnUnhandledRejection', () => {
  it('logs an unhandled rejection and keeps the process alive', () => {
    const script = `
      require('@swc-node/register');
      const { keepAliveOnUnhandledRejection } = require('./src/lib/process-guards.ts');
      keepAliveOnUnhandledRejection();
      Promise.reject(new Error('nobody handles me'));
      setTimeout(() => process.stdout.write('still alive\\n'), 50);
    `;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: `${__dirname}/../..`,
      env: { ...process.env, LOG_LEVEL: 'error', JEST_WORKER_ID: '' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    // pino writes asynchronously: the two lines may come in either order.
    const lines = run.stdout.trim().split('\n');
    expect(lines).toContain('still alive');
    const logged = JSON.parse(lines.find((l) => l.startsWith('{'))!) as {
      msg: string;
      err: { message: string };
    };
    expect(logged.msg).toBe('unhandled promise rejection');
    expect(logged.err.message).toBe('nobody handles me');
    // Tests of server processes (startMain, crash.test.ts) fail on that line.
    expect(() => assertNoUnhandledRejection(run.stdout)).toThrow(/unhandled promise rejection/);
    expect(() => assertNoUnhandledRejection('still alive\n')).not.toThrow();
  });
});
