import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDeadline } from '../../../shared/deadline.js';
import {
  createDynamoDbTenantDirectory,
  createTenantTableClient,
} from '../../../triggers/pre-token-generation/directory/dynamodb-tenant-directory.js';
import type { TenantPrincipal } from '../../../triggers/pre-token-generation/directory/tenant-directory.js';
import {
  LOCAL_AWS_CREDENTIALS,
  createLocalDynamoDbClient,
  createTenantTable,
  membershipItem,
  seedTenantItems,
  startDynalite,
  tenantItem,
} from '../../support/dynalite.js';
import { startFaultServer, type FaultServer } from './fault-server.js';

const TABLE = 'tenants';
const NO_ABORT = new AbortController().signal;
const user = (sub: string): TenantPrincipal => ({ kind: 'user', sub });

let db: Awaited<ReturnType<typeof startDynalite>>;
let client: DynamoDBClient;
let faults: FaultServer;

beforeAll(async () => {
  db = await startDynalite();
  client = createLocalDynamoDbClient(db.endpoint);
  await createTenantTable(client, TABLE);
  const many = Array.from({ length: 120 }, (_, index) => `bulk-${String(index).padStart(3, '0')}`);
  await seedTenantItems(client, TABLE, [
    tenantItem('acme', 'enterprise', 'active', 'Acme Corp'),
    tenantItem('globex', 'pro', 'active'),
    tenantItem('initech', 'free', 'suspended'),
    membershipItem('single', 'acme', 'admin', true),
    membershipItem('multi', 'acme', 'member'),
    membershipItem('multi', 'globex', 'owner', true),
    membershipItem('multi', 'initech', 'viewer'),
    membershipItem('dangling', 'ghost', 'admin'),
    membershipItem('singles', 'globex', 'viewer'),
    { pk: 'USER#single', sk: 'PROFILE', role: 'not-a-membership' },
    { pk: 'CLIENT#svc-client', sk: 'TENANT#acme', role: 'service' },
    ...many.map((id) => tenantItem(id, 'free', 'active')),
    ...many.map((id) => membershipItem('bulk', id, 'member')),
  ]);
  faults = await startFaultServer(db.endpoint);
});

afterAll(async () => {
  await faults?.stop();
  client?.destroy();
  await db?.stop();
});

afterEach(() => {
  faults.mode = 'proxy';
  faults.resetCalls();
  vi.unstubAllEnvs();
});

