import type * as NodeFs from 'node:fs';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { requireBuiltin } from '../builtins.js';
import { raceDeadline, type Deadline } from '../deadline.js';
import { loadSsmModule } from '../embedded-modules/embedded-packages.js';
import {
  DISPOSABLE_DOMAINS_FILE_VARIABLE,
  findDisposableDomainsFile,
  resolveListFile,
} from './disposable-domains-file.js';
import type { Env, EnvReader } from '../config.js';
import {
  compileDomainMatcher,
  compileEmailDomainPolicy,
  describeInvalidEntry,
  readDomainList,
  type EmailDomainPolicy,
} from './email-domain-policy.js';
import { EmailDomainListError } from './errors.js';

/**
 * Where the email-domain lists come from, all in the syntax of `parseDomainList` and merged into
 * one policy: the two contract variables, a list file per side shipped with the function, an SSM
 * parameter per side (cached, refreshed on a TTL), and the opt-in disposable-domain denylist.
 */

/** The variables this module reads. */
export const EMAIL_DOMAIN_VARIABLES = Object.freeze({
  allowed: 'ALLOWED_EMAIL_DOMAINS',
  denied: 'DENIED_EMAIL_DOMAINS',
  allowedFile: 'ALLOWED_EMAIL_DOMAINS_FILE',
  deniedFile: 'DENIED_EMAIL_DOMAINS_FILE',
  allowedSsmParameter: 'ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER',
  deniedSsmParameter: 'DENIED_EMAIL_DOMAINS_SSM_PARAMETER',
  ssmTtlSeconds: 'EMAIL_DOMAINS_SSM_TTL_SECONDS',
  denyDisposable: 'DENY_DISPOSABLE_EMAIL_DOMAINS',
  disposableFile: DISPOSABLE_DOMAINS_FILE_VARIABLE,
});

// The meaning of each variable, for the docs' configuration tables (`npm run generate:docs`).
const EMAIL_DOMAIN_DOCS: Readonly<Record<string, string>> = {
  ALLOWED_EMAIL_DOMAINS:
    'Allowed domains, comma- or space-separated: `example.com` exactly, `*.example.com` any subdomain (not the domain itself)',
  DENIED_EMAIL_DOMAINS: 'Denied domains, same syntax; a deny always wins over an allow',
  ALLOWED_EMAIL_DOMAINS_FILE:
    'A list file of allowed domains, read once at cold start; a relative path is resolved against `LAMBDA_TASK_ROOT`',
  DENIED_EMAIL_DOMAINS_FILE: 'A list file of denied domains, as `ALLOWED_EMAIL_DOMAINS_FILE`',
  ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER:
    'An SSM parameter (name or ARN; `String`, `StringList` or `SecureString`) of allowed domains: read on the first invocation, cached, refreshed after the TTL',
  DENIED_EMAIL_DOMAINS_SSM_PARAMETER: 'An SSM parameter of denied domains, as the allowed one',
  EMAIL_DOMAINS_SSM_TTL_SECONDS: 'How long the SSM lists are served from memory',
  DENY_DISPOSABLE_EMAIL_DOMAINS:
    'Also deny ~120,000 throwaway-address domains from the pinned `disposable-email-domains` package; the list is a file, not in the bundle: the template attaches its layer when `DenyDisposableEmailDomains` is true (see `DISPOSABLE_EMAIL_DOMAINS_FILE`)',
  DISPOSABLE_EMAIL_DOMAINS_FILE:
    "Where the disposable-domain list file is, for a function not deployed with the template (a relative path is resolved against `LAMBDA_TASK_ROOT`); default: the layer's `/opt/cognito-trigger-kit/disposable-domains.txt`, else beside the code (this repository, the installed package)",
};

