import { describe, expect, it } from 'vitest';
import { provisionTenantMembership } from '../../../shared/tenant-provisioning/provision-tenant.js';
import { createInMemoryProvisioningStore } from '../../support/in-memory-provisioning-store.js';

const SUB = '2f6c3a1e-8d4b-4f7a-9c2e-5b1d0e9a7c31';
const signal = new AbortController().signal;
const verified = (email: string) => ({ sub: SUB, email, email_verified: 'true' });

describe('provisionTenantMembership', () => {
  it('writes the membership the domain rule grants, looked up by the canonical domain', async () => {
    // Prepare
    const store = createInMemoryProvisioningStore([
      { domain: 'xn--bcher-kva.example.com', tenantId: 'initech', role: 'editor' },
    ]);

    // Act
    const outcome = await provisionTenantMembership(verified('anna@Bücher.Example.com'), store, signal);

    // Assess
    expect(outcome).toEqual({ kind: 'created', tenantId: 'initech', role: 'editor' });
    expect(store.calls.readDomainRule).toEqual(['xn--bcher-kva.example.com']);
    expect([...store.memberships]).toEqual([[`USER#${SUB}|TENANT#initech`, 'editor']]);
  });

  it('reports a membership already there as exists and writes nothing new on a retry', async () => {
    // Prepare
    const store = createInMemoryProvisioningStore([{ domain: 'acme.example.com', tenantId: 'acme' }]);
    await provisionTenantMembership(verified('a@acme.example.com'), store, signal);

    // Act
    const retried = await provisionTenantMembership(verified('a@acme.example.com'), store, signal);

    // Assess
    expect(retried).toEqual({ kind: 'exists', tenantId: 'acme', role: 'member' });
    expect(store.memberships.size).toBe(1);
  });

  it.each([
    [
      'an unverified email',
      { sub: SUB, email: 'a@acme.example.com', email_verified: 'false' },
      'email-unverified',
    ],
    ['a missing email', { sub: SUB, email_verified: 'true' }, 'email-missing'],
    ['a domain without a rule', verified('a@example.com'), 'no-rule'],
    ['a subdomain of a ruled domain', verified('a@eu.acme.example.com'), 'no-rule'],
  ])('provisions nothing for %s', async (_case, attributes, reason) => {
    // Prepare
    const store = createInMemoryProvisioningStore([{ domain: 'acme.example.com', tenantId: 'acme' }]);

    // Act
    const outcome = await provisionTenantMembership(attributes, store, signal);

    // Assess
    expect(outcome).toEqual({ kind: 'skipped', reason });
    expect(store.calls.grantMembershipIfAbsent).toEqual([]);
  });

  it('does not read the table for a user who cannot be provisioned', async () => {
    // Prepare
    const store = createInMemoryProvisioningStore([{ domain: 'acme.example.com', tenantId: 'acme' }]);

    // Act
    await provisionTenantMembership({ sub: SUB, email: 'a@acme.example.com' }, store, signal);

    // Assess
    expect(store.calls.readDomainRule).toEqual([]);
  });
});
