import { FillEntity } from '../../src/entities';
import { auditLedger } from '../../src/services/ledger/audit';
import { backends } from '../helpers/backends';
import { code, newKey, pmAccount } from '../helpers/money';
import { auditedTestApp } from '../helpers/suite';

const FILL_POSITION = `mutation($input: FillInput!) { applyFill(input: $input) {
  symbol quantity entryPrice markPrice notional unrealizedPnl maintenanceMarginUsd initialMarginUsd } }`;

/** Spec 4: a fill is the matching engine's fact; it books whatever prices are known, and is journaled. */
describe.each(backends())('fills always book, journaled, on $name', (backend) => {
  const suite = auditedTestApp(backend);

  /** Runs `work` with the BTCUSDT mark price unknown to the server, then restores it. */
  async function withoutMark<T>(work: () => Promise<T>): Promise<T> {
    const snapshot = suite.t.app.services.prices.snapshot;
    const held = snapshot.forget('BTCUSDT');
    try {
      return await work();
    } finally {
      if (held) snapshot.write([held]);
    }
  }

  it('books a fill without a mark price, journals it and answers at the fill price; a replay answers the same', async () => {
    const { t, op } = suite;
    const a = await pmAccount(t, { USDT: '10000' });
    const fill = (fillId: string, quantity: string, price: string) =>
      t.gql<{ applyFill: Record<string, string> }>(
        FILL_POSITION,
        { input: { fillId, accountId: a.id, symbol: 'BTCUSDT', side: 'BUY', quantity, price } },
        op,
      );
    const [first, second] = [newKey('f'), newKey('f')];
    const answers = await withoutMark(async () => {
      const booked = [
        await fill(first, '1', '90000'),
        await fill(second, '1', '91000'),
        await fill(second, '1', '91000'),
      ];
      // the account's risk does need the mark: only the fill books without it
      expect(code(await t.gql('{ me { risk { uniMMR } } }', {}, a.token))).toBe('PRICE_UNAVAILABLE');
      return booked;
    });
    // 1 @ 90,000 at mark = fill price: notional 90,000, MM 90,000 x 0.005 - 50 = 400, IM 90,000 / 10
    expect(answers[0].data!.applyFill).toEqual({
      symbol: 'BTCUSDT',
      quantity: '1',
      entryPrice: '90000',
      markPrice: '90000',
      notional: '90000',
      unrealizedPnl: '0',
      maintenanceMarginUsd: '400',
      initialMarginUsd: '9000',
    });
    // 2 @ 90,500, valued at the fill price 91,000: uPnL 2 x 500; MM 182,000 x 0.005 - 50 = 860
    expect(answers[1].data!.applyFill).toEqual({
      symbol: 'BTCUSDT',
      quantity: '2',
      entryPrice: '90500',
      markPrice: '91000',
      notional: '182000',
      unrealizedPnl: '1000',
      maintenanceMarginUsd: '860',
      initialMarginUsd: '18200',
    });
    expect(answers[2]).toEqual(answers[1]);

    const journal = await t.db.ds
      .getRepository(FillEntity)
      .find({ where: { accountId: a.id }, order: { id: 'ASC' } });
    expect(
      journal.map((f) => [
        f.fillId,
        f.side,
        f.quantity.toFixed(),
        f.price.toFixed(),
        f.positionQuantity.toFixed(),
        f.positionEntryPrice.toFixed(),
      ]),
    ).toEqual([
      [first, 'BUY', '1', '90000', '1', '90000'],
      [second, 'BUY', '1', '91000', '2', '90500'],
    ]);
    const report = await auditLedger(t.db.ds);
    expect(report.fills).toBeGreaterThanOrEqual(2);
    expect(report.differences).toEqual([]);
  });

  it('takes a fill that adds exposure when the prices to decide REDUCE_ONLY are missing', async () => {
    const { t, op } = suite;
    const a = await pmAccount(t, { USDT: '450' });
    const buy = (quantity: string) =>
      t.gql(
        FILL_POSITION,
        {
          input: {
            fillId: newKey('f'),
            accountId: a.id,
            symbol: 'BTCUSDT',
            side: 'BUY',
            quantity,
            price: '90000',
          },
        },
        op,
      );
    expect((await buy('1')).errors).toBeUndefined();
    // MM 400, accountEquity 450: uniMMR 1.125, REDUCE_ONLY
    expect(code(await buy('0.1'))).toBe('REDUCE_ONLY');
    const booked = await withoutMark(() => buy('0.1'));
    expect(booked.errors).toBeUndefined();
    expect((booked.data as { applyFill: { quantity: string } }).applyFill.quantity).toBe('1.1');
  });

  it('rebuilds each position from its fills and reports a position that disagrees', async () => {
    const { t, op } = suite;
    const a = await pmAccount(t, { USDT: '10000' });
    for (const [side, quantity, price] of [
      ['BUY', '0.3', '90000'],
      ['BUY', '0.2', '95000'],
      ['SELL', '0.4', '93000'],
    ])
      expect(
        (
          await t.gql(
            FILL_POSITION,
            { input: { fillId: newKey('f'), accountId: a.id, symbol: 'BTCUSDT', side, quantity, price } },
            op,
          )
        ).errors,
      ).toBeUndefined();
    const positions = t.db.ds.getRepository('position');
    await positions.update({ accountId: a.id }, { quantity: '0.2' });
    try {
      expect((await auditLedger(t.db.ds)).differences).toEqual([
        `account ${a.id} position BTCUSDT quantity: stored 0.2, fills give 0.1`,
      ]);
    } finally {
      await positions.update({ accountId: a.id }, { quantity: '0.1' });
    }
  });
});
