import {
  decideProvisioning,
  readProvisioningCandidate,
  type ProvisioningSkipReason,
  type UserAttributeFacts,
} from './decide-provisioning.js';
import type { TenantProvisioningStore } from './provisioning-store.js';

/** What provisioning did for one user; the tenant id is safe to log, the email and its domain are not. */
export type ProvisioningOutcome =
  | { readonly kind: 'created'; readonly tenantId: string; readonly role: string }
  | { readonly kind: 'exists'; readonly tenantId: string; readonly role: string }
  | { readonly kind: 'skipped'; readonly reason: ProvisioningSkipReason };

/**
 * Applies the provisioning rule to a user: reads the rule of the verified email's domain and writes
 * the membership it grants, only if absent. Rejects when the store fails or `signal` aborts.
 *
 * @example
 * ```ts
 * const outcome = await provisionTenantMembership(event.request.userAttributes, store, deadline.signal);
 * // { kind: 'created', tenantId: 'acme', role: 'member' } | { kind: 'skipped', reason: 'no-rule' } | ...
 * ```
 */
export async function provisionTenantMembership(
  attributes: UserAttributeFacts,
  store: TenantProvisioningStore,
  signal: AbortSignal,
): Promise<ProvisioningOutcome> {
  const candidate = readProvisioningCandidate(attributes);
  if (!candidate.eligible) return { kind: 'skipped', reason: candidate.reason };
  const rule = await store.readDomainRule(candidate.domain, signal);
  const decision = decideProvisioning(candidate, rule);
  if (decision.kind === 'skip') return { kind: 'skipped', reason: decision.reason };
  const { tenantId, role } = decision.grant;
  const result = await store.grantMembershipIfAbsent(decision.grant, signal);
  return { kind: result, tenantId, role };
}

/**
 * The log line of an outcome: a message and fields that name the tenant or the reason, never the user.
 *
 * @example
 * ```ts
 * const { message, fields } = describeProvisioning(outcome);
 * logger.info(message, fields); // "Tenant membership provisioned" { provisioning: 'created', tenantId: 'acme', role: 'member' }
 * ```
 */
export function describeProvisioning(outcome: ProvisioningOutcome): {
  message: string;
  fields: Record<string, string>;
} {
  if (outcome.kind === 'skipped')
    return { message: 'No tenant provisioned', fields: { provisioning: 'skipped', reason: outcome.reason } };
  return {
    message:
      outcome.kind === 'created' ? 'Tenant membership provisioned' : 'Tenant membership already present',
    fields: { provisioning: outcome.kind, tenantId: outcome.tenantId, role: outcome.role },
  };
}
