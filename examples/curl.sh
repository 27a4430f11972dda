#!/usr/bin/env bash
# Queries and mutations with plain curl: each call is a POST of {"query": ..., "variables": ...} to /graphql.
#   PM_TOKEN=<bearer token> [PM_URL=http://127.0.0.1:4000/graphql] bash examples/curl.sh
set -euo pipefail
URL=${PM_URL:-http://127.0.0.1:4000/graphql}
: "${PM_TOKEN:?set PM_TOKEN (npm run -s token -- <accountId>)}"
AUTH="authorization: Bearer $PM_TOKEN"
JSON='content-type: application/json'

echo '# public: prices (no token needed)'
curl -sS "$URL" -H "$JSON" -d '{"query": "{ prices { symbol price } }"}'
echo

echo '# the account, its wallets and its risk'
curl -sS "$URL" -H "$JSON" -H "$AUTH" -d '{
  "query": "query($asset: String!) { me { id mode wallets { type totalValueUsd } risk { uniMMR status accountEquity accountMaintMargin maxWithdraw(asset: $asset) } } }",
  "variables": { "asset": "USDT" }
}'
echo

echo '# what if BTC fell 20% (its index and the BTCUSDT mark)?'
curl -sS "$URL" -H "$JSON" -H "$AUTH" -d '{
  "query": "query($s: ScenarioInput!) { me { simulateRisk(scenario: $s) { uniMMR status } } }",
  "variables": { "s": { "prices": [{ "symbol": "BTC", "change": "-0.2" }, { "symbol": "BTCUSDT", "change": "-0.2" }] } }
}'
echo

echo '# a transfer into the unified wallet, exactly once per idempotency key: sent twice, booked once'
KEY=${KEY:-curl-example-$(date +%s)}
for _ in 1 2; do
  curl -sS "$URL" -H "$JSON" -H "$AUTH" -d '{
    "query": "mutation($input: TransferInput!) { transfer(input: $input) { id asset amount from to idempotencyKey } }",
    "variables": { "input": { "asset": "USDT", "amount": "100", "from": "SPOT", "to": "PORTFOLIO_MARGIN", "idempotencyKey": "'"$KEY"'" } }
  }'
  echo
done
