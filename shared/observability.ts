import * as nodeCrypto from 'node:crypto';
import type * as NodeFs from 'node:fs';
import { isDevMode } from '@aws-lambda-powertools/commons/utils/env';
import { LogFormatter, LogItem, LogLevelThreshold, Logger } from '@aws-lambda-powertools/logger';
import type {
  ConstructorOptions,
  LogAttributes,
  UnformattedAttributes,
} from '@aws-lambda-powertools/logger/types';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';
import { requireBuiltin } from './builtins.js';
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
  return new ToolkitLogger({
    jsonReplacerFn: redactLogValue,
    logFormatter: new ToolkitLogFormatter(),
    ...options,
  }) as unknown as Logger;
}

/** What Powertools' Logger prints with: one method per console method it calls, each given one string. */
export type LineConsole = Readonly<
  Record<'log' | 'info' | 'debug' | 'trace' | 'warn' | 'error', (line: string) => void>
>;

const noop = (): void => undefined;

/**
 * Writes `text` and a line break to `stream` exactly as Node's `Console` writes one string argument,
 * errors included: a failed write never throws into the caller, and an error the stream reports later
 * is not left to crash the process (Node's `Console` with `ignoreErrors`, its default).
 */
export function writeConsoleLine(stream: NodeJS.WritableStream, text: string): void {
  try {
    if (stream.listenerCount('error') === 0) stream.once('error', noop);
    stream.write(`${text}\n`, (error?: Error | null) => {
      if (error != null && stream.listenerCount('error') === 0) stream.once('error', noop);
    });
  } catch {
    // As Console: a log line that cannot be written is lost, the handler goes on.
  } finally {
    stream.removeListener('error', noop);
  }
}

const toStdout = (line: string): void => writeConsoleLine(process.stdout, line);
const toStderr = (line: string): void => writeConsoleLine(process.stderr, line);

/**
 * The console the toolkit's Logger prints with: the lines Powertools' own `Console` would write, to
 * `process.stdout` (`log`, `info`, `debug`, `trace`) and `process.stderr` (`warn`, `error`), each stream
 * looked up when a line is written. Powertools builds a `new Console({ stdout, stderr })` when a Logger is
 * created, which makes both of Node's stdio streams (stderr too, which only warnings and errors use; a pipe
 * in the bench, so node:net's socket) and Console's ~20 bound methods, for a Logger that only ever calls a
 * method with one string: ~0.7 ms of a cold start in the bench's child, 1.3-2.8 ms in a process that has not
 * loaded Node's stream modules yet (paired runs on this machine). The streams are still
 * Node's, so anything that replaces `process.stdout.write` (a test's spy, a tool's redirect) sees every line.
 * `trace` prints as `log` does (no stack trace), as Powertools patches it.
 */
export const LINE_CONSOLE: LineConsole = Object.freeze({
  log: toStdout,
  info: toStdout,
  debug: toStdout,
  trace: toStdout,
  warn: toStderr,
  error: toStderr,
});

// Powertools declares `setConsole` private: seen without it, the Logger class can be extended with the one
// method that chooses where lines go. At run time a ToolkitLogger is a Logger (instanceof holds).
const PowertoolsLogger = Logger as unknown as new (options?: ConstructorOptions) => Omit<Logger, never>;

// Each level's name by its number (the first name with that number, as Powertools' walk finds it), made on first use.
let levelNames: Map<number, string> | undefined;
const namesOfLevels = (): Map<number, string> =>
  new Map(
    Object.entries(LogLevelThreshold)
      .map(([name, level]): [number, string] => [level, name])
      .reverse(),
  );

/** Powertools' Logger printing with {@link LINE_CONSOLE} (the global console under `POWERTOOLS_DEV`, as Powertools). */
class ToolkitLogger extends PowertoolsLogger {
  protected setConsole(): void {
    if (!isDevMode()) {
      (this as unknown as { console: LineConsole }).console = LINE_CONSOLE;
      return;
    }
    // Powertools' own dev mode: the global console, its trace printing as log does.
    (this as unknown as { console: Console }).console = console;
    console.trace = (message?: unknown, ...optionalParams: unknown[]) =>
      console.log(message, ...optionalParams);
  }

  // Powertools finds a level's name by walking Object.entries(LogLevelThreshold) twice a line (~1.5 µs of a warm
  // invocation here, most of it the arrays it allocates); the same answer (the first name with that number) from a map.
  protected getLogLevelNameFromNumber(logLevel: number): string | undefined {
    return (levelNames ??= namesOfLevels()).get(logLevel);
  }

