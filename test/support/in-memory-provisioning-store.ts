import type { DomainRule, MembershipGrant } from '../../shared/tenant-provisioning/decide-provisioning.js';
import type {
  GrantResult,
  TenantProvisioningStore,
} from '../../shared/tenant-provisioning/provisioning-store.js';

/** A {@link TenantProvisioningStore} in memory, for core and handler tests: rules by domain, memberships by key. */
export interface InMemoryProvisioningStore extends TenantProvisioningStore {
  /** `USER#<sub>|TENANT#<tenantId>` -> role, as written. */
  readonly memberships: Map<string, string>;
  readonly calls: { readDomainRule: string[]; grantMembershipIfAbsent: MembershipGrant[] };
}

export function createInMemoryProvisioningStore(
  rules: readonly Omit<DomainRule, 'role'>[] | readonly DomainRule[] = [],
): InMemoryProvisioningStore {
  const byDomain = new Map(rules.map((rule) => [rule.domain, { role: 'member', ...rule }]));
  const memberships = new Map<string, string>();
  const calls = { readDomainRule: [] as string[], grantMembershipIfAbsent: [] as MembershipGrant[] };
  return {
    memberships,
    calls,
    readDomainRule(domain) {
      calls.readDomainRule.push(domain);
      return Promise.resolve(byDomain.get(domain));
    },
    grantMembershipIfAbsent(grant): Promise<GrantResult> {
      calls.grantMembershipIfAbsent.push(grant);
      const key = `USER#${grant.sub}|TENANT#${grant.tenantId}`;
      if (memberships.has(key)) return Promise.resolve('exists');
      memberships.set(key, grant.role);
      return Promise.resolve('created');
    },
  };
}
