import { describe, expect, it } from 'vitest';
import { NO_DEADLINE } from '../../../shared/deadline.js';
import {
  toTenantClaimNames,
  type LookupFailurePolicy,
} from '../../../triggers/pre-token-generation/build-tenant-claims.js';
import { readTenantClaimsConfig } from '../../../triggers/pre-token-generation/config.js';
import { createTenantCache } from '../../../triggers/pre-token-generation/directory/tenant-cache.js';
import type {
  Tenant,
  TenantDirectory,
  TenantLookup,
} from '../../../triggers/pre-token-generation/directory/tenant-directory.js';
import { createTenantClaimsResolver } from '../../../triggers/pre-token-generation/resolve-tenant-claims.js';
import {
  createInMemoryProvisioningStore,
  type InMemoryProvisioningStore,
} from '../../support/in-memory-provisioning-store.js';

const TENANTS: Record<string, Tenant> = {
  acme: { tenantId: 'acme', status: 'active', plan: 'pro' },
  globex: { tenantId: 'globex', status: 'suspended', plan: 'pro' },
};

/** A directory that reads the memberships the provisioning store holds, as one table would. */
function directoryOver(store: InMemoryProvisioningStore): TenantDirectory & { loads: number } {
  const directory = {
    loads: 0,
    lookupMemberships(principal: { kind: string; sub?: string }): Promise<TenantLookup> {
      directory.loads += 1;
      const prefix = `USER#${principal.sub ?? ''}|TENANT#`;
      const memberships = [...store.memberships]
        .filter(([key]) => principal.kind === 'user' && key.startsWith(prefix))
        .map(([key, role]) => {
          const tenantId = key.slice(prefix.length);
          return { tenantId, role, isDefault: false, tenant: TENANTS[tenantId] };
        });
      return Promise.resolve({ memberships });
    },
  };
  return directory;
}

function setUp(options: { onLookupFailure?: LookupFailurePolicy; rules?: boolean } = {}) {
  const store = createInMemoryProvisioningStore(
    options.rules === false ? [] : [{ domain: 'acme.example.com', tenantId: 'acme', role: 'member' }],
  );
  const directory = directoryOver(store);
  const resolver = createTenantClaimsResolver({
    directory,
    provisioner: store,
    cache: createTenantCache<TenantLookup>({
      ttlMs: 60_000,
      negativeTtlMs: 30_000,
      staleMaxMs: 600_000,
      maxEntries: 100,
      isNegative: (lookup) => lookup.memberships.length === 0,
    }),
    config: {
      onLookupFailure: options.onLookupFailure ?? 'deny',
      onMissingTenant: 'provision',
      groups: 'preserve',
      claimNames: toTenantClaimNames(),
      maxClaimsBytes: 1024,
    },
  });
  return { store, directory, resolver };
}

const tokenEvent = (sub: string, attributes: Record<string, string> = {}) => ({
  version: '1',
  triggerSource: 'TokenGeneration_NewPasswordChallenge',
  request: {
    userAttributes: { sub, email: 'admin.made@ACME.example.com', email_verified: 'true', ...attributes },
  },
});

const idClaims = (outcome: { response: unknown }) =>
  (outcome.response as { claimsOverrideDetails: { claimsToAddOrOverride?: Record<string, string> } })
    .claimsOverrideDetails.claimsToAddOrOverride;

