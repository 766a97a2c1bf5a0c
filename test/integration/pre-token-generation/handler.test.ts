import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PreTokenGenerationEvent } from '../../../triggers/pre-token-generation/handler.js';
import {
  createLocalDynamoDbClient,
  createTenantTable,
  membershipItem,
  seedTenantItems,
  startDynalite,
  tenantItem,
} from '../../support/dynalite.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';
import { startFaultServer, type FaultServer } from './fault-server.js';
import { addedClaims, coldStartHandler } from './handler-setup.js';

const FIXTURE_SUB = '7c0a4e5e-2b1f-4d8e-9a53-0f6b1c2d3e4f';
const M2M_CLIENT_ID = '6f1r2ml0c7nq9kqf0e4tsm5kbl';
const FIXTURE_GROUPS = ['admins', 'editors'];

let db: Awaited<ReturnType<typeof startDynalite>>;
let client: DynamoDBClient;
let server: FaultServer;
let logs: CapturedLogs;

beforeAll(async () => {
  db = await startDynalite();
  client = createLocalDynamoDbClient(db.endpoint);
  await createTenantTable(client, 'tenants');
  await seedTenantItems(client, 'tenants', [
    tenantItem('acme', 'enterprise', 'active', 'Acme Corp'),
    tenantItem('globex', 'pro', 'active'),
    tenantItem('initech', 'free', 'suspended'),
    membershipItem(FIXTURE_SUB, 'acme', 'admin', true),
    membershipItem('multi', 'acme', 'member'),
    membershipItem('multi', 'globex', 'owner', true),
    membershipItem('multi', 'initech', 'viewer'),
    membershipItem('suspended', 'initech', 'admin', true),
    { pk: `CLIENT#${M2M_CLIENT_ID}`, sk: 'TENANT#globex', role: 'service' },
  ]);
  server = await startFaultServer(db.endpoint);
});

afterAll(async () => {
  await server?.stop();
  client?.destroy();
  await db?.stop();
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
  server.resetCalls();
  vi.unstubAllEnvs();
});

const fixture = (name: string, sub?: string): PreTokenGenerationEvent => {
  const event = loadEvent<PreTokenGenerationEvent>(`pre-token-generation/${name}.json`);
  if (sub !== undefined) event.request.userAttributes.sub = sub;
  return event;
};

