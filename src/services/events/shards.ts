/** The shard of an account: accounts are split by id, `RISK_SHARDS` ways. */
export function shardOf(accountId: string, shards: number): number {
  return Number(BigInt(accountId) % BigInt(shards));
}
