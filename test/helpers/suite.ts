import { auditLedger } from '../../src/services/ledger/audit';
import type { Backend } from './backends';
import { startTestApp, type TestApp } from './test-app';

export interface SuiteApp {
  t: TestApp;
  /** An operator token. */
  op: string;
}

/**
 * One test app for the enclosing describe block: started before its tests, stopped after them, and the
 * ledger audit must find no difference after each test. Read the fields inside tests (set in beforeAll).
 */
export function auditedTestApp(backend: Backend): SuiteApp {
  const suite = {} as SuiteApp;
  beforeAll(async () => {
    suite.t = await startTestApp(backend);
    suite.op = await suite.t.operatorToken();
  });
  afterEach(async () => {
    expect((await auditLedger(suite.t.db.ds)).differences).toEqual([]);
  });
  afterAll(() => suite.t?.stop());
  return suite;
}