describe('pre token generation handler against dynalite', () => {
  it.each(['v1-authentication', 'v1-refresh-tokens', 'v1-hosted-auth'])(
    'adds string claims to the ID token and keeps the groups for %s',
    async (name) => {
      // Prepare
      const handler = await coldStartHandler(server.endpoint);
      const event = fixture(name);
      const groups = structuredClone(event.request.groupConfiguration);

      // Act
      const result = await handler(event, fakeLambdaContext());

      // Assess
      expect(result.response).toEqual({
        claimsOverrideDetails: {
          claimsToAddOrOverride: { tenant_id: 'acme', tenant_role: 'admin', tenant_plan: 'enterprise' },
          groupOverrideDetails: groups,
        },
      });
    },
  );

  it.each([
    'v2-authentication',
    'v2-refresh-tokens',
    'v2-hosted-auth',
    'v3-authentication',
    'v3-refresh-tokens',
    'v3-hosted-auth',
  ])('adds claims to both tokens and keeps the groups for %s', async (name) => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint);
    const event = fixture(name);

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    const claims = { tenant_id: 'acme', tenant_role: 'admin', tenant_plan: 'enterprise' };
    const added = addedClaims(result);
    expect(added.id).toEqual(claims);
    expect(added.access).toEqual(claims);
    expect((added.groups as { groupsToOverride: string[] }).groupsToOverride).toEqual(
      expect.arrayContaining(FIXTURE_GROUPS),
    );
  });

  it('takes the tenant from the table, never from the user’s custom:tenant_id attribute', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint);
    const event = fixture('v2-authentication');
    expect(event.request.userAttributes['custom:tenant_id']).toBe('tenant-chosen-by-the-user');

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(addedClaims(result).id?.tenant_id).toBe('acme');
  });

  it('gives a machine client the tenant of its CLIENT# membership, in the access token only', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint);

    // Act
    const result = await handler(fixture('v3-client-credentials'), fakeLambdaContext());

    // Assess
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: { tenant_id: 'globex', tenant_role: 'service', tenant_plan: 'pro' },
        },
      },
    });
  });

  it.each([
    ['v1-authentication', 'acme,globex'],
    ['v2-authentication', ['acme', 'globex']],
  ])(
    'picks the default tenant and lists the active ones for a user in several tenants (%s)',
    async (name, tenantIds) => {
      // Prepare
      const handler = await coldStartHandler(server.endpoint);

      // Act
      const result = await handler(fixture(name, 'multi'), fakeLambdaContext());

      // Assess
      expect(addedClaims(result).id).toEqual({
        tenant_id: 'globex',
        tenant_role: 'owner',
        tenant_plan: 'pro',
        tenant_ids: tenantIds,
      });
    },
  );

  it.each(['v1-authentication', 'v2-refresh-tokens', 'v3-hosted-auth'])(
    'refuses a user whose only tenant is suspended (%s)',
    async (name) => {
      // Prepare
      const handler = await coldStartHandler(server.endpoint, { ON_MISSING_TENANT: 'omit' });

      // Act
      const outcome = handler(fixture(name, 'suspended'), fakeLambdaContext());

      // Assess
      await expect(outcome).rejects.toThrow(/^\[TENANT_SUSPENDED\] /);
    },
  );

  it.each([
    ['deny', 'v1-authentication'],
    ['deny', 'v2-authentication'],
    ['deny', 'v3-client-credentials'],
  ])('refuses a principal with no membership when ON_MISSING_TENANT is %s (%s)', async (policy, name) => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint, { ON_MISSING_TENANT: policy });
    const event = fixture(name, name.includes('client') ? undefined : 'nobody');
    if (name.includes('client')) event.callerContext.clientId = 'unknown-client';

    // Act
    const outcome = handler(event, fakeLambdaContext());

    // Assess
    await expect(outcome).rejects.toThrow(/^\[TENANT_REQUIRED\] /);
  });

  it.each(['v1-authentication', 'v2-authentication', 'v3-refresh-tokens'])(
    'issues the token without tenant claims but with its groups when ON_MISSING_TENANT is omit (%s)',
    async (name) => {
      // Prepare
      const handler = await coldStartHandler(server.endpoint, { ON_MISSING_TENANT: 'omit' });

      // Act
      const result = await handler(fixture(name, 'nobody'), fakeLambdaContext());

      // Assess
      const added = addedClaims(result);
      expect(added.id).toBeUndefined();
      expect(added.access).toBeUndefined();
      expect((added.groups as { groupsToOverride: string[] }).groupsToOverride).toEqual(FIXTURE_GROUPS);
    },
  );

  it('suppresses groups when GROUP_OVERRIDE is suppress', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint, { GROUP_OVERRIDE: 'suppress' });

    // Act
    const result = await handler(fixture('v2-authentication'), fakeLambdaContext());

    // Assess
    expect(addedClaims(result).groups).toEqual({ groupsToOverride: [], iamRolesToOverride: [] });
  });

  it.each(['cognito:', 'dev:'])(
    'fails the cold start when TENANT_CLAIM_PREFIX %s would set a reserved claim',
    async (prefix) => {
      // Act
      const coldStart = coldStartHandler(server.endpoint, { TENANT_CLAIM_PREFIX: prefix });

      // Assess
      await expect(coldStart).rejects.toThrow(/TENANT_CLAIM_PREFIX/);
    },
  );

  it('serves a warm user from the cache and never lends one user’s tenant to another', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint);
    await handler(fixture('v2-authentication'), fakeLambdaContext());
    server.resetCalls();

    // Act
    const again = await handler(fixture('v2-authentication'), fakeLambdaContext());
    const other = await handler(fixture('v2-authentication', 'multi'), fakeLambdaContext());

    // Assess
    expect(addedClaims(again).id?.tenant_id).toBe('acme');
    expect(addedClaims(other).id?.tenant_id).toBe('globex');
    expect(server.calls).toEqual({ Query: 1, BatchGetItem: 1 });
  });

  it('makes one lookup for concurrent misses of one user', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint);

    // Act
    const results = await Promise.all(
      Array.from({ length: 8 }, () => handler(fixture('v2-authentication', 'multi'), fakeLambdaContext())),
    );

    // Assess
    expect(results.map((result) => addedClaims(result).id?.tenant_id)).toEqual(Array(8).fill('globex'));
    expect(server.calls).toEqual({ Query: 1, BatchGetItem: 1 });
  });

  it('writes neither the event nor the claims to the logs', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint, { POWERTOOLS_LOG_LEVEL: 'DEBUG' });

    // Act
    await handler(fixture('v2-authentication'), fakeLambdaContext());

    // Assess
    const text = logs.text();
    expect(text).toContain('Tenant claims decided');
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain(FIXTURE_SUB);
    expect(text).not.toContain('enterprise');
  });
});
