import { AccountEntity } from '../../src/entities';
import { backends } from '../helpers/backends';
import { applyFill, code, pmAccount, publishPrices } from '../helpers/money';
import { subscribe } from '../helpers/test-app';
import { suiteTestApp } from '../helpers/suite';

const SET = 'mutation($level: Decimal) { setMarginCallLevel(level: $level) { id marginCallLevel } }';
const ALERT = 'subscription { marginCallAlert { accountId risk { uniMMR } } }';
const RATIO = 'subscription { marginRatio { risk { uniMMR } } }';

type Alert = { marginCallAlert: { accountId: string; risk: { uniMMR: string } } };
type Ratio = { marginRatio: { risk: { uniMMR: string } } };

describe.each(backends())('margin-call level on $name', (backend) => {
  const suite = suiteTestApp(backend);

  it('is set from 1.1 to 2.0 by the account holder, and null clears it', async () => {
    const a = await pmAccount(suite.t, { USDT: '1000' });
    expect(code(await suite.t.gql(SET, { level: '1.09' }, a.token))).toBe('BAD_USER_INPUT');
    expect(code(await suite.t.gql(SET, { level: '2.01' }, a.token))).toBe('BAD_USER_INPUT');
    expect(code(await suite.t.gql(SET, { level: 'x' }, a.token))).toBe('BAD_USER_INPUT');
    expect(code(await suite.t.gql(SET, { level: '1.5' }, suite.op))).toBe('FORBIDDEN');
    expect((await suite.t.gql(SET, { level: '2.0' }, a.token)).data).toEqual({
      setMarginCallLevel: { id: a.id, marginCallLevel: '2' },
    });
    expect((await suite.t.gql('{ me { marginCallLevel } }', {}, a.token)).data).toEqual({
      me: { marginCallLevel: '2' },
    });
    expect((await suite.t.gql(SET, { level: null }, a.token)).data).toEqual({
      setMarginCallLevel: { id: a.id, marginCallLevel: null },
    });
  });

  it('fires once when a price crosses the level, not again while below, again after a recovery', async () => {
    const a = await pmAccount(suite.t, { USDT: '1000' });
    await publishPrices(suite.t, suite.op, { BTCUSDT: '90000' });
    // 1 BTC long at 90000: MM = 90000 x 0.005 - 50 = 400, uniMMR = 1000 / 400 = 2.5.
    await applyFill(suite.t, suite.op, a.id, 'BTCUSDT', 'BUY', '1', '90000');
    expect((await suite.t.gql(SET, { level: '1.5' }, a.token)).errors).toBeUndefined();

    const client = suite.t.wsClient({ authorization: `Bearer ${a.token}` });
    const ratio = subscribe<Ratio>(client, RATIO);
    const alerts = subscribe<Alert>(client, ALERT);
    expect((await ratio.next()).marginRatio.risk.uniMMR).toBe('2.5');
    const move = async (price: string) => {
      await publishPrices(suite.t, suite.op, { BTCUSDT: price });
      return (await ratio.next()).marginRatio.risk.uniMMR;
    };

    expect(await move('89600')).toMatch(/^1\.507/); // equity 1000 - 400 over MM 89600 x 0.005 - 50: still above
    expect(await move('89500')).toMatch(/^1\.257/); // crossed
    const first = await alerts.next();
    expect(first.marginCallAlert).toEqual({
      accountId: a.id,
      risk: { uniMMR: expect.stringMatching(/^1\.257/) },
    });
    const stored = await suite.t.db.ds.getRepository(AccountEntity).findOneByOrFail({ id: a.id });
    expect(stored.marginCallFired).toBe(true);

    expect(await move('89400')).toMatch(/^1\.0075/); // still below: no alert
    expect(await move('90000')).toBe('2.5'); // recovered: re-armed
    expect(await move('89450')).toMatch(/^1\.1327/); // below again: the second alert
    const second = await alerts.next();
    expect(second.marginCallAlert.risk.uniMMR).toMatch(/^1\.1327/);
    ratio.close();
    alerts.close();
  });
});
