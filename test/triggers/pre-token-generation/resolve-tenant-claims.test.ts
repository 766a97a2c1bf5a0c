import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { NO_DEADLINE, startDeadline } from '../../../shared/deadline.js';
import {
  toTenantClaimNames,
  type LookupFailurePolicy,
} from '../../../triggers/pre-token-generation/build-tenant-claims.js';
import {
  createTenantClaimsResolver,
  toPrincipal,
} from '../../../triggers/pre-token-generation/resolve-tenant-claims.js';
import { createTenantCache } from '../../../triggers/pre-token-generation/directory/tenant-cache.js';
import type {
  TenantDirectory,
  TenantLookup,
  TenantPrincipal,
} from '../../../triggers/pre-token-generation/directory/tenant-directory.js';

/** An in-memory directory: answers from a map after `delayMs`, or never when `hang` is set. */
function createMemoryDirectory(
  data: Record<string, TenantLookup>,
  options: { delayMs?: number; hang?: boolean } = {},
) {
  const asked: TenantPrincipal[] = [];
  const directory: TenantDirectory = {
    async lookupMemberships(principal, signal) {
      asked.push(principal);
      if (options.hang) {
        await new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      }
      await sleep(options.delayMs ?? 0);
      const key = principal.kind === 'user' ? principal.sub : `client:${principal.clientId}`;
      return data[key] ?? { memberships: [] };
    },
  };
  return { directory, asked };
}

const ACME: TenantLookup = {
  memberships: [
    {
      tenantId: 'acme',
      role: 'admin',
      isDefault: true,
      tenant: { tenantId: 'acme', status: 'active', plan: 'pro' },
    },
  ],
};

function createResolver(directory: TenantDirectory, onLookupFailure: LookupFailurePolicy = 'deny') {
  return createTenantClaimsResolver({
    directory,
    cache: createTenantCache<TenantLookup>({
      ttlMs: 60_000,
      negativeTtlMs: 5_000,
      staleMaxMs: 600_000,
      maxEntries: 100,
    }),
    config: {
      onLookupFailure,
      onMissingTenant: 'omit',
      groups: 'preserve',
      claimNames: toTenantClaimNames(),
      maxClaimsBytes: 1024,
    },
  });
}

const userEvent = (sub: string) => ({
  version: '2',
  triggerSource: 'TokenGeneration_Authentication',
  request: {
    userAttributes: { sub, 'custom:tenant_id': 'evil' },
    groupConfiguration: { groupsToOverride: ['g'] },
  },
});

describe('createTenantClaimsResolver', () => {
  it('waits for a slow directory when there is no deadline', async () => {
    // Prepare
    const { directory } = createMemoryDirectory({ u1: ACME }, { delayMs: 30 });
    const resolver = createResolver(directory);

    // Act
    const outcome = await resolver.resolve(userEvent('u1'), NO_DEADLINE);

    // Assess
    expect(outcome.source).toBe('load');
    expect(outcome.response).toMatchObject({
      claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { tenant_id: 'acme' } } },
    });
  });

  it('gives up on the lookup early enough to answer by the omit policy before the deadline', async () => {
    // Prepare
    const { directory } = createMemoryDirectory({}, { hang: true });
    const resolver = createResolver(directory, 'omit');
    const deadline = startDeadline(500);

    // Act
    const outcome = await resolver.resolve(userEvent('u1'), deadline);

    // Assess
    expect(deadline.signal.aborted).toBe(false);
    expect(outcome.source).toBe('omitted-after-failure');
    expect(outcome.response).toEqual({
      claimsAndScopeOverrideDetails: { groupOverrideDetails: { groupsToOverride: ['g'] } },
    });
    deadline.dispose();
  });

  it.each([
    ['a user by sub', userEvent('u1'), { kind: 'user', sub: 'u1' }],
    [
      'a machine client by its caller client id',
      {
        version: '3',
        triggerSource: 'TokenGeneration_ClientCredentials',
        callerContext: { clientId: 'c1' },
        request: { userAttributes: {} },
      },
      { kind: 'client', clientId: 'c1' },
    ],
  ])('names %s', (_name, event, expected) => {
    // Act / Assess
    expect(toPrincipal(event)).toEqual(expected);
  });

  it.each([
    [
      'a user event without sub',
      { version: '2', triggerSource: 'TokenGeneration_Authentication', request: { userAttributes: {} } },
    ],
    [
      'a client credentials event without client id',
      { version: '3', triggerSource: 'TokenGeneration_ClientCredentials', request: null },
    ],
  ])('treats %s as a fault', (_name, event) => {
    // Act / Assess
    expect(() => toPrincipal(event)).toThrow(Error);
  });
});
