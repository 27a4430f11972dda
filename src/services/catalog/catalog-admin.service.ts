import type { DataSource, EntityManager } from 'typeorm';
import { AssetEntity, CatalogVersionEntity, FuturesSymbolEntity, RiskParametersEntity } from '../../entities';
import type { StoredTier } from '../../entities/asset.entity';
import type { StoredBracket } from '../../entities/futures-symbol.entity';
import { forUpdate, sqlQuery } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import { badInput } from '../../errors';
import { parseParameter } from '../../lib/amount';
import { formatDecimal, type Decimal } from '../../lib/decimal';
import type { EventBus } from '../../pubsub';
import { bracketCums, InvalidRiskParamsError } from '../margin';
import { readCatalogRows, riskParamsOf, type Catalog, type CatalogRows } from './catalog';

export interface RiskParametersRequest {
  bands?: { status: string; above?: string | null }[] | null;
  eligibilityThresholdUsd?: string | null;
  maxWithdrawMmMultiple?: string | null;
}

interface TierRequest {
  floor: string;
  cap?: string | null;
}

export interface AssetRequest {
  symbol: string;
  precision: number;
  collateralTiers: (TierRequest & { rate: string })[];
  loanMMR: string;
  marginLeverage: number;
  hourlyInterestRate: string;
  borrowLimit: string;
  wallets?: string[] | null;
}

export interface SymbolRequest {
  symbol: string;
  contractType: 'UM' | 'CM';
  base: string;
  settle: string;
  faceValueUsd?: string | null;
  defaultLeverage: number;
  brackets: (TierRequest & { mmr: string; maxLeverage: number })[];
}

const SYMBOL = /^[A-Z0-9_]{1,20}$/;

/** A parameter normalised to its plain decimal spelling (the stored and validated form). */
const param = (raw: string, field: string): string => formatDecimal(parseParameter(raw, field));
const optionalDecimal = (raw: string | null | undefined, field: string): Decimal | null =>
  raw === null || raw === undefined ? null : parseParameter(raw, field);
const optionalParam = (raw: string | null | undefined, field: string): string | null =>
  raw === null || raw === undefined ? null : param(raw, field);

function checkName(symbol: string, field: string): void {
  if (typeof symbol !== 'string' || !SYMBOL.test(symbol))
    throw badInput(`${field} must be 1-20 characters of [A-Z0-9_]`, field);
}

function immutable<T>(field: string, stored: T, given: T): void {
  if (stored !== given) throw badInput(`${field} of an existing entry cannot change`, field);
}

/**
 * Operators change the catalogue and the risk parameters. Each change runs in one transaction under the
 * catalogue version's row lock: the candidate catalogue (every row as it would be) passes the parameter
 * invariants before anything is written, the version rises with the write, and after commit every instance
 * hears of it (bus event; CatalogSync polls the version as a backstop) and reloads.
 */
