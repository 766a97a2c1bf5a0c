import { describe, expect, it } from 'vitest';
import { RejectionError } from '../../../shared/errors.js';
import {
  ClaimsBudgetError,
  ReservedClaimError,
  assertSettableClaim,
  buildTenantClaims,
  decideLookupFallback,
  isReservedClaim,
  selectTenant,
  toTenantClaimNames,
  type TenantClaimsOptions,
  type TenantSelection,
  type TokenRequestFacts,
} from '../../../triggers/pre-token-generation/build-tenant-claims.js';
import type {
  TenantLookup,
  TenantMembership,
} from '../../../triggers/pre-token-generation/directory/tenant-directory.js';

const member = (
  tenantId: string,
  status: string | undefined,
  options: { role?: string; isDefault?: boolean; plan?: string } = {},
): TenantMembership => ({
  tenantId,
  role: options.role ?? 'member',
  isDefault: options.isDefault ?? false,
  tenant: status === undefined ? undefined : { tenantId, status, plan: options.plan ?? 'pro' },
});
const lookupOf = (...memberships: TenantMembership[]): TenantLookup => ({ memberships });

const OPTIONS: TenantClaimsOptions = {
  claimNames: toTenantClaimNames(),
  groups: 'preserve',
  maxClaimsBytes: 1_024,
};
const GROUPS = {
  groupsToOverride: ['admins', 'editors'],
  iamRolesToOverride: ['arn:aws:iam::123456789012:role/editors'],
  preferredRole: 'arn:aws:iam::123456789012:role/editors',
};
const facts = (version: string, triggerSource = 'TokenGeneration_Authentication'): TokenRequestFacts => ({
  version,
  triggerSource,
  groupConfiguration: structuredClone(GROUPS),
});
const ACME: TenantSelection = { tenantId: 'acme', role: 'admin', plan: 'enterprise', tenantIds: ['acme'] };

describe('selectTenant', () => {
  it.each([
    [
      'the only active tenant',
      lookupOf(member('acme', 'active', { role: 'admin' })),
      { tenantId: 'acme', role: 'admin', tenantIds: ['acme'] },
    ],
    [
      'the default membership among several',
      lookupOf(
        member('acme', 'active'),
        member('globex', 'active', { isDefault: true, role: 'owner' }),
        member('initech', 'active'),
      ),
      { tenantId: 'globex', role: 'owner', tenantIds: ['acme', 'globex', 'initech'] },
    ],
    [
      'the first active tenant by id when none is default',
      lookupOf(member('zeta', 'active'), member('beta', 'active')),
      { tenantId: 'beta', role: 'member', tenantIds: ['beta', 'zeta'] },
    ],
    [
      'an active tenant when the default one is suspended, leaving the suspended one out',
      lookupOf(member('acme', 'suspended', { isDefault: true }), member('globex', 'active')),
      { tenantId: 'globex', role: 'member', tenantIds: ['globex'] },
    ],
    [
      'a tenant whose status is missing as not active',
      lookupOf(member('acme', ''), member('globex', 'active')),
      { tenantId: 'globex', role: 'member', tenantIds: ['globex'] },
    ],
  ])('picks %s', (_name, lookup, expected) => {
    // Act
    const selection = selectTenant(lookup, 'deny');

    // Assess
    expect(selection).toMatchObject(expected);
  });

  it.each([
    ['a single suspended tenant', lookupOf(member('acme', 'suspended'))],
    [
      'only suspended tenants',
      lookupOf(member('acme', 'suspended', { isDefault: true }), member('globex', 'closed')),
    ],
  ])('rejects %s with TENANT_SUSPENDED', (_name, lookup) => {
    // Act / Assess
    expect(() => selectTenant(lookup, 'omit')).toThrow('[TENANT_SUSPENDED] ');
  });

  it.each([
    ['no membership', lookupOf()],
    ['only memberships whose tenant item is missing', lookupOf(member('ghost', undefined))],
  ])('applies ON_MISSING_TENANT to %s', (_name, lookup) => {
    // Act / Assess
    expect(selectTenant(lookup, 'omit')).toBeUndefined();
    expect(() => selectTenant(lookup, 'deny')).toThrow('[TENANT_REQUIRED] ');
  });
});