describe('createDynamoDbTenantDirectory against dynalite', () => {
  it('reads a single membership with its tenant', async () => {
    // Prepare
    const directory = createDynamoDbTenantDirectory({ client, tableName: TABLE });

    // Act
    const lookup = await directory.lookupMemberships(user('single'), NO_ABORT);

    // Assess
    expect(lookup.memberships).toEqual([
      {
        tenantId: 'acme',
        role: 'admin',
        isDefault: true,
        tenant: { tenantId: 'acme', plan: 'enterprise', status: 'active', name: 'Acme Corp' },
      },
    ]);
  });

  it('reads several memberships, suspended ones included, with one query and one batch read', async () => {
    // Prepare
    const directory = createDynamoDbTenantDirectory({
      client: createLocalDynamoDbClient(faults.endpoint),
      tableName: TABLE,
    });

    // Act
    const lookup = await directory.lookupMemberships(user('multi'), NO_ABORT);

    // Assess
    expect(lookup.memberships.map((m) => [m.tenantId, m.role, m.isDefault, m.tenant?.status])).toEqual([
      ['acme', 'member', false, 'active'],
      ['globex', 'owner', true, 'active'],
      ['initech', 'viewer', false, 'suspended'],
    ]);
    expect(faults.calls).toEqual({ Query: 1, BatchGetItem: 1 });
  });

  it.each([
    ['a user with no membership', 'nobody', []],
    [
      'a membership whose tenant item is missing',
      'dangling',
      [{ tenantId: 'ghost', role: 'admin', isDefault: false, tenant: undefined }],
    ],
  ])('answers %s', async (_name, sub, expected) => {
    // Prepare
    const directory = createDynamoDbTenantDirectory({ client, tableName: TABLE });

    // Act
    const lookup = await directory.lookupMemberships(user(sub), NO_ABORT);

    // Assess
    expect(lookup.memberships).toEqual(expected);
  });

  it('does not mix up a sub with another that starts the same', async () => {
    // Prepare
    const directory = createDynamoDbTenantDirectory({ client, tableName: TABLE });

    // Act
    const lookup = await directory.lookupMemberships(user('single'), NO_ABORT);

    // Assess
    expect(lookup.memberships.map((m) => m.tenantId)).toEqual(['acme']);
  });

  it('reads a machine client’s membership from its CLIENT# partition', async () => {
    // Prepare
    const directory = createDynamoDbTenantDirectory({ client, tableName: TABLE });

    // Act
    const lookup = await directory.lookupMemberships({ kind: 'client', clientId: 'svc-client' }, NO_ABORT);

    // Assess
    expect(lookup.memberships.map((m) => [m.tenantId, m.role, m.tenant?.plan])).toEqual([
      ['acme', 'service', 'enterprise'],
    ]);
  });

  it('reads more than 100 tenants in batches of 100', async () => {
    // Prepare
    const directory = createDynamoDbTenantDirectory({
      client: createLocalDynamoDbClient(faults.endpoint),
      tableName: TABLE,
    });

    // Act
    const lookup = await directory.lookupMemberships(user('bulk'), NO_ABORT);

    // Assess
    expect(lookup.memberships).toHaveLength(120);
    expect(lookup.memberships.every((m) => m.tenant?.status === 'active')).toBe(true);
    expect(faults.calls.BatchGetItem).toBe(2);
  });

  it('asks again for unprocessed keys', async () => {
    // Prepare
    faults.mode = 'unprocessed-once';
    const directory = createDynamoDbTenantDirectory({
      client: createLocalDynamoDbClient(faults.endpoint),
      tableName: TABLE,
    });

    // Act
    const lookup = await directory.lookupMemberships(user('multi'), NO_ABORT);

    // Assess
    expect(lookup.memberships.every((m) => m.tenant !== undefined)).toBe(true);
    expect(faults.calls).toEqual({ Query: 1, BatchGetItem: 2 });
  });

  it('finds the endpoint in AWS_ENDPOINT_URL_DYNAMODB by itself', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', faults.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS_CREDENTIALS.secretAccessKey);
    const envClient = createTenantTableClient({
      requestTimeoutMs: 1_000,
      connectionTimeoutMs: 500,
      maxAttempts: 1,
    });
    const directory = createDynamoDbTenantDirectory({ client: envClient, tableName: TABLE });

    // Act
    const lookup = await directory.lookupMemberships(user('single'), NO_ABORT);

    // Assess
    expect(lookup.memberships.map((m) => m.tenantId)).toEqual(['acme']);
    expect(faults.calls.Query).toBe(1);
    envClient.destroy();
  });

  it.each(['hang', 'throttle', 'error'] as const)(
    'stops at the deadline when the endpoint does %s',
    async (mode) => {
      // Prepare
      faults.mode = mode;
      vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', faults.endpoint);
      vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS_CREDENTIALS.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS_CREDENTIALS.secretAccessKey);
      // Generous attempts and timeouts: the deadline, not the retry budget, must end the call.
      const slowClient = createTenantTableClient({
        requestTimeoutMs: 4_000,
        connectionTimeoutMs: 1_000,
        maxAttempts: 10,
      });
      const directory = createDynamoDbTenantDirectory({ client: slowClient, tableName: TABLE });
      const deadline = startDeadline(600);
      const startedAt = Date.now();

      // Act
      const outcome = directory.lookupMemberships(user('single'), deadline.signal);

      // Assess
      await expect(outcome).rejects.toThrow();
      expect(Date.now() - startedAt).toBeLessThan(600 + 1_000);
      expect(faults.totalCalls()).toBeGreaterThanOrEqual(1);
      deadline.dispose();
      slowClient.destroy();
    },
  );

  it('throws on a request that passes requestTimeout, then retries up to maxAttempts', async () => {
    // Prepare
    faults.mode = 'hang';
    // The connection timeout is generous: on a loaded machine a 100 ms one could end an attempt before the
    // request was counted, or after, and the count would then say nothing about the request timeout.
    const hangingClient = createTenantTableClient({
      requestTimeoutMs: 300,
      connectionTimeoutMs: 2_000,
      maxAttempts: 2,
    });
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', faults.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS_CREDENTIALS.secretAccessKey);
    const directory = createDynamoDbTenantDirectory({ client: hangingClient, tableName: TABLE });

    // Act
    const outcome = directory.lookupMemberships(user('single'), NO_ABORT);

    // Assess: no signal here, so only the request timeout can end it.
    await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(faults.calls.Query).toBe(2);
    hangingClient.destroy();
  });
});
