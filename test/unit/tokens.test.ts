import { SignJWT } from 'jose';
import { TokenService, DEFAULT_TOKEN_RULES } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';

const SECRET = 'unit-secret-unit-secret-unit-secret-0123';
const key = new TextEncoder().encode(SECRET);

/** A token built by hand, claim by claim, as a foreign signer would. */
function raw(
  claims: Record<string, unknown>,
  configure: (jwt: SignJWT) => SignJWT = (j) => j,
): Promise<string> {
  return configure(
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('7').setIssuedAt(),
  ).sign(key);
}

async function refusal(tokens: TokenService, token: string): Promise<string> {
  return tokens.verify(token).then(
    () => 'accepted',
    (error: Error) => error.message,
  );
}

describe('token rules', () => {
  const tokens = new TokenService(SECRET);

  it('accepts its own tokens: the demo and CLI default lifetime is the longest allowed (30 days)', async () => {
    expect(DEFAULT_TOKEN_RULES.maxLifetimeSec).toBe(30 * 86_400);
    const viewer = await tokens.verifyToken(await tokens.sign({ role: 'user', sub: '7' }));
    expect(viewer.viewer).toEqual({ kind: 'user', accountId: '7' });
    expect(viewer.expiresAt - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });

  it('refuses a token without exp, or one that lives longer than JWT_MAX_LIFETIME', async () => {
    expect(await refusal(tokens, await raw({ role: 'user' }))).toBe('Invalid token: no exp');
    expect(await refusal(tokens, await raw({ role: 'user' }, (j) => j.setExpirationTime('3650d')))).toMatch(
      /lifetime over 2592000 s/,
    );
    expect(await refusal(tokens, await raw({ role: 'user' }, (j) => j.setExpirationTime('31d')))).toMatch(
      /lifetime/,
    );
    const short = new TokenService(SECRET, { ...DEFAULT_TOKEN_RULES, maxLifetimeSec: 3600 });
    expect(await refusal(short, await raw({ role: 'user' }, (j) => j.setExpirationTime('2h')))).toMatch(
      /lifetime/,
    );
    expect(await refusal(short, await raw({ role: 'user' }, (j) => j.setExpirationTime('1h')))).toBe(
      'accepted',
    );
  });

  it('checks iss and aud when JWT_ISSUER and JWT_AUDIENCE are set, and signs with them', async () => {
    const config = loadConfig({
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'pm-auth',
      JWT_AUDIENCE: 'pm-api',
      JWT_MAX_LIFETIME: '12h',
    });
    expect(config.tokenRules).toEqual({ maxLifetimeSec: 43_200, issuer: 'pm-auth', audience: 'pm-api' });
    const strict = new TokenService(SECRET, config.tokenRules);
    const exp = (j: SignJWT) => j.setExpirationTime('1h');
    expect(await refusal(strict, await raw({ role: 'user' }, exp))).toMatch(/Invalid token/);
    expect(await refusal(strict, await raw({ role: 'user' }, (j) => exp(j).setIssuer('pm-auth')))).toMatch(
      /aud/,
    );
    expect(
      await refusal(
        strict,
        await raw({ role: 'user' }, (j) => exp(j).setIssuer('other').setAudience('pm-api')),
      ),
    ).toMatch(/iss/);
    expect(
      await refusal(
        strict,
        await raw({ role: 'user' }, (j) => exp(j).setIssuer('pm-auth').setAudience('pm-api')),
      ),
    ).toBe('accepted');
    expect(await refusal(strict, await strict.sign({ role: 'operator', sub: 'ops' }))).toBe('accepted');
  });

  it('reads JWT_MAX_LIFETIME as seconds or with a unit, and refuses anything else', () => {
    const lifetime = (v: string) => loadConfig({ JWT_MAX_LIFETIME: v }).tokenRules.maxLifetimeSec;
    expect([lifetime('3600'), lifetime('90m'), lifetime('12h'), lifetime('30d')]).toEqual([
      3600, 5400, 43_200, 2_592_000,
    ]);
    for (const bad of ['0', '-1', '1w', '1.5h', 'forever'])
      expect(() => lifetime(bad)).toThrow(/JWT_MAX_LIFETIME/);
  });
});