describe('decideLookupFallback', () => {
  const stale = lookupOf(member('acme', 'active'));

  it.each([
    ['deny', stale, 'throws'],
    ['stale', stale, 'stale'],
    ['stale', undefined, 'throws'],
    ['omit', stale, 'omit'],
    ['omit', undefined, 'omit'],
  ] as const)('answers policy %s with stale value %o by %s', (policy, staleValue, expected) => {
    // Act
    const decide = () => decideLookupFallback(policy, staleValue, new Error('boom'));

    // Assess
    if (expected === 'throws') {
      expect(decide).toThrow(RejectionError);
      expect(decide).toThrow('[TEMPORARY_FAILURE] ');
    } else {
      expect(decide().kind).toBe(expected);
    }
  });
});

describe('buildTenantClaims', () => {
  it.each(['TokenGeneration_Authentication', 'TokenGeneration_RefreshTokens', 'TokenGeneration_HostedAuth'])(
    'writes string claims and the request groups for a version 1 %s event',
    (source) => {
      // Act
      const { response } = buildTenantClaims(facts('1', source), ACME, OPTIONS);

      // Assess
      expect(response).toEqual({
        claimsOverrideDetails: {
          claimsToAddOrOverride: { tenant_id: 'acme', tenant_role: 'admin', tenant_plan: 'enterprise' },
          groupOverrideDetails: GROUPS,
        },
      });
    },
  );

  it.each(['2', '3'])(
    'writes claims into both tokens and keeps groups for a version %s user event',
    (version) => {
      // Act
      const { response } = buildTenantClaims(facts(version), ACME, OPTIONS);

      // Assess
      const claims = { tenant_id: 'acme', tenant_role: 'admin', tenant_plan: 'enterprise' };
      expect(response).toEqual({
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: claims },
          accessTokenGeneration: { claimsToAddOrOverride: claims },
          groupOverrideDetails: GROUPS,
        },
      });
    },
  );

  it('writes only access token claims and no groups for a client credentials event', () => {
    // Prepare
    const request: TokenRequestFacts = {
      version: '3',
      triggerSource: 'TokenGeneration_ClientCredentials',
      groupConfiguration: null,
    };

    // Act
    const { response } = buildTenantClaims(request, { ...ACME, role: 'service' }, OPTIONS);

    // Assess
    expect(response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: { tenant_id: 'acme', tenant_role: 'service', tenant_plan: 'enterprise' },
        },
      },
    });
  });

  it.each([
    ['1', 'acme,globex'],
    ['2', ['acme', 'globex']],
  ])('adds tenant_ids for a user in several tenants (version %s)', (version, expected) => {
    // Prepare
    const selection: TenantSelection = { ...ACME, tenantIds: ['acme', 'globex'] };

    // Act
    const { response } = buildTenantClaims(facts(version), selection, OPTIONS);

    // Assess
    const added =
      'claimsOverrideDetails' in response
        ? response.claimsOverrideDetails.claimsToAddOrOverride
        : response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride;
    expect(added?.tenant_ids).toEqual(expected);
  });

  it.each(['1', '2'])(
    'keeps the groups but adds no claim when the tenant is omitted (version %s)',
    (version) => {
      // Act
      const { response } = buildTenantClaims(facts(version), undefined, OPTIONS);

      // Assess
      expect(response).toEqual(
        version === '1'
          ? { claimsOverrideDetails: { groupOverrideDetails: GROUPS } }
          : { claimsAndScopeOverrideDetails: { groupOverrideDetails: GROUPS } },
      );
    },
  );

  it('suppresses groups explicitly when configured to', () => {
    // Act
    const { response } = buildTenantClaims(facts('2'), ACME, { ...OPTIONS, groups: 'suppress' });

    // Assess
    expect(
      'claimsAndScopeOverrideDetails' in response &&
        response.claimsAndScopeOverrideDetails.groupOverrideDetails,
    ).toEqual({
      groupsToOverride: [],
      iamRolesToOverride: [],
    });
  });

  it('does not share group arrays with the request', () => {
    // Prepare
    const request = facts('2');

    // Act
    const { response } = buildTenantClaims(request, ACME, OPTIONS);
    request.groupConfiguration?.groupsToOverride?.push('late-change');

    // Assess
    expect(
      'claimsAndScopeOverrideDetails' in response &&
        response.claimsAndScopeOverrideDetails.groupOverrideDetails?.groupsToOverride,
    ).toEqual(['admins', 'editors']);
  });

  it('uses the configured claim prefix', () => {
    // Act
    const { response } = buildTenantClaims(facts('1'), ACME, {
      ...OPTIONS,
      claimNames: toTenantClaimNames('app:'),
    });

    // Assess
    expect(
      'claimsOverrideDetails' in response &&
        Object.keys(response.claimsOverrideDetails.claimsToAddOrOverride ?? {}),
    ).toEqual(['app:tenant_id', 'app:tenant_role', 'app:tenant_plan']);
  });

  it('drops tenant_ids, and says so, when the claims would pass the size budget', () => {
    // Prepare
    const many = Array.from(
      { length: 40 },
      (_, index) => `tenant-${String(index).padStart(4, '0')}-0123456789abcdef`,
    );
    const selection: TenantSelection = { ...ACME, tenantIds: many };

    // Act
    const decision = buildTenantClaims(facts('2'), selection, { ...OPTIONS, maxClaimsBytes: 512 });

    // Assess
    expect(decision.trimmed).toBe(true);
    expect(
      'claimsAndScopeOverrideDetails' in decision.response &&
        decision.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({
      tenant_id: 'acme',
      tenant_role: 'admin',
      tenant_plan: 'enterprise',
    });
  });

  it('fails when even the tenant of the token does not fit the size budget', () => {
    // Prepare
    const selection: TenantSelection = { ...ACME, plan: 'x'.repeat(300) };

    // Act / Assess
    expect(() => buildTenantClaims(facts('2'), selection, { ...OPTIONS, maxClaimsBytes: 128 })).toThrow(
      ClaimsBudgetError,
    );
  });

  it.each([
    ['sub', 'sub'],
    ['a cognito: claim', 'cognito:groups'],
    ['cognito:username in upper case', 'COGNITO:USERNAME'],
    ['a dev: attribute', 'dev:custom'],
    ['token_use', 'token_use'],
    ['scope', 'scope'],
  ])('refuses to set %s at runtime', (_name, claim) => {
    // Prepare: a claim name as it would arrive from configuration (a plain string).
    const names = { ...toTenantClaimNames(), tenantRole: claim as string };

    // Act / Assess
    expect(isReservedClaim(claim)).toBe(true);
    expect(() => buildTenantClaims(facts('2'), ACME, { ...OPTIONS, claimNames: names })).toThrow(
      ReservedClaimError,
    );
  });

  it('refuses a reserved literal in the types as well', () => {
    // Assess: these lines only compile because of the expect-error comments.
    // @ts-expect-error sub is reserved by Cognito
    expect(() => assertSettableClaim('sub')).toThrow(ReservedClaimError);
    // @ts-expect-error cognito: claims are reserved by Cognito
    expect(() => assertSettableClaim('cognito:groups')).toThrow(ReservedClaimError);
    expect(assertSettableClaim('tenant_id')).toBe('tenant_id');
  });

  it.each(['cognito:', 'dev:', 'COGNITO:'])('refuses the claim prefix %s', (prefix) => {
    // Act / Assess
    expect(() => toTenantClaimNames(prefix)).toThrow(ReservedClaimError);
  });
});
