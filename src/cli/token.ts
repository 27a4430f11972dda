import { TokenService } from '../auth/tokens';
import { ConfigError, loadConfig } from '../config';
import { isRowId } from '../lib/row-id';

/** `npm run token -- <accountId>` or `npm run token -- --operator [name]`: a bearer token for the configured secret. */
async function main(): Promise<void> {
  const [first, second] = process.argv.slice(2);
  const config = loadConfig();
  const tokens = new TokenService(config.jwtSecret, config.tokenRules);
  if (first === '--operator') {
    console.log(await tokens.sign({ role: 'operator', sub: second || 'operator' }));
  } else if (isRowId(first)) {
    console.log(await tokens.sign({ role: 'user', sub: first }));
  } else {
    console.error('usage: npm run token -- <accountId> | --operator [name]');
    process.exit(2);
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
