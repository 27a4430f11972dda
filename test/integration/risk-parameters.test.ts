import { backends } from '../helpers/backends';
import { untilCatalogVersion } from '../helpers/catalog';
import { code, pmAccount } from '../helpers/money';
import { startPeer } from '../helpers/test-app';
import { suiteTestApp } from '../helpers/suite';

const SET = `mutation($input: RiskParametersInput!) {
  setRiskParameters(input: $input) { bands { status above } eligibilityThresholdUsd maxWithdrawMmMultiple } }`;
const PARAMS = '{ riskParameters { bands { status above } eligibilityThresholdUsd maxWithdrawMmMultiple } }';
const RISK = '{ me { risk { uniMMR status usdt: maxWithdraw(asset: "USDT") } } }';

const REFERENCE_BANDS = [
  { status: 'NORMAL', above: '1.5' },
  { status: 'MARGIN_CALL', above: '1.3' },
  { status: 'SUPPLY_MARGIN', above: '1.2' },
  { status: 'REDUCE_ONLY', above: '1.05' },
  { status: 'FORCE_LIQUIDATION', above: '1' },
  { status: 'BANKRUPTED', above: null },
];

describe.each(backends())('risk parameters as data on $name', (backend) => {
  const suite = suiteTestApp(backend);

  const set = (input: Record<string, unknown>) =>
    suite.t.gql<{ setRiskParameters: unknown }>(SET, { input }, suite.op);

  it('serves the seeded bands publicly and the parameters to operators only', async () => {
    expect((await suite.t.gql('{ riskBands { status above } }')).data).toEqual({
      riskBands: REFERENCE_BANDS,
    });
    const a = await pmAccount(suite.t, { USDT: '200000' });
    expect(code(await suite.t.gql(PARAMS, {}, a.token))).toBe('FORBIDDEN');
    expect((await set({ maxWithdrawMmMultiple: '1.3' })).errors).toBeUndefined();
    expect(code(await suite.t.gql(SET, { input: { maxWithdrawMmMultiple: '1.3' } }, a.token))).toBe(
      'FORBIDDEN',
    );
    expect((await suite.t.gql(PARAMS, {}, suite.op)).data).toEqual({
      riskParameters: {
        bands: REFERENCE_BANDS,
        eligibilityThresholdUsd: '100000',
        maxWithdrawMmMultiple: '1.3',
      },
    });
    await set({ maxWithdrawMmMultiple: '1.2' });
  });

  it('refuses invalid parameters by the rule they break and leaves risk as it was', async () => {
    const a = await pmAccount(suite.t, { USDT: '200000' });
    const before = (await suite.t.gql(RISK, {}, a.token)).data;
    const version = (await suite.t.gql<{ catalogVersion: number }>('{ catalogVersion }')).data!
      .catalogVersion;
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ maxWithdrawMmMultiple: '1.01' }, /below REDUCE_ONLY's edge/],
      [{ bands: REFERENCE_BANDS.slice(1) }, /riskBands must list/],
      [
        { bands: REFERENCE_BANDS.map((b, i) => (i === 1 ? { ...b, above: '1.6' } : b)) },
        /thresholds must fall/,
      ],
      [{ bands: [...REFERENCE_BANDS].reverse() }, /must be NORMAL/],
      [{ eligibilityThresholdUsd: '-1' }, /minQualifyingBalanceUsd must be >= 0/],
      [{ maxWithdrawMmMultiple: '1.5x' }, /decimal string/],
    ];
    for (const [input, rule] of refusals) {
      const res = await set(input);
      expect(code(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(rule);
    }
    expect((await suite.t.gql(RISK, {}, a.token)).data).toEqual(before);
    expect((await suite.t.gql('{ catalogVersion }')).data).toEqual({ catalogVersion: version });
  });

  it('changes risk at once here and on another instance within the version check, without a restart', async () => {
    const peer = await startPeer(suite.t);
    try {
      const a = await pmAccount(suite.t, { USDT: '200000' });
      expect((await peer.gql(RISK, {}, a.token)).data).toMatchObject({ me: { risk: { status: 'NORMAL' } } });
      // With no position or loan uniMMR is unbounded; a strict NORMAL edge cannot change that, so move the
      // eligibility threshold and the multiple, which every instance must then agree on.
      const res = await set({ eligibilityThresholdUsd: '250000', maxWithdrawMmMultiple: '1.25' });
      expect(res.errors).toBeUndefined();
      const version = (await suite.t.gql<{ catalogVersion: number }>('{ catalogVersion }')).data!
        .catalogVersion;
      await untilCatalogVersion(peer.gql, version);
      const eligibility = '{ me { eligibility { requiredBalanceUsd } } }';
      expect((await peer.gql(eligibility, {}, a.token)).data).toEqual({
        me: { eligibility: { requiredBalanceUsd: '250000' } },
      });
      expect((await peer.gql(PARAMS, {}, suite.op)).data).toMatchObject({
        riskParameters: { maxWithdrawMmMultiple: '1.25', eligibilityThresholdUsd: '250000' },
      });
    } finally {
      await peer.stop();
      await set({ eligibilityThresholdUsd: '100000', maxWithdrawMmMultiple: '1.2' });
    }
  });
});
