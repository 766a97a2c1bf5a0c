import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { listenLocally, sendJson } from './local-http-server.js';

/** What the authorizer needs to know about the sandbox's pools. */
export interface PoolDirectory {
  /** The ids of the pool's app clients, or undefined when the sandbox has no such pool. */
  appClientIdsOf(userPoolId: string): Promise<readonly string[] | undefined>;
}

export interface JwtAuthorizerOptions {
  /** cognito-local's endpoint, which is also the host part of every pool's issuer. */
  readonly cognitoEndpoint: string;
  readonly pools: PoolDirectory;
  /** The key set of an issuer; default: its `/.well-known/jwks.json`, fetched and cached. */
  readonly keysOf?: (issuer: string) => JWTVerifyGetKey;
}

/** The verdict on one request: the token's claims, or why it is refused (for the log, never the client). */
export type AuthorizerVerdict =
  { readonly ok: true; readonly claims: JWTPayload } | { readonly ok: false; readonly reason: string };

/**
 * Checks a bearer token as an API Gateway HTTP API JWT authorizer does: the issuer is a pool of this
 * sandbox (`<cognito endpoint>/<pool id>`), the signature verifies with that issuer's JWKS (RS256),
 * `exp` is present and not passed (`nbf`, `iat` too when present), and `aud` (ID tokens) or
 * `client_id` (access tokens) is one of that pool's app clients.
 *
 * @example
 * ```ts
 * const authorize = createJwtAuthorizer({ cognitoEndpoint, pools });
 * const verdict = await authorize(request.headers.authorization);
 * ```
 */
export function createJwtAuthorizer(
  options: JwtAuthorizerOptions,
): (authorization: string | undefined) => Promise<AuthorizerVerdict> {
  const remoteKeys = new Map<string, JWTVerifyGetKey>();
  const keysOf =
    options.keysOf ??
    ((issuer: string): JWTVerifyGetKey => {
      let keys = remoteKeys.get(issuer);
      if (!keys) {
        keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
        remoteKeys.set(issuer, keys);
      }
      return keys;
    });
  const issuerPrefix = `${options.cognitoEndpoint.replace(/\/+$/, '')}/`;

  return async (authorization) => {
    // HTTP API takes the identity source as is and drops a leading "Bearer ".
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { ok: false, reason: 'no Authorization header' };
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return { ok: false, reason: 'not a JWT' };
    }
    if (!issuer?.startsWith(issuerPrefix)) return { ok: false, reason: 'the issuer is not this sandbox' };
    const userPoolId = issuer.slice(issuerPrefix.length);
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) return { ok: false, reason: 'the issuer is not a pool' };
    const clientIds = await options.pools.appClientIdsOf(userPoolId);
    if (clientIds === undefined) return { ok: false, reason: 'the issuer names no pool of this sandbox' };
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keysOf(issuer), {
        issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      return {
        ok: false,
        reason: `the token does not verify (${(error as { code?: string }).code ?? 'error'})`,
      };
    }
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
    const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
    const accepted = [...audiences, ...(clientId === undefined ? [] : [clientId])];
    if (!accepted.some((audience) => clientIds.includes(audience)))
      return { ok: false, reason: 'the audience is no app client of the pool' };
    return { ok: true, claims };
  };
}

export interface ClaimsApi {
  /** e.g. `http://127.0.0.1:3002`; the protected route is `GET <endpoint>/claims`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface ClaimsApiOptions extends JwtAuthorizerOptions {
  readonly port: number;
  readonly host?: string;
  /** Told why a request was refused (no token content). */
  readonly onRefused?: (reason: string) => void;
}

/**
 * The lab's protected API: `GET /claims` behind a JWT authorizer ({@link createJwtAuthorizer}),
 * answering 200 with the token's claims as JSON, or 401 `{"message":"Unauthorized"}` as HTTP API does.
 */
export async function startClaimsApi(options: ClaimsApiOptions): Promise<ClaimsApi> {
  const authorize = createJwtAuthorizer(options);
  const server = createServer((request, response) => {
    answer(request, response).catch(() => sendJson(response, 500, { message: 'Internal Server Error' }));
  });
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
    if (path !== '/claims' || request.method !== 'GET') {
      sendJson(response, 404, { message: 'Not Found' });
      return;
    }
    const verdict = await authorize(request.headers.authorization);
    if (!verdict.ok) {
      options.onRefused?.(verdict.reason);
      sendJson(response, 401, { message: 'Unauthorized' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    sendJson(response, 200, verdict.claims);
  };
  return listenLocally(server, options.port, options.host);
}
