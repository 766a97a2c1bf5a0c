import type { SSMClient } from '@aws-sdk/client-ssm';
import { createEnvReader } from '../config.js';
import type { Deadline } from '../deadline.js';
import { countersOf, sharedMetrics, type TriggerMetrics } from '../metrics.js';
import { getDefaultLogger } from '../observability.js';
import { EmailDomainListError } from './errors.js';
import {
  decideDomain,
  mergeEmailDomainPolicies,
  parseEmailAddress,
  type EmailDomainDecision,
  type EmailDomainPolicy,
} from './email-domain-policy.js';
import {
  EMAIL_DOMAIN_VARIABLES,
  createSsmDomainPolicySource,
  hasEmailDomainSource,
  loadDisposableDomainPolicy,
  readEmailDomainSources,
  type DomainPolicySource,
  type EmailDomainSources,
  type SourceLogger,
} from './email-domain-sources.js';

export type { EmailDomainDecision } from './email-domain-policy.js';

/** What a handler asks: may this email be used? Built once at cold start, called per invocation. */
export interface EmailDomainGuard {
  /**
   * Decides `email` against every configured list. Resolves with a decision (refusals included);
   * rejects only on a fault (lists that could not be loaded yet, the deadline), which the handler
   * composition turns into `[TEMPORARY_FAILURE]`: a guard never lets an address through on a fault.
   */
  check(email: unknown, deadline: Deadline): Promise<EmailDomainDecision>;
}

/** Optional collaborators; tests pass a client pointed at a local server. */
export interface EmailDomainGuardDeps {
  readonly ssm?: SSMClient;
  readonly logger?: SourceLogger;
  /** Where `SsmRefreshFailure` is counted (default: the toolkit's shared Metrics, made on first use). */
  readonly metrics?: TriggerMetrics;
  readonly now?: () => number;
  /** List sources of your own, merged with the configured ones on every check (a deny always wins). */
  readonly listSources?: readonly DomainPolicySource[];
}

/**
 * Reads and validates the email-domain configuration from `env` (cold start) and returns the guard.
 * Sources: `ALLOWED_EMAIL_DOMAINS` / `DENIED_EMAIL_DOMAINS`, `*_FILE`, `*_SSM_PARAMETER`,
 * `DENY_DISPOSABLE_EMAIL_DOMAINS` (see the README). It does not require a source: a trigger for which
 * one is mandatory checks {@link isEmailDomainPolicyConfigured}.
 *
 * @throws ConfigError naming every bad variable and list entry.
 * @example
 * ```ts
 * const guard = createEmailDomainGuard(process.env);
 * const decision = await guard.check(event.request.userAttributes.email, deadline);
 * if (!decision.allowed) throw new RejectionError(decision.code);
 * ```
 */
export function createEmailDomainGuard(
  env: NodeJS.ProcessEnv = process.env,
  deps: EmailDomainGuardDeps = {},
): EmailDomainGuard {
  const reader = createEnvReader(env);
  const sources = readEmailDomainSources(env, reader);
  reader.done();
  return createEmailDomainGuardFromSources(sources, deps);
}

/**
 * Whether `env` configures any email-domain source (variables, files, SSM parameters, or the
 * disposable denylist). Does not validate: {@link createEmailDomainGuard} does.
 *
 * @example
 * ```ts
 * const guard = isEmailDomainPolicyConfigured() ? createEmailDomainGuard() : undefined;
 * ```
 */
export function isEmailDomainPolicyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return hasEmailDomainSource(env);
}

/** The guard over sources already read (a trigger that validates them with its own config reader). */
export function createEmailDomainGuardFromSources(
  sources: EmailDomainSources,
  deps: EmailDomainGuardDeps = {},
): EmailDomainGuard {
  const logger = deps.logger ?? getDefaultLogger();
  const ssmSource =
    sources.ssm === undefined
      ? undefined
      : createSsmDomainPolicySource({
          ...(deps.ssm ? { client: deps.ssm } : {}),
          ...sources.ssm,
          logger,
          onRefreshFailure: () => (deps.metrics ?? countersOf(sharedMetrics())).count('SsmRefreshFailure'),
          ...(deps.now ? { now: deps.now } : {}),
        });
  // Started at cold start; awaited on the first check. A rejected load is retried on the next one.
  let disposable: Promise<EmailDomainPolicy> | undefined;
  const loadDisposable = (): Promise<EmailDomainPolicy> => {
    const file = sources.disposableFile;
    disposable ??= (
      file === undefined
        ? Promise.reject(
            new EmailDomainListError('DENY_DISPOSABLE_EMAIL_DOMAINS is on, but no list file was found'),
          )
        : loadDisposableDomainPolicy(file)
    ).catch((error: unknown) => {
      disposable = undefined;
      throw error;
    });
    return disposable;
  };
  if (sources.denyDisposable) void loadDisposable().catch(() => undefined);

  return {
    async check(email: unknown, deadline: Deadline): Promise<EmailDomainDecision> {
      // Parse first: an unreadable address is refused without touching any list source.
      const parsed = parseEmailAddress(email);
      if (!parsed.ok) return { allowed: false, code: 'EMAIL_INVALID', reason: parsed.reason };
      const policies: EmailDomainPolicy[] = [sources.staticPolicy];
      if (sources.denyDisposable) policies.push(await loadDisposable());
      if (ssmSource !== undefined) policies.push(await ssmSource.current(deadline));
      for (const source of deps.listSources ?? []) policies.push(await source.current(deadline));
      return decideDomain(
        policies.length === 1 ? sources.staticPolicy : mergeEmailDomainPolicies(...policies),
        parsed.domain,
      );
    },
  };
}

export { EMAIL_DOMAIN_VARIABLES };