/** Typed, validated source configuration (see {@link readEmailDomainSources}). */
export interface EmailDomainSources {
  /** Variables and files, parsed at cold start. */
  readonly staticPolicy: EmailDomainPolicy;
  /** SSM parameters, when either is set. */
  readonly ssm:
    | {
        readonly allowedParameter: string | undefined;
        readonly deniedParameter: string | undefined;
        readonly ttlMs: number;
      }
    | undefined;
  readonly denyDisposable: boolean;
  /** The disposable-domain list file, found at cold start when `denyDisposable`. */
  readonly disposableFile?: string;
  /** Whether any source of either kind is configured ("at least one of the two must be set"). */
  readonly configured: boolean;
}

/**
 * Reads the sources' variables into `reader`, which collects every problem (call `reader.done()`
 * afterwards). List files are read here, once, relative to `LAMBDA_TASK_ROOT` (else the working
 * directory) unless absolute.
 *
 * @example
 * ```ts
 * const reader = createEnvReader(process.env);
 * const sources = readEmailDomainSources(process.env, reader);
 * reader.done();
 * ```
 */
export function readEmailDomainSources(env: Env, reader: EnvReader): EmailDomainSources {
  const names = EMAIL_DOMAIN_VARIABLES;
  const baseDir = env.LAMBDA_TASK_ROOT?.trim() || process.cwd();

  const readVariable = (key: string): string[] | undefined => {
    const text = reader.string(key, { doc: EMAIL_DOMAIN_DOCS[key] });
    return text === undefined ? undefined : readEntries(reader, key, text);
  };
  const readFile = (key: string): string[] | undefined => {
    const path = reader.string(key, { doc: EMAIL_DOMAIN_DOCS[key] });
    return path === undefined ? undefined : readListFile(reader, key, path, baseDir);
  };

  const allowedInline = readVariable(names.allowed);
  const deniedInline = readVariable(names.denied);
  const allowedFromFile = readFile(names.allowedFile);
  const deniedFromFile = readFile(names.deniedFile);
  const allowedParameter = reader.string(names.allowedSsmParameter, {
    doc: EMAIL_DOMAIN_DOCS[names.allowedSsmParameter],
  });
  const deniedParameter = reader.string(names.deniedSsmParameter, {
    doc: EMAIL_DOMAIN_DOCS[names.deniedSsmParameter],
  });
  const ttlSeconds = reader.number(names.ssmTtlSeconds, {
    default: 300,
    min: 0,
    max: 86_400,
    integer: true,
    doc: EMAIL_DOMAIN_DOCS[names.ssmTtlSeconds],
  });
  const denyDisposable = reader.boolean(names.denyDisposable, {
    default: false,
    doc: EMAIL_DOMAIN_DOCS[names.denyDisposable],
  });
  const disposableFileSetting = reader.string(names.disposableFile, {
    doc: EMAIL_DOMAIN_DOCS[names.disposableFile],
  });
  const disposableFile = denyDisposable
    ? findDisposableFile(reader, disposableFileSetting, baseDir)
    : undefined;

  const hasAllowSource =
    allowedInline !== undefined || allowedFromFile !== undefined || allowedParameter !== undefined;
  const staticPolicy = compileEmailDomainPolicy({
    allowed: hasAllowSource ? [...(allowedInline ?? []), ...(allowedFromFile ?? [])] : undefined,
    denied: [...(deniedInline ?? []), ...(deniedFromFile ?? [])],
  });
  const ssm =
    allowedParameter !== undefined || deniedParameter !== undefined
      ? Object.freeze({ allowedParameter, deniedParameter, ttlMs: ttlSeconds * 1000 })
      : undefined;
  return Object.freeze({
    staticPolicy,
    ssm,
    denyDisposable,
    ...(disposableFile !== undefined && { disposableFile }),
    configured:
      hasAllowSource ||
      deniedInline !== undefined ||
      deniedFromFile !== undefined ||
      ssm !== undefined ||
      denyDisposable,
  });
}

// The file and disposable-list code of readEmailDomainSources, in functions of their own: a cold start
// whose variables name no file never compiles it.

