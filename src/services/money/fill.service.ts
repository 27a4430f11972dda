import type { DataSource } from 'typeorm';
import { FillEntity, PositionEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { ApiError, badInput } from '../../errors';
import { parseAmount, parsePrice } from '../../lib/amount';
import { formatDecimal, ONE, ZERO, type Decimal } from '../../lib/decimal';
import type { EventBus } from '../../pubsub';
import { EXTERNAL } from '../ledger/movements';
import { fitsMoneyColumn } from '../../entities/columns';
import {
  bookFill,
  isReduceOnlyOrWorse,
  notional,
  positionRisk,
  PriceUnavailableError,
  type PositionInput,
  type PositionRisk,
  type RiskStatus,
  type SymbolSpec,
} from '../margin';
import type { Catalog } from '../catalog/catalog';
import type { RiskService } from '../risk/risk.service';
import { loadAccountRows, type AccountRows } from './account-rows';
import { recordCodec } from './codecs';
import { runOperation } from './operation';
import { parseRowId } from '../../lib/row-id';

export interface FillRequest {
  fillId: string;
  accountId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  price: string;
  fee?: string | null;
}

/** The position after the fill (quantity 0 when closed). */
/**
 * The position after the fill with its margin at the prices of that moment (quantity 0 when closed). Stored
 * whole, so that a replay of the fill id answers exactly what the first call answered.
 */
export type FillResult = PositionRisk;
const fillCodec = recordCodec<FillResult>([
  'quantity',
  'entryPrice',
  'markPrice',
  'notional',
  'unrealizedPnl',
  'maintenanceMarginUsd',
  'initialMarginUsd',
]);

const FILL_ID = /^[A-Za-z0-9_.:-]{1,56}$/;
/** Fill ids share the account's key space; '/' never occurs in a client key, so they cannot collide. */
const fillKey = (fillId: string): string => `fill/${fillId}`;

/** Where realised PnL and fees land: the futures wallet in CLASSIC, the unified wallet in PM (spec section 4). */
function settleWallet(mode: string, contractType: 'UM' | 'CM'): WalletType {
  if (mode === 'PORTFOLIO_MARGIN') return 'PORTFOLIO_MARGIN';
  return contractType === 'UM' ? 'USDM_FUTURES' : 'COINM_FUTURES';
}

/** Fills from the trading engine (operator only), exactly once per fill id. */
export class FillService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly risk: RiskService,
  ) {}

  async applyFill(input: FillRequest): Promise<FillResult> {
    if (!FILL_ID.test(input.fillId))
      throw badInput('fillId must be 1-56 characters of [A-Za-z0-9_.:-]', 'fillId');
    parseRowId(input.accountId, 'accountId');
    const symbol = this.catalog.symbol(input.symbol);
    const settle = this.catalog.asset(symbol.settle);
    // UM quantities are base-asset amounts; CM quantities are whole contracts.
    const quantityPrecision = symbol.contractType === 'CM' ? 0 : this.catalog.asset(symbol.base).precision;
    const quantity = parseAmount(input.quantity, quantityPrecision, 'quantity');
    const price = parsePrice(input.price, 'price');
    const fee = parsePrice(input.fee ?? '0', 'fee', true);
    if (fee.decimalPlaces() > settle.precision)
      throw badInput(`fee has more than ${settle.precision} decimals`, 'fee');
    const spec = this.catalog.riskParams.symbols.get(symbol.symbol)!;

    return runOperation(this.ds, this.bus, {
      accountId: input.accountId,
      operation: 'fill',
      idempotencyKey: fillKey(input.fillId),
      request: {
        symbol: symbol.symbol,
        side: input.side,
        quantity: formatDecimal(quantity),
        price: formatDecimal(price),
        fee: formatDecimal(fee),
      },
      codec: fillCodec,
      execute: async (tx) => {
        const rows = await loadAccountRows(tx.em, tx.account.id);
        const held = rows.positions.find((p) => p.symbol === symbol.symbol) ?? null;
        const current = held && {
          symbol: held.symbol,
          quantity: held.quantity,
          entryPrice: held.entryPrice,
          leverage: held.leverage,
        };
        const outcome = bookFill(current, spec, { side: input.side, quantity, price, fee }, settle.precision);
        const next = outcome.position;
        const entryPrice = next ? next.entryPrice : price;
        const wallet = settleWallet(tx.account.mode, symbol.contractType);
        const settleRow = rows.balances.find((b) => b.wallet === wallet && b.asset === settle.symbol);
        const freeAfter = (settleRow?.free ?? ZERO).plus(outcome.realizedPnl).minus(fee);
        const outOfRange = [
          notional(spec, quantity, price),
          next ? notional(spec, next.quantity, price) : ZERO,
          outcome.realizedPnl,
          freeAfter,
        ].some((x) => !fitsMoneyColumn(x));
        if (outOfRange)
          throw badInput(
            'the fill would take its notional, realised PnL or the balance beyond what DECIMAL(36,18) holds (10^18)',
            'quantity',
          );
        // A fill is the matching engine's fact: only a known REDUCE_ONLY status refuses one (spec 4).
        if (tx.account.mode === 'PORTFOLIO_MARGIN' && outcome.increasesExposure) {
          const status = this.statusIfPriced(rows);
          if (status !== null && isReduceOnlyOrWorse(status)) {
            throw new ApiError(
              'REDUCE_ONLY',
              `The account is ${status}: only fills that reduce exposure are taken`,
            );
          }
        }

        await tx.write(async (em) => {
          if (!next) {
            if (held) await em.delete(PositionEntity, { id: held.id });
          } else if (held) {
            await em.update(
              PositionEntity,
              { id: held.id },
              { quantity: next.quantity, entryPrice, leverage: next.leverage, updatedAt: tx.at },
            );
          } else {
            await em.insert(PositionEntity, {
              accountId: tx.account.id,
              symbol: symbol.symbol,
              quantity: next.quantity,
              entryPrice,
              leverage: next.leverage,
              updatedAt: tx.at,
            });
          }
        });
        tx.positionsChanged = true;
        await tx.write((em) =>
          em.insert(FillEntity, {
            accountId: tx.account.id,
            fillId: input.fillId,
            symbol: symbol.symbol,
            side: input.side,
            quantity,
            price,
            fee,
            realizedPnl: outcome.realizedPnl,
            positionQuantity: next?.quantity ?? ZERO,
            positionEntryPrice: entryPrice,
            createdAt: tx.at,
          }),
        );

        const realized = outcome.realizedPnl;
        const reference = `fill:${input.fillId}`;
        await tx.post(
          'REALIZED_PNL',
          [
            { wallet, asset: settle.symbol, field: 'free', amount: realized },
            { wallet: EXTERNAL, asset: settle.symbol, field: 'free', amount: realized.neg() },
          ],
          undefined,
          reference,
        );
        await tx.post(
          'FEE',
          [
            { wallet, asset: settle.symbol, field: 'free', amount: fee.neg() },
            { wallet: EXTERNAL, asset: settle.symbol, field: 'free', amount: fee },
          ],
          undefined,
          reference,
        );
        const after = next ?? {
          symbol: symbol.symbol,
          quantity: ZERO,
          entryPrice: held?.entryPrice ?? price,
          leverage: held?.leverage ?? symbol.defaultLeverage,
        };
        return this.positionAfter(after, spec, price);
      },
    });
  }

  /** The account's status at current prices; null when a price it needs is missing (then it cannot refuse). */
  private statusIfPriced(rows: AccountRows): RiskStatus | null {
    try {
      return this.risk.risk(this.risk.portfolio(rows.balances, rows.positions)).status;
    } catch (error) {
      if (error instanceof PriceUnavailableError) return null;
      throw error;
    }
  }

  /**
   * The position as the fill's answer: at the mark price, or at the fill price when the mark is missing; USD
   * margins at the settle asset's index, or when that is missing at the contract's own scale (CM: the coin at
   * the mark used; UM: 1 USD per quote unit). Never PRICE_UNAVAILABLE: the fill is booked either way.
   */
  private positionAfter(position: PositionInput, spec: SymbolSpec, fillPrice: Decimal): PositionRisk {
    const book = this.risk.book();
    const markPrice = book.mark.get(spec.symbol) ?? fillPrice;
    const settleIndex = book.index.get(spec.settle) ?? (spec.contractType === 'CM' ? markPrice : ONE);
    return positionRisk(position, spec, markPrice, settleIndex);
  }
}