export class CatalogAdminService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
  ) {}

  async setRiskParameters(input: RiskParametersRequest): Promise<RiskParametersEntity> {
    const bands = input.bands?.map((b, i) => ({
      status: b.status,
      above: optionalParam(b.above, `bands[${i}].above`),
    }));
    const threshold = optionalDecimal(input.eligibilityThresholdUsd, 'eligibilityThresholdUsd');
    const multiple = optionalDecimal(input.maxWithdrawMmMultiple, 'maxWithdrawMmMultiple');
    return this.change(async (rows) => {
      // Omitted fields stay as they are.
      const parameters = Object.assign(new RiskParametersEntity(), rows.parameters, {
        ...(bands ? { bands } : {}),
        ...(threshold ? { eligibilityThresholdUsd: threshold } : {}),
        ...(multiple ? { maxWithdrawMmMultiple: multiple } : {}),
      });
      return {
        candidate: { ...rows, parameters },
        write: async (em) => {
          await em.save(parameters);
          return parameters;
        },
      };
    });
  }

  async upsertAsset(input: AssetRequest): Promise<AssetEntity> {
    checkName(input.symbol, 'symbol');
    const tiers: StoredTier[] = input.collateralTiers.map((t, i) => ({
      floor: param(t.floor, `collateralTiers[${i}].floor`),
      cap: optionalParam(t.cap, `collateralTiers[${i}].cap`),
      rate: param(t.rate, `collateralTiers[${i}].rate`),
    }));
    const fields = {
      collateralTiers: tiers,
      loanMMR: parseParameter(input.loanMMR, 'loanMMR'),
      marginLeverage: input.marginLeverage,
      hourlyInterestRate: parseParameter(input.hourlyInterestRate, 'hourlyInterestRate'),
      borrowLimit: parseParameter(input.borrowLimit, 'borrowLimit'),
    };
    return this.change(async (rows) => {
      const existing = rows.assets.find((a) => a.symbol === input.symbol);
      if (existing) immutable('precision', existing.precision, input.precision);
      const asset = Object.assign(new AssetEntity(), {
        symbol: input.symbol,
        precision: input.precision,
        sortOrder: existing?.sortOrder ?? Math.max(-1, ...rows.assets.map((a) => a.sortOrder)) + 1,
        wallets: input.wallets ?? existing?.wallets ?? null,
        ...fields,
      });
      const assets = existing
        ? rows.assets.map((a) => (a === existing ? asset : a))
        : [...rows.assets, asset];
      return {
        candidate: { ...rows, assets },
        write: async (em) => {
          await em.save(asset);
          return asset;
        },
      };
    });
  }

  async upsertSymbol(input: SymbolRequest): Promise<FuturesSymbolEntity> {
    checkName(input.symbol, 'symbol');
    const parsed = input.brackets.map((b, i) => ({
      floor: parseParameter(b.floor, `brackets[${i}].floor`),
      cap: optionalParam(b.cap, `brackets[${i}].cap`),
      mmr: parseParameter(b.mmr, `brackets[${i}].mmr`),
      maxLeverage: b.maxLeverage,
    }));
    const cums = bracketCums(parsed);
    const brackets: StoredBracket[] = parsed.map((b, i) => ({
      floor: formatDecimal(b.floor),
      cap: b.cap,
      mmr: formatDecimal(b.mmr),
      cum: formatDecimal(cums[i]),
      maxLeverage: b.maxLeverage,
    }));
    const faceValueUsd =
      input.contractType === 'CM' && input.faceValueUsd
        ? parseParameter(input.faceValueUsd, 'faceValueUsd')
        : null;
    return this.change(async (rows) => {
      const existing = rows.symbols.find((s) => s.symbol === input.symbol);
      if (existing) {
        immutable('contractType', existing.contractType, input.contractType);
        immutable('base', existing.base, input.base);
        immutable('settle', existing.settle, input.settle);
      }
      const symbol = Object.assign(new FuturesSymbolEntity(), {
        symbol: input.symbol,
        contractType: input.contractType,
        base: input.base,
        settle: input.settle,
        faceValueUsd,
        defaultLeverage: input.defaultLeverage,
        brackets,
        sortOrder: existing?.sortOrder ?? Math.max(-1, ...rows.symbols.map((s) => s.sortOrder)) + 1,
      });
      const symbols = existing
        ? rows.symbols.map((s) => (s === existing ? symbol : s))
        : [...rows.symbols, symbol];
      return {
        candidate: { ...rows, symbols },
        write: async (em) => {
          await em.save(symbol);
          return symbol;
        },
      };
    });
  }

  private async change<T>(
    plan: (rows: CatalogRows) => Promise<{
      candidate: CatalogRows;
      write: (em: EntityManager) => Promise<T>;
    }>,
  ): Promise<T> {
    const { result, version } = await inTransaction(this.ds, async (em) => {
      await sqlQuery(em, 'SELECT version FROM catalog_version WHERE id = 1' + forUpdate(em), []);
      const rows = await readCatalogRows(em);
      const { candidate, write } = await plan(rows);
      try {
        riskParamsOf(candidate, this.catalog.reference);
      } catch (error) {
        if (error instanceof InvalidRiskParamsError) throw badInput(error.message);
        throw error;
      }
      const written = await write(em);
      const next = rows.version + 1;
      await em.update(CatalogVersionEntity, { id: 1 }, { version: next, updatedAt: new Date() });
      return { result: written, version: next };
    });
    this.bus.publish('CATALOG_CHANGED', '*', { version });
    await this.catalog.refresh(this.ds);
    return result;
  }
}