describe('ON_MISSING_TENANT=provision', () => {
  it('provisions an admin-created user with no membership and issues the claims on first sign-in', async () => {
    // Prepare
    const { resolver, store } = setUp();

    // Act
    const outcome = await resolver.resolve(tokenEvent('admin-made'), NO_DEADLINE);

    // Assess
    expect(idClaims(outcome)).toEqual({ tenant_id: 'acme', tenant_role: 'member', tenant_plan: 'pro' });
    expect(outcome.source).toBe('provisioned');
    expect(outcome.provisioning).toEqual({ kind: 'created', tenantId: 'acme', role: 'member' });
    expect([...store.memberships.keys()]).toEqual(['USER#admin-made|TENANT#acme']);
  });

  it('caches the provisioned lookup, so the next token neither provisions nor loads again', async () => {
    // Prepare
    const { resolver, store, directory } = setUp();
    await resolver.resolve(tokenEvent('cached'), NO_DEADLINE);
    const loads = directory.loads;

    // Act
    const outcome = await resolver.resolve(tokenEvent('cached'), NO_DEADLINE);

    // Assess
    expect(outcome.source).toBe('cache');
    expect(idClaims(outcome)).toMatchObject({ tenant_id: 'acme' });
    expect(directory.loads).toBe(loads);
    expect(store.calls.grantMembershipIfAbsent).toHaveLength(1);
  });

  it('does not let a cached negative lookup keep out a user provisioned meanwhile elsewhere', async () => {
    // Prepare: no rule yet, so the first token is refused and the empty lookup is cached for 30 s.
    const { resolver, store } = setUp({ rules: false });
    await expect(resolver.resolve(tokenEvent('late'), NO_DEADLINE)).rejects.toThrow(/TENANT_REQUIRED/);
    // PostConfirmation (another container) writes the membership inside the negative TTL.
    await store.grantMembershipIfAbsent({ sub: 'late', tenantId: 'acme', role: 'admin' }, NO_DEADLINE.signal);

    // Act
    const outcome = await resolver.resolve(tokenEvent('late'), NO_DEADLINE);

    // Assess: no rule applies, but the negative value was read again, not served.
    expect(idClaims(outcome)).toMatchObject({ tenant_id: 'acme', tenant_role: 'admin' });
  });

  it('serves a user provisioned after a negative lookup at once, when the rule appears', async () => {
    // Prepare
    const { resolver, store } = setUp({ rules: false });
    await expect(resolver.resolve(tokenEvent('ruled-later'), NO_DEADLINE)).rejects.toThrow(/TENANT_REQUIRED/);
    store.readDomainRule = (domain) =>
      Promise.resolve(
        domain === 'acme.example.com' ? { domain, tenantId: 'acme', role: 'member' } : undefined,
      );

    // Act
    const outcome = await resolver.resolve(tokenEvent('ruled-later'), NO_DEADLINE);

    // Assess
    expect(outcome.provisioning).toEqual({ kind: 'created', tenantId: 'acme', role: 'member' });
    expect(idClaims(outcome)).toMatchObject({ tenant_id: 'acme' });
  });

  it.each([
    ['a domain without a rule', { email: 'someone@example.com' }, 'no-rule'],
    ['an unverified email', { email_verified: 'false' }, 'email-unverified'],
  ])('refuses with TENANT_REQUIRED for %s, having written nothing', async (_case, attributes, _reason) => {
    // Prepare
    const { resolver, store } = setUp();

    // Act
    const failure = resolver.resolve(tokenEvent('nobody', attributes), NO_DEADLINE);

    // Assess
    await expect(failure).rejects.toThrow(/^\[TENANT_REQUIRED\] /);
    expect(store.memberships.size).toBe(0);
  });

  it('never provisions over a membership of a suspended tenant', async () => {
    // Prepare
    const { resolver, store } = setUp();
    await store.grantMembershipIfAbsent(
      { sub: 'held', tenantId: 'globex', role: 'admin' },
      NO_DEADLINE.signal,
    );

    // Act
    const failure = resolver.resolve(tokenEvent('held'), NO_DEADLINE);

    // Assess
    await expect(failure).rejects.toThrow(/^\[TENANT_SUSPENDED\] /);
    expect(store.calls.readDomainRule).toEqual([]);
  });

  it('does not provision machine clients', async () => {
    // Prepare
    const { resolver, store } = setUp();

    // Act
    const failure = resolver.resolve(
      {
        version: '3',
        triggerSource: 'TokenGeneration_ClientCredentials',
        callerContext: { clientId: 'm2m' },
      },
      NO_DEADLINE,
    );

    // Assess
    await expect(failure).rejects.toThrow(/TENANT_REQUIRED/);
    expect(store.calls.readDomainRule).toEqual([]);
  });

  it.each([
    ['deny', /^\[TEMPORARY_FAILURE\] /],
    ['omit', undefined],
  ] as const)('applies ON_LOOKUP_FAILURE=%s when provisioning fails', async (policy, rejection) => {
    // Prepare
    const { resolver, store } = setUp({ onLookupFailure: policy });
    store.grantMembershipIfAbsent = () => Promise.reject(new Error('ProvisionedThroughputExceeded'));

    // Act
    const result = resolver.resolve(tokenEvent('unlucky'), NO_DEADLINE);

    // Assess
    if (rejection === undefined) {
      const outcome = await result;
      expect(idClaims(outcome)).toBeUndefined();
      expect(outcome.failure).toBeInstanceOf(Error);
    } else {
      await expect(result).rejects.toThrow(rejection);
    }
  });

  it('is refused without a provisioning store', () => {
    expect(() =>
      createTenantClaimsResolver({
        directory: { lookupMemberships: () => Promise.resolve({ memberships: [] }) },
        cache: createTenantCache<TenantLookup>({ ttlMs: 0, negativeTtlMs: 0, staleMaxMs: 0, maxEntries: 1 }),
        config: {
          onLookupFailure: 'deny',
          onMissingTenant: 'provision',
          groups: 'preserve',
          claimNames: toTenantClaimNames(),
          maxClaimsBytes: 1024,
        },
      }),
    ).toThrow(/ON_MISSING_TENANT/);
  });

  it('is read from ON_MISSING_TENANT', () => {
    expect(
      readTenantClaimsConfig({ TENANT_TABLE_NAME: 't', ON_MISSING_TENANT: 'provision' }).onMissingTenant,
    ).toBe('provision');
    expect(() => readTenantClaimsConfig({ TENANT_TABLE_NAME: 't', ON_MISSING_TENANT: 'create' })).toThrow(
      /ON_MISSING_TENANT: must be one of omit, deny, provision/,
    );
  });
});
