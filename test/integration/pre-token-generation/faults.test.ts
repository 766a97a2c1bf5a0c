import { setTimeout as sleep } from 'node:timers/promises';
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
import { emfLines } from '../../support/emf.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';
import { startFaultServer, type FaultServer } from './fault-server.js';
import { addedClaims, coldStartHandler } from './handler-setup.js';

// A short Cognito budget keeps the suite quick: 1,200 ms less the 300 ms margin, which the DynamoDB
// retries must fit (3 × 300 ms; the cold start refuses the defaults' 3 × 1,000 ms).
const BUDGET = {
  COGNITO_BUDGET_MS: '1200',
  DEADLINE_MARGIN_MS: '300',
  DYNAMODB_REQUEST_TIMEOUT_MS: '300',
  DYNAMODB_MAX_ATTEMPTS: '3',
};
const BUDGET_MS = 1_200;
// Generous: the assertion is "inside the deadline", not a speed goal.
const SLACK_MS = 800;

let db: Awaited<ReturnType<typeof startDynalite>>;
let client: DynamoDBClient;
let server: FaultServer;
let logs: CapturedLogs;

beforeAll(async () => {
  db = await startDynalite();
  client = createLocalDynamoDbClient(db.endpoint);
  await createTenantTable(client, 'tenants');
  await seedTenantItems(client, 'tenants', [
    tenantItem('acme', 'enterprise', 'active'),
    membershipItem('7c0a4e5e-2b1f-4d8e-9a53-0f6b1c2d3e4f', 'acme', 'admin', true),
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
  server.mode = 'proxy';
  server.resetCalls();
  vi.unstubAllEnvs();
});

const event = (): PreTokenGenerationEvent =>
  loadEvent<PreTokenGenerationEvent>('pre-token-generation/v2-authentication.json');

async function timed<T>(
  work: () => Promise<T>,
): Promise<{ outcome: PromiseSettledResult<T>; elapsedMs: number }> {
  const startedAt = Date.now();
  const [outcome] = await Promise.allSettled([work()]);
  return { outcome: outcome as PromiseSettledResult<T>, elapsedMs: Date.now() - startedAt };
}

describe('pre token generation handler when DynamoDB misbehaves', () => {
  const modes = ['hang', 'throttle', 'error'] as const;

  it.each(modes)(
    'refuses with TEMPORARY_FAILURE inside the deadline when the endpoint does %s and the policy is deny',
    async (mode) => {
      // Prepare
      const handler = await coldStartHandler(server.endpoint, { ...BUDGET, ON_LOOKUP_FAILURE: 'deny' });
      server.mode = mode;

      // Act
      const { outcome, elapsedMs } = await timed(() => handler(event(), fakeLambdaContext()));

      // Assess
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/\[TEMPORARY_FAILURE\] /);
      expect(elapsedMs).toBeLessThan(BUDGET_MS + SLACK_MS);
      expect(server.totalCalls()).toBeGreaterThanOrEqual(1);
    },
  );

  it.each(modes)(
    'issues the token without tenant claims inside the deadline when the endpoint does %s and the policy is omit',
    async (mode) => {
      // Prepare
      const handler = await coldStartHandler(server.endpoint, { ...BUDGET, ON_LOOKUP_FAILURE: 'omit' });
      server.mode = mode;

      // Act
      const { outcome, elapsedMs } = await timed(() => handler(event(), fakeLambdaContext()));

      // Assess
      expect(outcome.status).toBe('fulfilled');
      const added = addedClaims((outcome as PromiseFulfilledResult<PreTokenGenerationEvent>).value);
      expect(added.id).toBeUndefined();
      expect(added.access).toBeUndefined();
      expect((added.groups as { groupsToOverride: string[] }).groupsToOverride).toEqual([
        'admins',
        'editors',
      ]);
      expect(elapsedMs).toBeLessThan(BUDGET_MS + SLACK_MS);
      expect(logs.text()).toContain('Tenant lookup failed; applied ON_LOOKUP_FAILURE');
    },
  );

  it.each(modes)(
    'refuses inside the deadline when the endpoint does %s, the policy is stale and nothing was cached',
    async (mode) => {
      // Prepare
      const handler = await coldStartHandler(server.endpoint, { ...BUDGET, ON_LOOKUP_FAILURE: 'stale' });
      server.mode = mode;

      // Act
      const { outcome, elapsedMs } = await timed(() => handler(event(), fakeLambdaContext()));

      // Assess
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/\[TEMPORARY_FAILURE\] /);
      expect(elapsedMs).toBeLessThan(BUDGET_MS + SLACK_MS);
    },
  );

  it('answers inside a Lambda that has less time left than the Cognito budget', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint, { ON_LOOKUP_FAILURE: 'omit' });
    server.mode = 'hang';

    // Act
    const { outcome, elapsedMs } = await timed(() =>
      handler(event(), fakeLambdaContext({ remainingMs: 900 })),
    );

    // Assess
    expect(outcome.status).toBe('fulfilled');
    expect(elapsedMs).toBeLessThan(900 + SLACK_MS);
  });

  it('serves the cached tenant after the TTL while the lookup fails, then refuses once the stale bound passes', async () => {
    // Prepare
    const handler = await coldStartHandler(server.endpoint, {
      ...BUDGET,
      ON_LOOKUP_FAILURE: 'stale',
      TENANT_CACHE_TTL_SECONDS: '1',
      TENANT_STALE_MAX_SECONDS: '3',
    });
    const loadedAt = Date.now();
    const fresh = await handler(event(), fakeLambdaContext());
    server.mode = 'error';

    // Act
    await sleep(1_100 - (Date.now() - loadedAt));
    const stale = await timed(() => handler(event(), fakeLambdaContext()));
    await sleep(Math.max(0, 3_300 - (Date.now() - loadedAt)));
    const expired = await timed(() => handler(event(), fakeLambdaContext()));

    // Assess
    expect(addedClaims(fresh).id?.tenant_id).toBe('acme');
    expect(stale.outcome.status).toBe('fulfilled');
    expect(
      addedClaims((stale.outcome as PromiseFulfilledResult<PreTokenGenerationEvent>).value).id?.tenant_id,
    ).toBe('acme');
    expect(expired.outcome.status).toBe('rejected');
    expect(String((expired.outcome as PromiseRejectedResult).reason)).toMatch(/\[TEMPORARY_FAILURE\] /);
    expect(server.calls.Query).toBeGreaterThanOrEqual(3);
  });

  it('counts a miss, then a stale serve while the lookup fails, in the EMF lines of each invocation', async () => {
    // Prepare: a stale bound far beyond the test's own time, so only the TTL has to pass.
    const handler = await coldStartHandler(server.endpoint, {
      ...BUDGET,
      ON_LOOKUP_FAILURE: 'stale',
      TENANT_CACHE_TTL_SECONDS: '1',
      TENANT_STALE_MAX_SECONDS: '120',
    });
    await handler(event(), fakeLambdaContext());
    server.mode = 'error';
    await sleep(1_500);

    // Act
    const stale = await handler(event(), fakeLambdaContext());

    // Assess
    const counters = emfLines(logs.lines())
      .filter((entry) => entry.dimensions.trigger === 'pre-token-generation' && !('Outcome' in entry.metrics))
      .map((entry) => entry.metrics);
    expect(addedClaims(stale).id?.tenant_id).toBe('acme');
    expect(counters).toEqual([{ CacheMiss: 1 }, { LookupFailure: 1, StaleServe: 1 }]);
  });
});
