import type { Deadline } from '../deadline.js';
import { compileEmailDomainPolicy, type EmailDomainPolicy } from './email-domain-policy.js';

/** Domain lists in the syntax of `ALLOWED_EMAIL_DOMAINS`: `example.com` exactly, `*.example.com` any subdomain. */
export interface EmailDomainLists {
  /** When present (even empty), only these domains are allowed. */
  readonly allowed?: readonly string[];
  /** Always refused; a deny wins over an allow. */
  readonly denied?: readonly string[];
}

/**
 * The email-domain list source port: lists that live outside the variables (a database, a config
 * service, a partner API), merged with the configured ones on every check. `load` is called for
 * every check that needs the lists, so cache in the source when loading is slow; return the same
 * object while the lists are unchanged and they are compiled once. Reject (or let `signal` abort) on
 * a fault: the trigger then fails closed with `[TEMPORARY_FAILURE]`, never letting an address through.
 *
 * @example
 * ```ts
 * let cached: { lists: EmailDomainLists; at: number } | undefined;
 * const partners: EmailDomainListSource = {
 *   async load(signal) {
 *     if (cached && Date.now() - cached.at < 60_000) return cached.lists;
 *     const response = await fetch('https://config.internal/partner-domains', { signal });
 *     cached = { lists: { allowed: await response.json() }, at: Date.now() };
 *     return cached.lists;
 *   },
 * };
 * export const handler = createPreSignUpHandler({ emailDomainSources: [partners] });
 * ```
 */
export interface EmailDomainListSource {
  load(signal: AbortSignal): Promise<EmailDomainLists>;
}

/**
 * Adapts a user's {@link EmailDomainListSource} to the policy source the guard merges (`DomainPolicySource`
 * of email-domain-sources.ts, written out here so the public declarations never reach the SSM client's
 * types), compiled once per lists object.
 */
export function toDomainPolicySource(source: EmailDomainListSource): {
  current(deadline: Deadline): Promise<EmailDomainPolicy>;
} {
  let last: { lists: EmailDomainLists; policy: EmailDomainPolicy } | undefined;
  return {
    async current(deadline: Deadline): Promise<EmailDomainPolicy> {
      const lists = await source.load(deadline.signal);
      if (last?.lists !== lists) last = { lists, policy: compileEmailDomainPolicy(lists) };
      return last.policy;
    },
  };
}
