import { auditLedger } from '../../src/services/ledger/audit';
import type { Backend } from './backends';
import { startTestApp, type TestApp } from './test-app';

export interface SuiteApp {
  t: TestApp;
  /** An operator token. */
  op: string;
}

/**
 * One test app and an operator token for the enclosing describe block: started before its tests, stopped
 * after them. Read the fields inside tests (set in beforeAll).
 */
export function suiteTestApp(backend: Backend): SuiteApp {
  const suite = {} as SuiteApp;
  beforeAll(async () => {
    suite.t = await startTestApp(backend);
    suite.op = await suite.t.operatorToken();
  });
  afterAll(() => suite.t?.stop());
  return suite;
}

/** As suiteTestApp, and the ledger audit must find no difference after each test. */
export function auditedTestApp(backend: Backend): SuiteApp {
  const suite = suiteTestApp(backend);
  afterEach(async () => {
    expect((await auditLedger(suite.t.db.ds)).differences).toEqual([]);
  });
  return suite;
}
