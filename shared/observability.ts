import { createHmac, randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';
import loadTracer from './load-tracer.cjs';
import { redactLogValue } from './redact.js';

/**
 * The toolkit's one Logger: JSON lines, Powertools' standard keys, and redaction that holds for
 * every line (see `shared/redact.ts`). Service name and level come from the standard Powertools
 * variables (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`).
 *
 * @example
 * ```ts
 * logger.info('user migrated', { user: hashUsername(event.userName), scheme: 'bcrypt' });
 * ```
 */
export const logger = new Logger({ jsonReplacerFn: redactLogValue });

/**
 * Whether Powertools' Tracer would trace here: in Lambda (`AWS_EXECUTION_ENV`), not under SAM local or
 * Amplify's mock, and not turned off with `POWERTOOLS_TRACE_ENABLED=false` (Powertools' own rules).
 *
 * @example
 * ```ts
 * isTracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }); // true
 * ```
 */
export function isTracingWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return (
    executionEnv !== '' &&
    executionEnv !== 'AWS_Lambda_amplify-mock' &&
    (env.AWS_SAM_LOCAL ?? '') === '' &&
    (env.POWERTOOLS_TRACE_ENABLED ?? '').trim().toLowerCase() !== 'false'
  );
}

// The Tracer pulls in the X-Ray SDK, whose async hooks tax every promise in the process; it is loaded
// only where it will trace, through its CommonJS build (see load-tracer.cjs for why).
const tracing = isTracingWanted(process.env)
  ? (() => {
      const { Tracer: TracerClass, captureLambdaHandler } = loadTracer();
      const instance = new TracerClass();
      return {
        tracer: instance,
        middleware: (): MiddlewareObj => captureLambdaHandler(instance, { captureResponse: false }),
      };
    })()
  : undefined;

/** The toolkit's Tracer, or `undefined` where tracing is off (tests, `npm run invoke`, SAM local). */
export const tracer: Tracer | undefined = tracing?.tracer;

/** Powertools' handler middleware for {@link tracer}, responses never captured; `undefined` where tracing is off. */
export const tracerMiddleware: (() => MiddlewareObj) | undefined = tracing?.middleware;

// Without a key the key is random per container: hashes correlate within a container only, and a guessed
// email cannot be confirmed from the logs. LOG_HASH_KEY (the key in plain text) is for local use; in Lambda
// the key comes by reference (LOG_HASH_KEY_PARAMETER / LOG_HASH_KEY_SECRET_ARN, see log-hash-key.ts).
let hashKey: string | undefined;

/**
 * Hashes usernames with `key` from now on (the log hash key read from SSM or Secrets Manager).
 *
 * @example
 * ```ts
 * useLogHashKey(await readKey()); hashUsername('alice@example.com'); // keyed with it
 * ```
 */
export function useLogHashKey(key: string): void {
  hashKey = key;
  recentHashes.clear();
}

/**
 * A keyed hash of a username for logs: the same username gives the same hash (with `LOG_HASH_KEY`
 * set, across containers), and the hash reveals nothing without the key.
 *
 * @example
 * ```ts
 * logger.appendKeys({ user: hashUsername('alice@example.com') }); // "u_3f9c0a1b2c3d4e5f"
 * ```
 */
export function hashUsername(username: string): string {
  let hash = recentHashes.get(username);
  if (hash === undefined) {
    hashKey ??= process.env.LOG_HASH_KEY?.trim() || randomBytes(32).toString('hex');
    hash = `u_${createHmac('sha256', hashKey).update(username, 'utf8').digest('hex').slice(0, 16)}`;
    // Warm containers see the same users again (retries, refreshes); a small bounded memo spares the HMAC.
    if (recentHashes.size >= 1024) recentHashes.clear();
    recentHashes.set(username, hash);
  }
  return hash;
}

const recentHashes = new Map<string, string>();
