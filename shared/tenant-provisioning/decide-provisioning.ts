import { parseEmailAddress } from '../email-domain/email-domain-policy.js';

/**
 * The provisioning rule as pure functions, shared by PostConfirmation and by PreTokenGeneration's
 * `ON_MISSING_TENANT=provision` (CONTRACT.md, "PostConfirmation"): a user whose email is verified and
 * whose email domain has a domain rule gets one membership in the rule's tenant, written only if absent.
 */

/** The role a domain rule gives when it names none. */
export const DEFAULT_PROVISIONED_ROLE = 'member';

/** A domain rule item (`pk = DOMAIN#<domain>`, `sk = TENANT`), as the store reads it. */
export interface DomainRule {
  /** Lowercase ASCII (punycode for IDNs), the email-domain policy's canonical form. */
  readonly domain: string;
  readonly tenantId: string;
  readonly role: string;
}

/** The membership a rule grants (`pk = USER#<sub>`, `sk = TENANT#<tenantId>`). */
export interface MembershipGrant {
  readonly sub: string;
  readonly tenantId: string;
  readonly role: string;
}

/** Why a user is not provisioned; logged, never an error. */
export type ProvisioningSkipReason =
  'no-sub' | 'email-missing' | 'email-unverified' | 'email-unreadable' | 'no-rule';

/** Who may be provisioned, and under which domain rule key. */
export type ProvisioningCandidate =
  | { readonly eligible: true; readonly sub: string; readonly domain: string }
  | { readonly eligible: false; readonly reason: ProvisioningSkipReason };

export type ProvisioningDecision =
  | { readonly kind: 'grant'; readonly grant: MembershipGrant }
  | { readonly kind: 'skip'; readonly reason: ProvisioningSkipReason };

/** The user attributes as Cognito sends them (strings), or as a tolerant fixture may give them. */
export type UserAttributeFacts = Readonly<Record<string, unknown>> | null | undefined;

/**
 * Reads who the user is and which domain rule applies: the immutable `sub`, and the email's domain
 * in canonical form, only when `email_verified` is exactly `true` (Cognito sends the string `"true"`).
 *
 * @example
 * ```ts
 * readProvisioningCandidate({ sub: 'a1', email: 'Ana@Example.COM', email_verified: 'true' });
 * // { eligible: true, sub: 'a1', domain: 'example.com' }
 * ```
 */
export function readProvisioningCandidate(attributes: UserAttributeFacts): ProvisioningCandidate {
  const sub = attributes?.sub;
  if (typeof sub !== 'string' || sub.trim() === '') return { eligible: false, reason: 'no-sub' };
  const email = attributes?.email;
  if (email === undefined || email === null || email === '')
    return { eligible: false, reason: 'email-missing' };
  const verified = attributes?.email_verified;
  if (verified !== 'true' && verified !== true) return { eligible: false, reason: 'email-unverified' };
  const parsed = parseEmailAddress(email);
  if (!parsed.ok) return { eligible: false, reason: 'email-unreadable' };
  return { eligible: true, sub, domain: parsed.domain };
}

/** The membership a candidate gets from its domain's rule; no rule, or a rule for another domain, grants nothing. */
export function decideProvisioning(
  candidate: Extract<ProvisioningCandidate, { eligible: true }>,
  rule: DomainRule | undefined,
): ProvisioningDecision {
  if (rule === undefined || rule.domain !== candidate.domain) return { kind: 'skip', reason: 'no-rule' };
  return { kind: 'grant', grant: { sub: candidate.sub, tenantId: rule.tenantId, role: rule.role } };
}
