import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer, startClaimsApi, type ClaimsApi } from '../../../tools/sandbox/claims-api.js';

// The lab's protected API checks a token as an API Gateway HTTP API JWT authorizer does. The pool's
// keys are generated here and served as its JWKS; a second key pair plays an attacker's.

const COGNITO = 'http://127.0.0.1:9229';
const POOL = 'local_Lab12345';
const ISSUER = `${COGNITO}/${POOL}`;
const CLIENT = 'labclient1';
const POOLS = { [POOL]: [CLIENT, 'otherclient'] } as Record<string, string[]>;

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let poolKeys: Keys;
let attackerKeys: Keys;
let jwks: { keys: JWK[] };
let api: ClaimsApi;

const pools = { appClientIdsOf: (id: string) => Promise.resolve(POOLS[id]) };

beforeAll(async () => {
  poolKeys = await generateKeyPair('RS256');
  attackerKeys = await generateKeyPair('RS256');
  jwks = { keys: [{ ...(await exportJWK(poolKeys.publicKey)), kid: 'pool', alg: 'RS256', use: 'sig' }] };
  api = await startClaimsApi({
    port: 0,
    cognitoEndpoint: COGNITO,
    pools,
    keysOf: () => createLocalJWKSet(jwks),
  });
});

afterAll(() => api?.stop());

interface TokenOptions {
  readonly claims?: JWTPayload;
  readonly issuer?: string;
  readonly audience?: string | undefined;
  readonly expiresIn?: string | number | undefined;
  readonly keys?: Keys;
  readonly kid?: string;
}

function token(options: TokenOptions = {}): Promise<string> {
  let jwt = new SignJWT({ token_use: 'id', email: 'ada@example.com', tenant_id: 'acme', ...options.claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'pool' })
    .setIssuer(options.issuer ?? ISSUER)
    .setIssuedAt()
    .setSubject('0b1c2d3e');
  const audience = 'audience' in options ? options.audience : CLIENT;
  if (audience !== undefined) jwt = jwt.setAudience(audience);
  const expiresIn = 'expiresIn' in options ? options.expiresIn : '1h';
  if (expiresIn !== undefined) jwt = jwt.setExpirationTime(expiresIn);
  return jwt.sign((options.keys ?? poolKeys).privateKey);
}

async function getClaims(authorization?: string) {
  const response = await fetch(`${api.endpoint}/claims`, {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GET /claims', () => {
  it('answers 200 with the claims of a valid ID token of an app client of the pool', async () => {
    // Act
    const answer = await getClaims(`Bearer ${await token()}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      iss: ISSUER,
      aud: CLIENT,
      tenant_id: 'acme',
      email: 'ada@example.com',
    });
  });

  it('accepts an access token by its client_id, as the authorizer does', async () => {
    // Act
    const answer = await getClaims(
      `Bearer ${await token({ audience: undefined, claims: { token_use: 'access', client_id: 'otherclient' } })}`,
    );

    // Assess
    expect(answer.status).toBe(200);
  });

  it('answers 401 {"message":"Unauthorized"} without an Authorization header', async () => {
    expect(await getClaims()).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  });

  it.each<[string, () => Promise<string>]>([
    ['not a JWT', () => Promise.resolve('Bearer not-a-token')],
    ['signed with another key', async () => `Bearer ${await token({ keys: attackerKeys })}`],
    ['expired', async () => `Bearer ${await token({ expiresIn: Math.floor(Date.now() / 1000) - 60 })}`],
    ['without exp', async () => `Bearer ${await token({ expiresIn: undefined })}`],
    ['for an app client of no pool here', async () => `Bearer ${await token({ audience: 'someoneelse' })}`],
    [
      'issued by another host',
      async () => `Bearer ${await token({ issuer: `http://evil.example/${POOL}` })}`,
    ],
    [
      'issued by a pool that does not exist',
      async () => `Bearer ${await token({ issuer: `${COGNITO}/local_Gone999` })}`,
    ],
    ['with an unknown key id', async () => `Bearer ${await token({ kid: 'other' })}`],
    ['unsigned (alg none)', () => Promise.resolve(`Bearer ${unsignedToken()}`)],
  ])('answers 401 to a token %s', async (_case, authorization) => {
    // Act
    const answer = await getClaims(await authorization());

    // Assess
    expect(answer).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  });

  it('says why it refused, for the log, without the token', async () => {
    // Prepare
    const authorize = createJwtAuthorizer({
      cognitoEndpoint: COGNITO,
      pools,
      keysOf: () => createLocalJWKSet(jwks),
    });
    const forged = await token({ audience: 'someoneelse' });

    // Act
    const verdict = await authorize(`Bearer ${forged}`);

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'the audience is no app client of the pool' });
    expect(JSON.stringify(verdict)).not.toContain(forged.split('.')[1]);
  });
});

function unsignedToken(): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none' })}.${encode({ iss: ISSUER, aud: CLIENT, exp: now + 3600, sub: 'x' })}.`;
}
