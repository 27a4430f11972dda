import { registerEnumType } from 'type-graphql';

export enum AccountMode {
  CLASSIC = 'CLASSIC',
  PORTFOLIO_MARGIN = 'PORTFOLIO_MARGIN',
}
export enum WalletType {
  SPOT = 'SPOT',
  CROSS_MARGIN = 'CROSS_MARGIN',
  USDM_FUTURES = 'USDM_FUTURES',
  COINM_FUTURES = 'COINM_FUTURES',
  PORTFOLIO_MARGIN = 'PORTFOLIO_MARGIN',
}
export enum RiskStatus {
  NORMAL = 'NORMAL',
  MARGIN_CALL = 'MARGIN_CALL',
  SUPPLY_MARGIN = 'SUPPLY_MARGIN',
  REDUCE_ONLY = 'REDUCE_ONLY',
  FORCE_LIQUIDATION = 'FORCE_LIQUIDATION',
  BANKRUPTED = 'BANKRUPTED',
}
export enum ContractType {
  UM = 'UM',
  CM = 'CM',
}
export enum Side {
  BUY = 'BUY',
  SELL = 'SELL',
}
export enum ApiKeyScope {
  READ = 'READ',
  TRANSFER = 'TRANSFER',
}

registerEnumType(AccountMode, {
  valuesConfig: {
    CLASSIC: { description: 'Separate SPOT, CROSS_MARGIN, USDM_FUTURES and COINM_FUTURES wallets.' },
    PORTFOLIO_MARGIN: {
      description: 'SPOT and the unified PORTFOLIO_MARGIN wallet, risk measured by uniMMR.',
    },
  },
  name: 'AccountMode',
  description:
    'CLASSIC: SPOT, CROSS_MARGIN, USDM_FUTURES, COINM_FUTURES. PORTFOLIO_MARGIN: SPOT and the unified wallet.',
});
registerEnumType(WalletType, {
  valuesConfig: {
    SPOT: { description: 'Spot wallet (deposits and withdrawals go through it).' },
    CROSS_MARGIN: { description: 'CLASSIC: cross margin wallet.' },
    USDM_FUTURES: { description: 'CLASSIC: USDⓈ-M futures wallet (UM positions settle here).' },
    COINM_FUTURES: { description: 'CLASSIC: COIN-M futures wallet (CM positions settle here).' },
    PORTFOLIO_MARGIN: {
      description: 'PM: the unified wallet that replaces the three CLASSIC margin and futures wallets.',
    },
  },
  name: 'WalletType',
});
registerEnumType(RiskStatus, {
  valuesConfig: {
    NORMAL: { description: 'uniMMR > 1.5, or no maintenance margin: no restriction.' },
    MARGIN_CALL: { description: 'uniMMR in (1.3, 1.5]: alert.' },
    SUPPLY_MARGIN: { description: 'uniMMR in (1.2, 1.3]: alert again.' },
    REDUCE_ONLY: {
      description: 'uniMMR in (1.05, 1.2]: no transfer out of PM, no new loan, no exposure-increasing fill.',
    },
    FORCE_LIQUIDATION: { description: 'uniMMR in (1.0, 1.05]: as REDUCE_ONLY; liquidation.' },
    BANKRUPTED: { description: 'uniMMR <= 1.0: as REDUCE_ONLY.' },
  },
  name: 'RiskStatus',
  description:
    'Band of uniMMR (defaults): NORMAL > 1.5 or no margin; MARGIN_CALL (1.3, 1.5]; SUPPLY_MARGIN (1.2, 1.3]; ' +
    'REDUCE_ONLY (1.05, 1.2]; FORCE_LIQUIDATION (1.0, 1.05]; BANKRUPTED <= 1.0.',
});
registerEnumType(ContractType, {
  valuesConfig: {
    UM: { description: 'USDⓈ-M linear perpetual: quantity in the base asset, PnL in the quote asset.' },
    CM: { description: 'COIN-M inverse perpetual: quantity in contracts, PnL in the base coin.' },
  },
  name: 'ContractType',
  description: 'UM: USDⓈ-M linear; CM: COIN-M inverse.',
});
registerEnumType(Side, {
  valuesConfig: {
    BUY: { description: 'Buy: a long grows or a short shrinks.' },
    SELL: { description: 'Sell: a short grows or a long shrinks.' },
  },
  name: 'Side',
});
registerEnumType(ApiKeyScope, {
  valuesConfig: {
    READ: { description: 'Queries and subscriptions of the own account.' },
    TRANSFER: { description: 'Also transfer, borrow and repay.' },
  },
  name: 'ApiKeyScope',
  description:
    'READ: queries and subscriptions of the own account; TRANSFER: also transfers, borrows, repays.',
});