/** The entries of the list file `path` names (`key` is its variable); a problem when it cannot be read. */
function readListFile(reader: EnvReader, key: string, path: string, baseDir: string): string[] {
  const fullPath = resolveListFile(path, baseDir);
  let text: string;
  try {
    text = requireBuiltin<typeof NodeFs>('node:fs').readFileSync(fullPath, 'utf8');
  } catch (error) {
    reader.problem(key, `cannot read ${JSON.stringify(fullPath)} (${errorCode(error)})`);
    // Set but unreadable still counts as a configured source (the problem above fails the cold start).
    return [];
  }
  return readEntries(reader, `${key} (${path})`, text);
}

/** The disposable-domain list file's path, or a problem naming every place it was looked for. */
function findDisposableFile(
  reader: EnvReader,
  setting: string | undefined,
  baseDir: string,
): string | undefined {
  const found = findDisposableDomainsFile(setting, baseDir);
  if ('path' in found) return found.path;
  reader.problem(
    EMAIL_DOMAIN_VARIABLES.denyDisposable,
    `needs the disposable-domain list file, found at none of ${found.missing.join(', ')}: deploy with the template's DenyDisposableEmailDomains=true (it attaches the list's layer), or set ${EMAIL_DOMAIN_VARIABLES.disposableFile} (see docs/pre-sign-up.md)`,
  );
  return undefined;
}

/**
 * Whether any email-domain source is set in `env` (a non-empty list variable, file, SSM parameter,
 * or `DENY_DISPOSABLE_EMAIL_DOMAINS` true), without validating anything.
 */
export function hasEmailDomainSource(env: Env): boolean {
  const names = EMAIL_DOMAIN_VARIABLES;
  const isSet = (key: string): boolean => (env[key] ?? '').trim() !== '';
  return (
    [
      names.allowed,
      names.denied,
      names.allowedFile,
      names.deniedFile,
      names.allowedSsmParameter,
      names.deniedSsmParameter,
    ].some(isSet) ||
    ['1', 'true', 'yes', 'on', 'y', 't'].includes((env[names.denyDisposable] ?? '').trim().toLowerCase())
  );
}

/**
 * The disposable-email denylist in `path` (see disposable-domains-file.ts): its exact entries, and its wildcard
 * entries as both the domain and `*.domain`. Read when a function opts in, at its cold start.
 */
export async function loadDisposableDomainPolicy(path: string): Promise<EmailDomainPolicy> {
  const { exact, wildcard } = loadDisposableDomains(path);
  const entries: string[] = [...exact, ...wildcard, ...wildcard.map((domain) => `*.${domain}`)];
  return Object.freeze({
    allow: null,
    deny: Object.freeze([compileDomainMatcher(entries, 'disposable-email-domains', { skipInvalid: true })]),
  });
}

/**
 * The two lists of a list file that `npm run generate:disposable` writes: an optional `# ...` header line,
 * one domain a line, a line with a lone `#` between the exact list and the wildcard list.
 */
export function loadDisposableDomains(path: string): { exact: string[]; wildcard: string[] } {
  // Read synchronously: the guard starts the load at cold start, so the list is in before the first
  // invocation (init time, outside Cognito's budget) rather than read during it.
  const lines = requireBuiltin<typeof NodeFs>('node:fs').readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0]?.startsWith('# ')) lines.shift();
  const separator = lines.indexOf('#');
  if (separator < 0) {
    throw new EmailDomainListError(`${path} is not a disposable-domain list file: it has no '#' line`);
  }
  return { exact: lines.slice(0, separator), wildcard: lines.slice(separator + 1) };
}

/** Something that logs a source's trouble; the toolkit's Powertools logger fits. */
export type SourceLogger = Pick<Logger, 'warn'>;

/** A list source whose content may change while the function runs. */
export interface DomainPolicySource {
  /** The current policy, loading or refreshing it within `deadline` when needed. */
  current(deadline: Deadline): Promise<EmailDomainPolicy>;
}

