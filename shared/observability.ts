import { createHmac, randomBytes } from 'node:crypto';
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';
import { createEnvReader, type Env } from './config.js';
import { loadTracer } from './load-tracer.js';
import { redactLogValue } from './redact.js';

/**
 * A new Logger as the toolkit configures it: JSON lines, Powertools' standard keys, and redaction that
 * holds for every line (see `shared/redact.ts`). Service name and level come from the standard
 * Powertools variables (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`), read when it is created.
 *
 * @example
 * ```ts
 * const logger = createToolkitLogger({ serviceName: 'accounts' });
 * export const handler = createPreSignUpHandler({ logger });
 * ```
 */
export function createToolkitLogger(options: { readonly serviceName?: string } = {}): Logger {
  return new Logger({ jsonReplacerFn: redactLogValue, logFormatter: new ToolkitLogFormatter(), ...options });
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/**
 * `date.toISOString()`, from the date's UTC fields. V8's `toISOString` sets up the local time zone on its
 * first call (glibc's `tzset` and ICU's zone data: ~1 ms on this machine), which the UTC getters do not.
 */
export function formatIsoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  // Years outside 0-9999 take the extended form (+YYYYYY), an invalid date a RangeError: toISOString's own.
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}Z`;
}

/** Powertools' standard keys, as its default formatter writes them; timestamps by formatIsoTimestamp. */
export class ToolkitLogFormatter extends LogFormatter {
  override formatAttributes(
    attributes: UnformattedAttributes,
    additionalLogAttributes: LogAttributes,
  ): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        tenant_id: attributes.lambdaContext?.tenantId,
      },
    }).addAttributes(additionalLogAttributes);
  }

  override formatTimestamp(now: Date): string {
    // A TZ naming another zone than UTC: Powertools' own formatting, with that zone's offset.
    const zone = process.env.TZ;
    return zone && !zone.includes('UTC') ? super.formatTimestamp(now) : formatIsoTimestamp(now);
  }
}

let defaultLogger: Logger | undefined;

/**
 * The toolkit's default Logger, created on first use (never at import) and shared by every handler
 * that is given no Logger of its own.
 *
 * @example
 * ```ts
 * getDefaultLogger().info('user migrated', { user: hashUsername(event.userName), scheme: 'bcrypt' });
 * ```
 */
export function getDefaultLogger(): Logger {
  defaultLogger ??= createToolkitLogger();
  return defaultLogger;
}

/**
 * Whether Powertools' Tracer would trace here: in Lambda (`AWS_EXECUTION_ENV`), not under SAM local or
 * Amplify's mock, and not turned off with `POWERTOOLS_TRACE_ENABLED=false` (Powertools' own rules).
 *
 * @example
 * ```ts
 * isTracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }); // true
 * ```
 */
export function isTracingWanted(env: Env): boolean {
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return (
    executionEnv !== '' &&
    executionEnv !== 'AWS_Lambda_amplify-mock' &&
    (env.AWS_SAM_LOCAL ?? '') === '' &&
    (env.POWERTOOLS_TRACE_ENABLED ?? '').trim().toLowerCase() !== 'false'
  );
}

/** A Tracer and Powertools' handler middleware for it (responses never captured). */
export interface Tracing {
  readonly tracer: Tracer;
  readonly middleware: () => MiddlewareObj;
}

let defaultTracing: Tracing | undefined;

/**
 * The tracing a handler runs with: around `tracer` when one is given; otherwise the toolkit's default
 * Tracer, created on first use, where {@link isTracingWanted} says so, and none elsewhere (tests,
 * `npm run invoke`, SAM local).
 *
 * @example
 * ```ts
 * const tracing = resolveTracing(process.env);
 * if (tracing) chain.use(tracing.middleware());
 * ```
 */
export function resolveTracing(env: Env, tracer?: Tracer): Tracing | undefined {
  // The Tracer pulls in the X-Ray SDK, whose async hooks tax every promise in the process; it is loaded
  // only where it will trace, from its embedded CommonJS build (see load-tracer.ts for why).
  if (tracer !== undefined) return tracingAround(tracer);
  if (!isTracingWanted(env)) return undefined;
  defaultTracing ??= tracingAround(new (loadTracer().Tracer)());
  return defaultTracing;
}

function tracingAround(tracer: Tracer): Tracing {
  return {
    tracer,
    middleware: (): MiddlewareObj => loadTracer().captureLambdaHandler(tracer, { captureResponse: false }),
  };
}

/** Hashes a username for logs; see {@link createUsernameHasher}. */
export type UsernameHasher = (username: string) => string;

/** A {@link UsernameHasher} whose key can be replaced, once the log hash key has been read by reference. */
export type KeyedUsernameHasher = UsernameHasher & {
  /** Hashes with `key` from now on (see shared/log-hash-key.ts). */
  useKey(key: string): void;
};

let containerHashKey: string | undefined;

/**
 * A keyed hash of usernames for logs: the same username gives the same hash (with `LOG_HASH_KEY` set
 * in `env`, across containers), and the hash reveals nothing without the key. Without `LOG_HASH_KEY`
 * the key is random per container, made on first use: hashes correlate within a container only, and
 * a guessed email cannot be confirmed from the logs.
 *
 * @example
 * ```ts
 * const hashUsername = createUsernameHasher(process.env);
 * logger.appendKeys({ user: hashUsername('alice@example.com') }); // "u_3f9c0a1b2c3d4e5f"
 * ```
 */
export function createUsernameHasher(env: Env = process.env): KeyedUsernameHasher {
  let key =
    createEnvReader(env).string('LOG_HASH_KEY', {
      doc: 'Key of the username hash in logs, for local use only (a variable is readable with lambda:GetFunctionConfiguration); deployed, use LOG_HASH_KEY_PARAMETER or LOG_HASH_KEY_SECRET_ARN; random per container when none is set',
    }) ?? (containerHashKey ??= randomBytes(32).toString('hex'));
  const recentHashes = new Map<string, string>();
  const hasher = (username: string): string => {
    let hash = recentHashes.get(username);
    if (hash === undefined) {
      hash = `u_${createHmac('sha256', key).update(username, 'utf8').digest('hex').slice(0, 16)}`;
      // Warm containers see the same users again (retries, refreshes); a small bounded memo spares the HMAC.
      if (recentHashes.size >= 1024) recentHashes.clear();
      recentHashes.set(username, hash);
    }
    return hash;
  };
  return Object.assign(hasher, {
    useKey(next: string): void {
      key = next;
      recentHashes.clear();
    },
  });
}

let defaultHasher: UsernameHasher | undefined;

/**
 * {@link createUsernameHasher} over `process.env`, created on first call.
 *
 * @example
 * ```ts
 * logger.info('user migrated', { user: hashUsername(event.userName) });
 * ```
 */
export function hashUsername(username: string): string {
  defaultHasher ??= createUsernameHasher(process.env);
  return defaultHasher(username);
}
