import { MoreThan, type DataSource } from 'typeorm';
import { FillEntity, PositionEntity } from '../../entities';
import { formatDecimal, ZERO, type Decimal } from '../../lib/decimal';
import { Catalog } from '../catalog/catalog';
import { bookFill, type PositionInput } from '../margin';

const PAGE = 5000;

/**
 * Rebuilds every position from the fill journal (spec 4: positions can be rebuilt from it and audited):
 * each account's fills of a symbol, in the order they were booked, through `bookFill`, the code the real fill
 * runs. Each journal row must show what its replay gives (realised PnL, position after), and each stored
 * position must equal the last replayed one (quantity and entry price; a flat replay means no row).
 */
export async function auditPositions(ds: DataSource): Promise<{ fills: number; differences: string[] }> {
  const params = (await Catalog.load(ds)).riskParams;
  const replayed = new Map<string, PositionInput | null>();
  const differences: string[] = [];
  let fills = 0;
  let lastId = '0';
  for (;;) {
    const page = await ds
      .getRepository(FillEntity)
      .find({ where: { id: MoreThan(lastId) }, order: { id: 'ASC' }, take: PAGE });
    for (const f of page) {
      const key = `${f.accountId}|${f.symbol}`;
      const spec = params.symbols.get(f.symbol);
      const settle = spec && params.assets.get(spec.settle);
      if (!spec || !settle) {
        differences.push(`fill ${f.fillId} of account ${f.accountId}: unknown symbol ${f.symbol}`);
        continue;
      }
      const outcome = bookFill(replayed.get(key) ?? null, spec, f, settle.precision);
      replayed.set(key, outcome.position);
      const where = `account ${f.accountId} fill ${f.fillId} (${f.symbol})`;
      compare(differences, `${where} realizedPnl`, f.realizedPnl, outcome.realizedPnl);
      compare(
        differences,
        `${where} position quantity`,
        f.positionQuantity,
        outcome.position?.quantity ?? ZERO,
      );
      if (outcome.position)
        compare(
          differences,
          `${where} position entryPrice`,
          f.positionEntryPrice,
          outcome.position.entryPrice,
        );
    }
    fills += page.length;
    if (page.length < PAGE) break;
    lastId = page[page.length - 1].id;
  }

  const stored = await ds.getRepository(PositionEntity).find();
  for (const p of stored) {
    const key = `${p.accountId}|${p.symbol}`;
    const rebuilt = replayed.get(key) ?? null;
    replayed.delete(key);
    const where = `account ${p.accountId} position ${p.symbol}`;
    compare(differences, `${where} quantity`, p.quantity, rebuilt?.quantity ?? ZERO);
    if (rebuilt) compare(differences, `${where} entryPrice`, p.entryPrice, rebuilt.entryPrice);
  }
  for (const [key, rebuilt] of replayed) {
    if (rebuilt !== null)
      differences.push(
        `${key.replace('|', ' ')}: fills give ${formatDecimal(rebuilt.quantity)}, no position stored`,
      );
  }
  return { fills, differences };
}

function compare(differences: string[], what: string, stored: Decimal, rebuilt: Decimal): void {
  if (!stored.eq(rebuilt))
    differences.push(`${what}: stored ${formatDecimal(stored)}, fills give ${formatDecimal(rebuilt)}`);
}
