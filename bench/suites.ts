import { abuseSuite } from './abuse.bench';
import { dashboardSuite } from './dashboard.bench';
import { engineSuite } from './engine.bench';
import { livePushSuite } from './live-push.bench';
import { propagationSuite } from './propagation.bench';
import { riskBookSuite } from './risk-book.bench';
import { riskBookServingSuite } from './risk-book-serving.bench';
import { transfersSuite } from './transfers.bench';
import type { BenchSuite } from './lib';

/** Every suite `npm run bench` runs, in order. */
export const suites: BenchSuite[] = [
  engineSuite,
  riskBookSuite,
  riskBookServingSuite,
  livePushSuite,
  transfersSuite,
  dashboardSuite,
  propagationSuite,
  abuseSuite,
];
