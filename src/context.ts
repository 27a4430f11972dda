import type { DataSource } from 'typeorm';
import type { Auth } from './auth/viewer';
import type { TokenService } from './auth/tokens';
import type { Config } from './config';
import type { EventBus } from './pubsub';
import type { AccountLoaders, AccountService } from './services/accounts/account.service';
import type { ApiKeyService } from './services/api-keys/api-key.service';
import type { Catalog } from './services/catalog/catalog';
import type { PriceService } from './services/prices/price.service';

/** Everything the resolvers call, built once at start (src/app.ts). */
export interface AppServices {
  config: Config;
  ds: DataSource;
  bus: EventBus;
  localBus: EventBus;
  catalog: Catalog;
  prices: PriceService;
  accounts: AccountService;
  apiKeys: ApiKeyService;
  tokens: TokenService;
}

export interface RequestContext {
  auth: Auth;
  services: AppServices;
  loaders: AccountLoaders;
}

export function requestContext(services: AppServices, auth: Auth): RequestContext {
  return { auth, services, loaders: services.accounts.loaders() };
}
