import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import type { ApiKeyEntity } from '../entities';
import { forbidden } from '../errors';
import { assertCanRead, requireViewer } from '../auth/viewer';
import { Account } from '../schema/account.types';
import { ApiKeyScope } from '../schema/enums';
import { ApiKey, NewApiKey } from '../schema/money.types';

/** Keys are managed with a user token only: a key cannot mint or revoke keys. */
function accountForKeyManagement(ctx: RequestContext): string {
  const viewer = requireViewer(ctx.auth);
  if (viewer.kind !== 'user') throw forbidden('API keys are managed with a user token');
  return viewer.accountId;
}

const toApiKey = (key: ApiKeyEntity): ApiKey => ({
  id: key.id,
  label: key.label,
  scopes: key.scopes as ApiKeyScope[],
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt ?? null,
  revokedAt: key.revokedAt ?? null,
});

@Resolver()
export class ApiKeyResolver {
  @Mutation(() => NewApiKey, {
    description: 'A partner key for the own account; the secret is returned only here.',
  })
  async createApiKey(
    @Arg('label', { description: 'A name for the key, 1-100 characters, shown in Account.apiKeys.' })
    label: string,
    @Arg('scopes', () => [ApiKeyScope], { description: 'What the key may do; at least one.' })
    scopes: ApiKeyScope[],
    @Ctx() ctx: RequestContext,
  ): Promise<NewApiKey> {
    const { apiKey, secret } = await ctx.services.apiKeys.create(accountForKeyManagement(ctx), label, scopes);
    return { apiKey: toApiKey(apiKey), secret };
  }

  @Mutation(() => Boolean, { description: 'Revokes one of the own keys; NOT_FOUND if it is not one.' })
  async revokeApiKey(
    @Arg('id', () => ID, { description: 'The ApiKey.id to revoke.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return ctx.services.apiKeys.revoke(accountForKeyManagement(ctx), id);
  }
}

@Resolver(() => Account)
export class AccountApiKeysResolver {
  @FieldResolver(() => [ApiKey], {
    description:
      "The account's partner API keys, revoked ones included, newest first; never their secrets. The account itself or an operator.",
  })
  async apiKeys(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    assertCanRead(ctx.auth, account.id);
    return (await ctx.services.apiKeys.list(account.id)).map(toApiKey);
  }
}
