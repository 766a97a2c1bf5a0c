import type { DomainRule, MembershipGrant } from './decide-provisioning.js';

/** What a conditional membership write did: wrote it, or found one already there and left it unchanged. */
export type GrantResult = 'created' | 'exists';

/**
 * The provisioning port: reads domain rules, writes a membership only if absent. Both calls reject
 * when the store fails or `signal` aborts.
 */
export interface TenantProvisioningStore {
  /** The rule of a canonical domain (lowercase ASCII), or `undefined` when it has none. */
  readDomainRule(domain: string, signal: AbortSignal): Promise<DomainRule | undefined>;
  /** Writes the membership unless the user already has one in that tenant; never changes an existing one. */
  grantMembershipIfAbsent(grant: MembershipGrant, signal: AbortSignal): Promise<GrantResult>;
}
