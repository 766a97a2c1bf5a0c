import { raceDeadline } from '../../../shared/deadline.js';
import type { HttpStoreConfig } from '../config.js';
import { preloadSecretsManager, readSecretString, type SecretStringReader } from './db-credentials.js';
import type { LegacyUser, LegacyUserStore } from './legacy-user-store.js';
import { mapLegacyRow } from './map-legacy-row.js';
import { LegacyEndpointError } from '../errors.js';
import { postJson, type JsonPostAnswer } from './post-json.js';

export { LegacyEndpointError } from '../errors.js';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * A {@link LegacyUserStore} over a legacy HTTP endpoint, for stores SQL cannot reach. The contract:
 *
 * - request: `POST LEGACY_HTTP_URL`, `content-type: application/json`, body `{"username": "..."}`,
 *   `authorization: Bearer <token>` when a token is configured; redirects are refused (a `3xx` is a fault);
 *   sent with Node's `node:http`/`node:https`, not `fetch` (see {@link postJson});
 * - answer: `200` with `{"user": {...}}` (the same columns as `LEGACY_USER_QUERY`: `password_hash`,
 *   `disabled`, `email`, `email_verified`, `custom_<name>`, ...), or `{"user": null}` / `404` when
 *   there is no such user. Anything else is a fault (the trigger fails closed).
 * - record-back (optional): `POST LEGACY_HTTP_RECORD_MIGRATED_URL` with the same body; any 2xx is success.
 *
 * @example
 * ```ts
 * const store = createHttpLegacyStore({ kind: 'http', url: 'https://legacy.internal/auth/user', timeoutMs: 2000 });
 * ```
 */
export function createHttpLegacyStore(
  config: HttpStoreConfig,
  options: { readSecret?: SecretStringReader } = {},
): LegacyUserStore {
  const readSecret = options.readSecret ?? readSecretString;
  if (config.token?.kind === 'secret' && readSecret === readSecretString) preloadSecretsManager();
  // Parsed once (the configuration checked them at cold start), not on every request.
  const endpoint = new URL(config.url);
  let cachedToken: Promise<string | undefined> | undefined;

  const tokenFor = (signal: AbortSignal): Promise<string | undefined> => {
    const token = config.token;
    if (token === undefined) return Promise.resolve(undefined);
    if (token.kind === 'value') return Promise.resolve(token.value);
    const pending = (cachedToken ??= readSecret(token.secretArn, signal).then(parseTokenSecret));
    pending.catch(() => {
      if (cachedToken === pending) cachedToken = undefined;
    });
    return pending;
  };

  const post = async (url: URL, username: string, signal: AbortSignal): Promise<JsonPostAnswer> => {
    const token = await raceDeadline(tokenFor(signal), signal);
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]);
    const response = await raceDeadline(
      postJson(
        url,
        JSON.stringify({ username }),
        token === undefined ? {} : { authorization: `Bearer ${token}` },
        bounded,
      ),
      signal,
    );
    if (response.status === 401 || response.status === 403) cachedToken = undefined;
    if (response.status >= 300 && response.status <= 399) {
      response.discard();
      throw new LegacyEndpointError(
        `The legacy endpoint answered a redirect (HTTP ${response.status}), which is refused`,
      );
    }
    return response;
  };

  const store: LegacyUserStore = {
    async findUser(username: string, signal: AbortSignal): Promise<LegacyUser | undefined> {
      const response = await post(endpoint, username, signal);
      if (response.status === 404) {
        response.discard();
        return undefined;
      }
      if (response.status !== 200) {
        response.discard();
        // Only the status: the body of a failing legacy app may echo anything.
        throw new LegacyEndpointError(`The legacy endpoint answered HTTP ${response.status}`);
      }
      const body = await raceDeadline(readBoundedJson(response), signal);
      if (typeof body !== 'object' || body === null || !('user' in body)) {
        throw new LegacyEndpointError('The legacy endpoint answered without a "user" field');
      }
      const user = (body as { user: unknown }).user;
      if (user === null) return undefined;
      if (typeof user !== 'object' || Array.isArray(user)) {
        throw new LegacyEndpointError('The legacy endpoint answered a "user" that is not an object');
      }
      return mapLegacyRow(user as Record<string, unknown>);
    },
  };
  const recordUrl = config.recordMigratedUrl === undefined ? undefined : new URL(config.recordMigratedUrl);
  if (recordUrl !== undefined) {
    store.recordMigrated = async (username, signal) => {
      const response = await post(recordUrl, username, signal);
      response.discard();
      if (response.status < 200 || response.status > 299) {
        throw new LegacyEndpointError(`The record-migrated endpoint answered HTTP ${response.status}`);
      }
    };
  }
  return store;
}

async function readBoundedJson(response: JsonPostAnswer): Promise<unknown> {
  const tooLarge = () =>
    new LegacyEndpointError(`The legacy endpoint answered more than ${MAX_BODY_BYTES} bytes`);
  if (response.declaredLength > MAX_BODY_BYTES) {
    response.discard();
    throw tooLarge();
  }
  const body = await response.readBody(MAX_BODY_BYTES);
  if (body === undefined) throw tooLarge();
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new LegacyEndpointError('The legacy endpoint answered something that is not JSON');
  }
}

/** A token secret is the token itself, or JSON `{"token": "..."}`. */
function parseTokenSecret(secretString: string): string {
  const text = secretString.trim();
  if (text.startsWith('{')) {
    try {
      const token = (JSON.parse(text) as { token?: unknown }).token;
      if (typeof token === 'string' && token !== '') return token;
    } catch {
      // fall through to the error below, which never includes the secret
    }
    throw new LegacyEndpointError('The token secret is JSON without a "token" string');
  }
  return text;
}