/**
 * SSM parameters as a policy source. The first load must succeed (else `current` rejects and the
 * caller fails closed). After `ttlMs` the next call refreshes, spending at most half of what remains of
 * its deadline so a stale answer still fits; a failed refresh keeps the last good lists, logs a warning,
 * and is retried no sooner than `min(ttlMs, 10 s)` later. Concurrent callers share one request.
 *
 * The SDK's SSM module is loaded when the source is made (that is, at cold start, and only for a
 * function configured with a parameter), and `client` defaults to `new SSMClient({})` made from it.
 *
 * @example
 * ```ts
 * const source = createSsmDomainPolicySource({ allowedParameter: '/app/allowed', ttlMs: 300_000 });
 * const policy = await source.current(deadline);
 * ```
 */
export function createSsmDomainPolicySource(options: {
  /** The client to send with; default: one made with `new SSMClient({})` on the first request. */
  readonly client?: SSMClient;
  readonly allowedParameter?: string | undefined;
  readonly deniedParameter?: string | undefined;
  readonly ttlMs: number;
  readonly logger?: SourceLogger;
  /** Called on each failed refresh (the last good lists answer); the toolkit counts `SsmRefreshFailure`. */
  readonly onRefreshFailure?: () => void;
  readonly now?: () => number;
}): DomainPolicySource {
  const { allowedParameter, deniedParameter, ttlMs } = options;
  const now = options.now ?? Date.now;
  // Started now, so the first request does not wait for the module; awaited where it is used.
  const sdk = loadSsmModule();
  sdk.catch(() => undefined);
  let client = options.client;
  const retryAfterFailureMs = Math.min(ttlMs, 10_000);
  let cached: { policy: EmailDomainPolicy; loadedAt: number } | undefined;
  let nextAttemptAt = 0;
  let inFlight: Promise<EmailDomainPolicy> | undefined;

  const fetchParameter = async (name: string, signal: AbortSignal): Promise<string[]> => {
    const { GetParameterCommand, SSMClient } = await raceDeadline(loadSsmModule(), signal);
    client ??= new SSMClient({});
    const output = await raceDeadline(
      client.send(new GetParameterCommand({ Name: name, WithDecryption: true }), { abortSignal: signal }),
      signal,
    );
    const value = output.Parameter?.Value;
    if (value === undefined) throw new EmailDomainListError(`SSM parameter ${name} has no value`);
    const { entries, invalid } = readDomainList(value);
    if (invalid.length > 0) {
      throw new EmailDomainListError(
        `SSM parameter ${name}: ${invalid.map(describeInvalidEntry).join('; ')}`,
      );
    }
    return entries;
  };

  const load = (signal: AbortSignal): Promise<EmailDomainPolicy> => {
    inFlight ??= (async () => {
      try {
        const [allowed, denied] = await Promise.all([
          allowedParameter === undefined ? undefined : fetchParameter(allowedParameter, signal),
          deniedParameter === undefined ? [] : fetchParameter(deniedParameter, signal),
        ]);
        const policy = compileEmailDomainPolicy({ allowed, denied });
        cached = { policy, loadedAt: now() };
        nextAttemptAt = cached.loadedAt + ttlMs;
        return policy;
      } finally {
        inFlight = undefined;
      }
    })();
    return raceDeadline(inFlight, signal);
  };

  return {
    async current(deadline: Deadline): Promise<EmailDomainPolicy> {
      if (cached === undefined) return load(deadline.signal);
      if (now() < nextAttemptAt) return cached.policy;
      const stale = cached;
      const refreshBudgetMs = Math.floor(deadline.remainingMs() / 2);
      const signal = AbortSignal.any([deadline.signal, AbortSignal.timeout(Math.max(0, refreshBudgetMs))]);
      try {
        return await load(signal);
      } catch (error) {
        nextAttemptAt = now() + retryAfterFailureMs;
        options.onRefreshFailure?.();
        options.logger?.warn('email-domain lists: SSM refresh failed, using the last good lists', {
          ageSeconds: Math.round((now() - stale.loadedAt) / 1000),
          error: describeError(error),
        });
        return stale.policy;
      }
    },
  };
}

function readEntries(reader: EnvReader, key: string, text: string): string[] {
  const { entries, invalid } = readDomainList(text);
  for (const bad of invalid) reader.problem(key, describeInvalidEntry(bad));
  return entries;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