  // createChild() makes its logger here: a child prints as its parent does.
  protected createLogger(options?: ConstructorOptions): Logger {
    return new ToolkitLogger(options) as unknown as Logger;
  }
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

/**
 * Powertools' standard keys, as its default formatter writes them, then the correlation keys of the invocation
 * in progress (see {@link correlationSlotOf}); timestamps by formatIsoTimestamp.
 */
export class ToolkitLogFormatter extends LogFormatter {
  /**
   * The correlation keys of the invocation in progress, written into every line of the loggers that format
   * with this formatter (a child logger shares its parent's); set and cleared by the toolkit's handler.
   */
  correlationKeys: Readonly<LogAttributes> | undefined = undefined;

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
        ...this.correlationKeys,
      },
    }).addAttributes(additionalLogAttributes);
  }

  override formatTimestamp(now: Date): string {
    // A TZ naming another zone than UTC: Powertools' own formatting, with that zone's offset.
    const zone = process.env.TZ;
    return zone && !zone.includes('UTC') ? super.formatTimestamp(now) : formatIsoTimestamp(now);
  }
}

/**
 * Where a handler puts its invocations' correlation keys for `logger`: the logger's formatter when it is the
 * toolkit's (so every line gets them, with no `appendKeys`/`resetKeys` per invocation: Powertools' attribute
 * store resolves its invocation scope, reading `process.env`, on every access, ~5 µs of a warm invocation here),
 * or undefined: a Logger of your own, or invocations that may run concurrently in one environment
 * (`AWS_LAMBDA_MAX_CONCURRENCY` set, as Lambda sets it where it does), where Powertools' invocation-scoped keys
 * keep each invocation's own.
 */
export function correlationSlotOf(logger: Logger, env: Env): ToolkitLogFormatter | undefined {
  if ((env.AWS_LAMBDA_MAX_CONCURRENCY ?? '') !== '') return undefined;
  // Powertools declares getLogFormatter private; every Logger has it (createChild passes it on).
  const formatter = (logger as unknown as { getLogFormatter?: () => unknown }).getLogFormatter?.();
  return formatter instanceof ToolkitLogFormatter ? formatter : undefined;
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
 * The hash is HMAC-SHA-256 (key and username as UTF-8), its first 16 hex digits after `u_`: from
 * `node:crypto`, or, in a bundle that defers loading `node:crypto` (PreSignUp's and CustomMessage's: template.yaml
 * aliases it to node-crypto-on-demand.ts), from that module's `hmacSha256Hex` (`@noble/hashes`), so that their
 * first answer never loads it. Both give the same hash.
 *
 * @example
 * ```ts
 * const hashUsername = createUsernameHasher(process.env);
 * logger.appendKeys({ user: hashUsername('alice@example.com') }); // "u_3f9c0a1b2c3d4e5f"
 * ```
 */
export function createUsernameHasher(env: Env = process.env): KeyedUsernameHasher {
  let key = Buffer.from(
    createEnvReader(env).string('LOG_HASH_KEY', {
      doc: 'Key of the username hash in logs, for local use only (a variable is readable with lambda:GetFunctionConfiguration); deployed, use LOG_HASH_KEY_PARAMETER or LOG_HASH_KEY_SECRET_ARN; random per container when none is set',
    }) ?? (containerHashKey ??= randomHexKey()),
    'utf8',
  );
  const recentHashes = new Map<string, string>();
  const hasher = (username: string): string => {
    let hash = recentHashes.get(username);
    if (hash === undefined) {
      hash = `u_${hmacSha256Hex(key, username).slice(0, 16)}`;
      // Warm containers see the same users again (retries, refreshes); a small bounded memo spares the HMAC.
      if (recentHashes.size >= 1024) recentHashes.clear();
      recentHashes.set(username, hash);
    }
    return hash;
  };
  return Object.assign(hasher, {
    useKey(next: string): void {
      key = Buffer.from(next, 'utf8');
      recentHashes.clear();
    },
  });
}

/** What node-crypto-on-demand.ts adds to the `node:crypto` it stands for in a bundle that aliases it. */
const deferredCrypto = nodeCrypto as typeof nodeCrypto & {
  readonly hmacSha256Hex?: (key: Uint8Array, message: string) => string;
};

/** HMAC-SHA-256 of `message` (UTF-8) under `key`, hex; see {@link createUsernameHasher}. */
function hmacSha256Hex(key: Uint8Array, message: string): string {
  const withoutNodeCrypto = deferredCrypto.hmacSha256Hex;
  return withoutNodeCrypto
    ? withoutNodeCrypto(key, message)
    : nodeCrypto.createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/**
 * 32 random bytes as hex: from the kernel's generator through `/dev/urandom` (the source `randomBytes` draws
 * on too, read with `node:fs`, which every process has loaded), else from `node:crypto`'s `randomBytes`.
 */
export function randomHexKey(
  urandom = '/dev/urandom',
  fallback = (): Buffer => nodeCrypto.randomBytes(32),
): string {
  try {
    const fs = requireBuiltin<typeof NodeFs>('node:fs');
    const fd = fs.openSync(urandom, 'r');
    try {
      const bytes = Buffer.alloc(32);
      if (fs.readSync(fd, bytes, 0, 32, null) === 32) return bytes.toString('hex');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // No /dev/urandom (Windows): node:crypto below.
  }
  return fallback().toString('hex');
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
