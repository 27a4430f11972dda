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
  name: 'AccountMode',
  description:
    'CLASSIC: SPOT, CROSS_MARGIN, USDM_FUTURES, COINM_FUTURES. PORTFOLIO_MARGIN: SPOT and the unified wallet.',
});
registerEnumType(WalletType, { name: 'WalletType' });
registerEnumType(RiskStatus, {
  name: 'RiskStatus',
  description:
    'Band of uniMMR (defaults): NORMAL > 1.5 or no margin; MARGIN_CALL (1.3, 1.5]; SUPPLY_MARGIN (1.2, 1.3]; ' +
    'REDUCE_ONLY (1.05, 1.2]; FORCE_LIQUIDATION (1.0, 1.05]; BANKRUPTED <= 1.0.',
});
registerEnumType(ContractType, {
  name: 'ContractType',
  description: 'UM: USDⓈ-M linear; CM: COIN-M inverse.',
});
registerEnumType(Side, { name: 'Side' });
registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  description:
    'READ: queries and subscriptions of the own account; TRANSFER: also transfers, borrows, repays.',
});
