import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbProvisioningStore } from '../../../shared/tenant-provisioning/dynamodb-provisioning-store.js';
import {
  InvalidDomainRuleError,
  TenantProvisioningError,
} from '../../../shared/tenant-provisioning/errors.js';
import { provisionTenantMembership } from '../../../shared/tenant-provisioning/provision-tenant.js';
import {
  LOCAL_AWS_CREDENTIALS,
  createLocalDynamoDbClient,
  createTenantTable,
  domainRuleItem,
  membershipItem,
  queryUserItems,
  seedTenantItems,
  startDynalite,
} from '../../support/dynalite.js';
import { startFaultServer, type FaultServer } from '../pre-token-generation/fault-server.js';

const TABLE = 'provisioning';
const NOW = new Date('2026-12-01T12:00:00.000Z');

let db: Awaited<ReturnType<typeof startDynalite>>;
let client: DynamoDBClient;
let faults: FaultServer;
let counter = 0;
const freshSub = (): string => `sub-${process.pid}-${(counter += 1)}`;
const signal = (): AbortSignal => AbortSignal.timeout(10_000);

beforeAll(async () => {
  db = await startDynalite();
  client = createLocalDynamoDbClient(db.endpoint);
  await createTenantTable(client, TABLE);
  await seedTenantItems(client, TABLE, [
    domainRuleItem('acme.example.com', 'acme', 'editor'),
    domainRuleItem('initech.example.com', 'initech'),
    domainRuleItem('xn--bcher-kva.example.com', 'buecher'),
    domainRuleItem('broken.example.com', 'has space'),
    { pk: 'DOMAIN#no-tenant.example.com', sk: 'TENANT', role: 'member' },
  ]);
  faults = await startFaultServer(db.endpoint);
});

afterAll(async () => {
  await faults?.stop();
  client?.destroy();
  await db?.stop();
});

beforeEach(() => {
  faults.mode = 'proxy';
  faults.resetCalls();
});

const store = (dynamo: DynamoDBClient = client) =>
  createDynamoDbProvisioningStore({ client: dynamo, tableName: TABLE, writer: 'test', now: () => NOW });

const membershipsOf = (sub: string) => queryUserItems(client, TABLE, sub);

describe('the DynamoDB provisioning store against dynalite', () => {
  it('reads a domain rule with its role', async () => {
    await expect(store().readDomainRule('acme.example.com', signal())).resolves.toEqual({
      domain: 'acme.example.com',
      tenantId: 'acme',
      role: 'editor',
    });
  });

  it('gives a rule without a role the member role', async () => {
    await expect(store().readDomainRule('initech.example.com', signal())).resolves.toMatchObject({
      role: 'member',
    });
  });

  it('answers undefined for a domain without a rule, and never matches a parent domain', async () => {
    await expect(store().readDomainRule('example.com', signal())).resolves.toBeUndefined();
    await expect(store().readDomainRule('eu.acme.example.com', signal())).resolves.toBeUndefined();
  });

  it.each([
    ['a tenant id with a space', 'broken.example.com'],
    ['no tenant id', 'no-tenant.example.com'],
  ])('refuses a rule with %s as a fault', async (_case, domain) => {
    await expect(store().readDomainRule(domain, signal())).rejects.toBeInstanceOf(InvalidDomainRuleError);
  });

  it('writes the membership with its role and who provisioned it', async () => {
    // Prepare
    const sub = freshSub();

    // Act
    const result = await store().grantMembershipIfAbsent({ sub, tenantId: 'acme', role: 'editor' }, signal());

    // Assess
    expect(result).toBe('created');
    const item = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `USER#${sub}` }, sk: { S: 'TENANT#acme' } } }),
    );
    expect(item.Item).toEqual({
      pk: { S: `USER#${sub}` },
      sk: { S: 'TENANT#acme' },
      role: { S: 'editor' },
      provisionedBy: { S: 'test' },
      provisionedAt: { S: '2026-12-01T12:00:00.000Z' },
    });
  });

  it('never changes an existing membership: a role an admin set stays', async () => {
    // Prepare
    const sub = freshSub();
    await seedTenantItems(client, TABLE, [membershipItem(sub, 'acme', 'admin', true)]);

    // Act
    const result = await store().grantMembershipIfAbsent({ sub, tenantId: 'acme', role: 'member' }, signal());

    // Assess
    expect(result).toBe('exists');
    expect(await membershipsOf(sub)).toEqual([
      { pk: { S: `USER#${sub}` }, sk: { S: 'TENANT#acme' }, role: { S: 'admin' }, default: { BOOL: true } },
    ]);
  });

  it('writes exactly once over ten repeated confirmations of the same user', async () => {
    // Prepare
    const sub = freshSub();
    const attributes = { sub, email: 'new.hire@ACME.example.com', email_verified: 'true' };

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => provisionTenantMembership(attributes, store(), signal())),
    );

    // Assess
    expect(outcomes.filter((outcome) => outcome.kind === 'created')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'exists')).toHaveLength(9);
    expect(await membershipsOf(sub)).toHaveLength(1);
  });

  it('writes exactly once when the SDK retries a write whose answer was lost', async () => {
    // Prepare: the first PutItem reaches the table, its answer is replaced by a 500, the SDK retries.
    faults.mode = 'lost-write-once';
    const dynamo = new DynamoDBClient({
      endpoint: faults.endpoint,
      region: 'us-east-1',
      credentials: { ...LOCAL_AWS_CREDENTIALS },
      maxAttempts: 3,
    });
    const retrying = createDynamoDbProvisioningStore({ client: dynamo, tableName: TABLE, writer: 'test' });
    const sub = freshSub();

    // Act
    let result: string;
    try {
      result = await retrying.grantMembershipIfAbsent({ sub, tenantId: 'acme', role: 'member' }, signal());
    } finally {
      dynamo.destroy();
    }

    // Assess
    expect(faults.calls.PutItem).toBe(2);
    expect(result).toBe('exists');
    expect(await membershipsOf(sub)).toHaveLength(1);
  });

  it('reports a failing table as a provisioning fault', async () => {
    // Prepare
    faults.mode = 'error';
    const dynamo = createLocalDynamoDbClient(faults.endpoint);

    // Act
    const failure = store(dynamo).readDomainRule('acme.example.com', signal());

    // Assess
    await expect(failure).rejects.toBeInstanceOf(TenantProvisioningError);
    dynamo.destroy();
  });

  it('stops at the signal when the table hangs', async () => {
    // Prepare
    faults.mode = 'hang';
    const dynamo = createLocalDynamoDbClient(faults.endpoint);
    const startedAt = Date.now();

    // Act
    const failure = store(dynamo).grantMembershipIfAbsent(
      { sub: freshSub(), tenantId: 'acme', role: 'member' },
      AbortSignal.timeout(200),
    );

    // Assess
    await expect(failure).rejects.toThrow();
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    dynamo.destroy();
  });
});
