import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { forbidden } from '../errors';
import { requireViewer } from '../auth/viewer';
import { ApiKeyScope } from '../schema/enums';
import { NewApiKey } from '../schema/money.types';

/** Keys are managed with a user token only: a key cannot mint or revoke keys. */
function accountForKeyManagement(ctx: RequestContext): string {
  const viewer = requireViewer(ctx.auth);
  if (viewer.kind !== 'user') throw forbidden('API keys are managed with a user token');
  return viewer.accountId;
}

@Resolver()
export class ApiKeyResolver {
  @Mutation(() => NewApiKey, {
    description: 'A partner key for the own account; the secret is returned only here.',
  })
  async createApiKey(
    @Arg('label') label: string,
    @Arg('scopes', () => [ApiKeyScope]) scopes: ApiKeyScope[],
    @Ctx() ctx: RequestContext,
  ): Promise<NewApiKey> {
    const { apiKey, secret } = await ctx.services.apiKeys.create(accountForKeyManagement(ctx), label, scopes);
    return { apiKey: { ...apiKey, scopes: apiKey.scopes as ApiKeyScope[] }, secret };
  }

  @Mutation(() => Boolean, { description: 'Revokes one of the own keys; NOT_FOUND if it is not one.' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.apiKeys.revoke(accountForKeyManagement(ctx), id);
  }
}
