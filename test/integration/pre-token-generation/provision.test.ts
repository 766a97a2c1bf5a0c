import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PreTokenGenerationEvent } from '../../../triggers/pre-token-generation/handler.js';
import {
  createLocalDynamoDbClient,
  createTenantTable,
  domainRuleItem,
  queryUserItems,
  seedTenantItems,
  startDynalite,
  tenantItem,
} from '../../support/dynalite.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';
import { addedClaims, coldStartHandler } from './handler-setup.js';

let db: Awaited<ReturnType<typeof startDynalite>>;
let client: DynamoDBClient;
let logs: CapturedLogs | undefined;

beforeAll(async () => {
  db = await startDynalite();
  client = createLocalDynamoDbClient(db.endpoint);
  await createTenantTable(client, 'tenants');
  await seedTenantItems(client, 'tenants', [
    tenantItem('acme', 'pro', 'active', 'Acme Corp'),
    domainRuleItem('acme.example.com', 'acme', 'member'),
  ]);
});

afterAll(async () => {
  client?.destroy();
  await db?.stop();
});

afterEach(() => {
  logs?.restore();
  logs = undefined;
  vi.unstubAllEnvs();
});

const adminCreatedUser = (sub: string): PreTokenGenerationEvent => {
  const event = loadEvent<PreTokenGenerationEvent>('pre-token-generation/v2-authentication.json');
  event.triggerSource = 'TokenGeneration_NewPasswordChallenge';
  event.request.userAttributes = {
    sub,
    'cognito:user_status': 'FORCE_CHANGE_PASSWORD',
    email: 'invited@acme.example.com',
    email_verified: 'true',
  };
  return event;
};

const membershipsOf = (sub: string) => queryUserItems(client, 'tenants', sub);

describe('PreTokenGeneration with ON_MISSING_TENANT=provision against dynalite', () => {
  it('provisions an admin-created user on first sign-in and puts the tenant in both tokens', async () => {
    // Prepare
    const handler = await coldStartHandler(db.endpoint, { ON_MISSING_TENANT: 'provision' });

    // Act
    const result = await handler(adminCreatedUser('invited-1'), fakeLambdaContext());

    // Assess
    const claims = { tenant_id: 'acme', tenant_role: 'member', tenant_plan: 'pro' };
    expect(addedClaims(result)).toMatchObject({ id: claims, access: claims });
    expect(await membershipsOf('invited-1')).toEqual([
      expect.objectContaining({
        sk: { S: 'TENANT#acme' },
        role: { S: 'member' },
        provisionedBy: { S: 'pre-token-generation' },
      }),
    ]);
  });

  it('writes one membership over repeated sign-ins in fresh containers', async () => {
    // Act
    for (let container = 0; container < 3; container += 1) {
      const handler = await coldStartHandler(db.endpoint, { ON_MISSING_TENANT: 'provision' });
      await handler(adminCreatedUser('invited-2'), fakeLambdaContext());
    }

    // Assess
    expect(await membershipsOf('invited-2')).toHaveLength(1);
  });

  it('still refuses with TENANT_REQUIRED under ON_MISSING_TENANT=deny, writing nothing', async () => {
    // Prepare
    const handler = await coldStartHandler(db.endpoint, { ON_MISSING_TENANT: 'deny' });

    // Act
    const failure = handler(adminCreatedUser('invited-3'), fakeLambdaContext());

    // Assess
    await expect(failure).rejects.toThrow(/^\[TENANT_REQUIRED\] /);
    expect(await membershipsOf('invited-3')).toEqual([]);
  });

  it('logs the provisioning without the email or its domain', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const handler = await coldStartHandler(db.endpoint, {
      ON_MISSING_TENANT: 'provision',
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    logs = captureLogs();

    // Act
    await handler(adminCreatedUser('invited-4'), fakeLambdaContext());

    // Assess
    const text = logs.text();
    expect(text).toContain('"provisioning":"created"');
    expect(text).not.toContain('invited@');
  });
});
