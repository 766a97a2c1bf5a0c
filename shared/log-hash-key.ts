import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { createEnvReader, type Env } from './config.js';
import { loadSecretsManagerModule, loadSsmModule } from './embedded-modules/embedded-packages.js';
import { raceDeadline, type Deadline } from './deadline.js';
import { LogHashKeyError } from './errors.js';
import type { LogHashKeyReference } from './log-hash-key-reference.js';

export type { LogHashKeyReference } from './log-hash-key-reference.js';

const PARAMETER = 'LOG_HASH_KEY_PARAMETER';
const SECRET = 'LOG_HASH_KEY_SECRET_ARN';
/** The most a key read may take of an invocation's budget (and never more than half of what is left). */
const READ_BUDGET_MS = 1_000;
const RETRY_AFTER_FAILURE_MS = 10_000;

/**
 * Reads `LOG_HASH_KEY_PARAMETER` (an SSM SecureString name) or `LOG_HASH_KEY_SECRET_ARN` (a Secrets
 * Manager secret whose SecretString is the key); at most one. `LOG_HASH_KEY` (the key itself) is for
 * local use only: in Lambda it would be readable by anyone allowed `lambda:GetFunctionConfiguration`.
 *
 * @throws ConfigError naming the variables when both are set or one is malformed.
 * @example
 * ```ts
 * readLogHashKeyReference({ LOG_HASH_KEY_PARAMETER: '/kit/log-hash-key' }); // { kind: 'ssm', parameterName: '/kit/log-hash-key' }
 * ```
 */
export function readLogHashKeyReference(env: Env = process.env): LogHashKeyReference | undefined {
  const reader = createEnvReader(env);
  const parameterName = reader.string(PARAMETER, {
    doc: 'SSM SecureString (name) holding the key of the username hash in logs, read with decryption on the first invocation',
  });
  const secretId = reader.string(SECRET, {
    doc: 'Secrets Manager secret (ARN) holding that key instead; set at most one of the two',
  });
  if (parameterName !== undefined && secretId !== undefined)
    reader.problem(SECRET, `set ${PARAMETER} or ${SECRET}, not both`);
  if (parameterName !== undefined && !/^(\/[\w.-]+)+$|^[\w.-]+$/.test(parameterName))
    reader.problem(PARAMETER, 'must be an SSM parameter name such as /app/log-hash-key');
  if (secretId !== undefined && !/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/.test(secretId))
    reader.problem(SECRET, 'must be a Secrets Manager secret ARN');
  reader.done();
  if (parameterName !== undefined) return { kind: 'ssm', parameterName };
  if (secretId !== undefined) return { kind: 'secret', secretId };
  return undefined;
}

/** Reads the key's text; the port lets a test hand over a client pointed at a local server. */
export type LogHashKeyReader = (signal: AbortSignal) => Promise<string>;

/** The SDK reader for a reference; the client is loaded (embedded: embedded-packages.ts) and made on the first read. */
export function createLogHashKeyReader(
  reference: LogHashKeyReference,
  clients: { readonly ssm?: SSMClient; readonly secretsManager?: SecretsManagerClient } = {},
): LogHashKeyReader {
  if (reference.kind === 'ssm') {
    let client = clients.ssm;
    return async (signal) => {
      const { GetParameterCommand, SSMClient: Client } = await loadSsmModule();
      client ??= new Client({});
      const output = await raceDeadline(
        client.send(new GetParameterCommand({ Name: reference.parameterName, WithDecryption: true }), {
          abortSignal: signal,
        }),
        signal,
      );
      return output.Parameter?.Value ?? '';
    };
  }
  let client = clients.secretsManager;
  return async (signal) => {
    const { GetSecretValueCommand, SecretsManagerClient: Client } = await loadSecretsManagerModule();
    client ??= new Client({});
    const output = await raceDeadline(
      client.send(new GetSecretValueCommand({ SecretId: reference.secretId }), { abortSignal: signal }),
      signal,
    );
    return output.SecretString ?? '';
  };
}

/** Something that logs the loader's trouble; the toolkit's Powertools logger fits. */
export interface LogHashKeyLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Makes sure the log hash key is in place before an invocation hashes its username. */
export interface LogHashKeyLoader {
  /** Resolves once the key is in use, or once this attempt failed (the per-container key then stays). */
  ensure(deadline: Deadline): Promise<void>;
}

/**
 * Reads the key on the first invocation (lazily, not at import), spending at most 1 s and half of the
 * invocation's remaining budget; afterwards it costs nothing. A failed read leaves the random
 * per-container key in use, logs a warning naming only the error's type, and is retried no sooner
 * than 10 s later. The key never reaches a log line or an error message.
 *
 * @example
 * ```ts
 * const hashUsername = createUsernameHasher(env);
 * const reader = createLogHashKeyReader({ kind: 'ssm', parameterName: '/kit/key' });
 * const loader = createLogHashKeyLoader(reader, logger, hashUsername.useKey);
 * await loader.ensure(deadline);
 * ```
 */
export function createLogHashKeyLoader(
  read: LogHashKeyReader,
  logger: LogHashKeyLogger,
  useKey: (key: string) => void,
  now: () => number = Date.now,
): LogHashKeyLoader {
  let loaded = false;
  let nextAttemptAt = 0;
  let inFlight: Promise<void> | undefined;
  const attempt = (signal: AbortSignal): Promise<void> =>
    (inFlight ??= (async () => {
      try {
        const key = (await read(signal)).trim();
        if (key.length < 16) throw new LogHashKeyError('The log hash key holds fewer than 16 characters');
        useKey(key);
        loaded = true;
      } catch (error) {
        nextAttemptAt = now() + RETRY_AFTER_FAILURE_MS;
        logger.warn('Log hash key not read; usernames are hashed with a per-container key', {
          errorType: error instanceof Error ? error.name : typeof error,
        });
      } finally {
        inFlight = undefined;
      }
    })());
  return {
    async ensure(deadline) {
      if (loaded || (inFlight === undefined && now() < nextAttemptAt)) return;
      const budgetMs = Math.min(READ_BUDGET_MS, Math.floor(deadline.remainingMs() / 2));
      const signal = AbortSignal.any([deadline.signal, AbortSignal.timeout(Math.max(0, budgetMs))]);
      // Past its budget the invocation goes on with the per-container key; the read finishes (or fails) alone.
      await raceDeadline(attempt(signal), signal).catch(() => undefined);
    },
  };
}
