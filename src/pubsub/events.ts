/** Every event on the bus, by topic. Decimals travel as strings, dates as ISO strings. */
export interface Events {
  /** id = the price's symbol. */
  PRICE: { symbol: string; price: string; updatedAt: string };
  /** id = '*': one event per published batch, for the risk push and other instances' price caches. */
  PRICE_BATCH: { prices: { symbol: string; price: string; updatedAt: string }[] };
  /** id = account id: a committed change of the account's balances, positions or mode. */
  ACCOUNT_CHANGED: { accountId: string; wallets: string[]; reason: string };
  /** id = '*': the catalogue (assets, symbols, risk parameters) reached `version`; instances reload. */
  CATALOG_CHANGED: { version: number };
  /** id = '*': an API key was revoked; every instance closes the sockets it opened. */
  API_KEY_REVOKED: { keyId: string; accountId: string };
  /** id = account id: uniMMR fell to or below the account's marginCallLevel (announced once per crossing). */
  MARGIN_CALL: { accountId: string };
  /**
   * id = account id, and again '*': a risk status transition of a Portfolio Margin account, decided, persisted
   * and announced once by the owner of the account's shard, with the exact inputs it was decided on.
   */
  RISK_STATUS: RiskStatusEvent;
  /**
   * id = '*': a shard owner's accounts with the lowest uniMMR (float, ascending), every second, so that any
   * instance can answer atRiskAccounts for shards it does not own.
   */
  AT_RISK: { shard: number; accounts: [string, number][] };
  /** id = '*': an account's margin-call level was set (null: cleared); every instance re-arms it. */
  MARGIN_CALL_LEVEL: { accountId: string; level: string | null };
}

/**
 * A status transition as it travels: the account's inputs (the risk book's text form) and the prices of its
 * assets and symbols at the decision, so that every instance computes the same exact risk from them.
 */
export interface RiskStatusEvent {
  accountId: string;
  from: string;
  to: string;
  /** The account inputs' version and the price snapshot's version the transition was decided on. */
  version: number;
  priceVersion: number;
  at: string;
  portfolio: string;
  index: [string, string][];
  mark: [string, string][];
}
