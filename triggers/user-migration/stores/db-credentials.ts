import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { raceDeadline } from '../../../shared/deadline.js';
import { loadSecretsManagerModule } from '../../../shared/embedded-modules/embedded-packages.js';
import type { DbCredentialsSource } from '../config.js';
import { LegacyStoreError } from '../errors.js';

/** What a SQL adapter needs to open a connection. */
export interface DbConnectionParams {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
}

/** Credentials resolved once per container, refreshed after `invalidate()` (e.g. a rotated password). */
export interface DbCredentialsProvider {
  get(signal: AbortSignal): Promise<DbConnectionParams>;
  invalidate(): void;
}

/** Reads a secret's string; the port lets tests hand a secret over without AWS. */
export type SecretStringReader = (secretArn: string, signal: AbortSignal) => Promise<string>;

/** Starts loading the Secrets Manager module now (cold start) for an adapter that will read a secret. */
export function preloadSecretsManager(): void {
  loadSecretsManagerModule().catch(() => undefined);
}

let secretsClient: SecretsManagerClient | undefined;

/** Reads a secret with the AWS SDK (honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SECRETS_MANAGER). */
export const readSecretString: SecretStringReader = async (secretArn, signal) => {
  const { GetSecretValueCommand, SecretsManagerClient } = await raceDeadline(
    loadSecretsManagerModule(),
    signal,
  );
  secretsClient ??= new SecretsManagerClient({});
  const output = await raceDeadline(
    secretsClient.send(new GetSecretValueCommand({ SecretId: secretArn }), { abortSignal: signal }),
    signal,
  );
  if (output.SecretString === undefined) throw new LegacyStoreError('The secret has no SecretString');
  return output.SecretString;
};

/** Credentials from `LEGACY_DB_URL` or from an RDS-format secret (`LEGACY_DB_SECRET_ARN`), cached. */
export function createDbCredentialsProvider(
  source: DbCredentialsSource,
  readSecret: SecretStringReader = readSecretString,
): DbCredentialsProvider {
  if (source.kind === 'url') {
    const params = Object.freeze(parseDbUrl(source.url));
    return { get: async () => params, invalidate: () => undefined };
  }
  if (readSecret === readSecretString) preloadSecretsManager();
  let cached: Promise<DbConnectionParams> | undefined;
  return {
    get(signal) {
      const pending = (cached ??= readSecret(source.secretArn, signal).then(parseRdsSecret));
      // A failed read is not cached: the next invocation tries again.
      pending.catch(() => {
        if (cached === pending) cached = undefined;
      });
      return raceDeadline(pending, signal);
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** `postgres://user:password@host:5432/db` (or `mysql://...`) to connection parameters. */
export function parseDbUrl(text: string): DbConnectionParams {
  const url = new URL(text);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port: url.port === '' ? undefined : Number(url.port),
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
  };
}

/** The secret Secrets Manager keeps for an RDS database: `{ username, password, host, port, dbname, engine }`. */
export function parseRdsSecret(secretString: string): DbConnectionParams {
  let secret: Record<string, unknown>;
  try {
    secret = JSON.parse(secretString) as Record<string, unknown>;
  } catch {
    // Never include the text: it is the secret.
    throw new LegacyStoreError('The database secret is not JSON in the RDS format');
  }
  const text = (key: string): string | undefined => {
    const value = secret[key];
    return typeof value === 'string' && value !== ''
      ? value
      : typeof value === 'number'
        ? String(value)
        : undefined;
  };
  const host = text('host');
  const user = text('username');
  const password = text('password');
  const missing = [
    host === undefined && 'host',
    user === undefined && 'username',
    password === undefined && 'password',
  ].filter(Boolean);
  if (host === undefined || missing.length > 0)
    throw new LegacyStoreError(`The database secret lacks ${missing.join(', ')}`);
  const port = text('port');
  return {
    host,
    port: port === undefined ? undefined : Number(port),
    user,
    password,
    database: text('dbname'),
  };
}
