import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { readTenantClaimsConfig } from '../../../triggers/pre-token-generation/config.js';
import { createPreTokenGenerationHandler } from '../../../triggers/pre-token-generation/create-pre-token-generation-handler.js';

describe('readTenantClaimsConfig', () => {
  it('gives the safe defaults with only the table name set', () => {
    // Act
    const config = readTenantClaimsConfig({ TENANT_TABLE_NAME: 'tenants' });

    // Assess
    expect(config).toEqual({
      tableName: 'tenants',
      onLookupFailure: 'deny',
      onMissingTenant: 'deny',
      groups: 'preserve',
      claimNames: {
        tenantId: 'tenant_id',
        tenantRole: 'tenant_role',
        tenantPlan: 'tenant_plan',
        tenantIds: 'tenant_ids',
      },
      maxClaimsBytes: 1024,
      cache: { ttlMs: 300_000, negativeTtlMs: 30_000, staleMaxMs: 900_000, maxEntries: 10_000 },
      dynamoDb: { requestTimeoutMs: 1000, connectionTimeoutMs: 500, maxAttempts: 3 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable it documents', () => {
    // Act
    const config = readTenantClaimsConfig({
      TENANT_TABLE_NAME: 'tenants',
      ON_LOOKUP_FAILURE: 'stale',
      ON_MISSING_TENANT: 'omit',
      GROUP_OVERRIDE: 'suppress',
      TENANT_CLAIM_PREFIX: 'app:',
      TENANT_CLAIMS_MAX_BYTES: '2048',
      TENANT_CACHE_TTL_SECONDS: '60',
      TENANT_NEGATIVE_CACHE_TTL_SECONDS: '5',
      TENANT_STALE_MAX_SECONDS: '600',
      TENANT_CACHE_MAX_ENTRIES: '50',
      DYNAMODB_REQUEST_TIMEOUT_MS: '700',
      DYNAMODB_CONNECTION_TIMEOUT_MS: '200',
      DYNAMODB_MAX_ATTEMPTS: '2',
    });

    // Assess
    expect(config).toMatchObject({
      onLookupFailure: 'stale',
      onMissingTenant: 'omit',
      groups: 'suppress',
      claimNames: { tenantId: 'app:tenant_id' },
      maxClaimsBytes: 2048,
      cache: { ttlMs: 60_000, negativeTtlMs: 5_000, staleMaxMs: 600_000, maxEntries: 50 },
      dynamoDb: { requestTimeoutMs: 700, connectionTimeoutMs: 200, maxAttempts: 2 },
    });
  });

  it('fails once, naming every bad variable', () => {
    // Prepare
    const env = {
      ON_LOOKUP_FAILURE: 'retry',
      ON_MISSING_TENANT: 'allow',
      TENANT_CLAIM_PREFIX: 'cognito:',
      TENANT_CACHE_TTL_SECONDS: 'soon',
      DYNAMODB_MAX_ATTEMPTS: '5',
      DYNAMODB_REQUEST_TIMEOUT_MS: '2000',
    };

    // Act
    let error: unknown;
    try {
      readTenantClaimsConfig(env);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
    expect(problems).toEqual([
      'TENANT_TABLE_NAME',
      'ON_LOOKUP_FAILURE',
      'ON_MISSING_TENANT',
      'TENANT_CACHE_TTL_SECONDS',
      'TENANT_CLAIM_PREFIX',
      'DYNAMODB_MAX_ATTEMPTS',
    ]);
  });

  it('refuses a stale bound shorter than the cache TTL when stale values are the policy', () => {
    // Act / Assess
    expect(() =>
      readTenantClaimsConfig({
        TENANT_TABLE_NAME: 'tenants',
        ON_LOOKUP_FAILURE: 'stale',
        TENANT_CACHE_TTL_SECONDS: '300',
        TENANT_STALE_MAX_SECONDS: '60',
      }),
    ).toThrow(/TENANT_STALE_MAX_SECONDS/);
  });
});

describe('readTenantClaimsConfig: the DynamoDB retries against the deadline settings in force', () => {
  it.each([
    // [cognitoBudgetMs, marginMs, attempts, timeoutMs, fits]: the budget is cognitoBudgetMs - marginMs
    [4_500, 300, 4, 1_000, true],
    [4_500, 300, 5, 1_000, false],
    [1_200, 300, 3, 300, true],
    [1_200, 300, 3, 301, false],
    [3_000, 1_000, 2, 1_000, true],
    [3_000, 1_000, 3, 1_000, false],
  ])(
    'with a %i ms budget and a %i ms margin, %i attempts of %i ms fit: %s',
    (cognitoBudgetMs, marginMs, attempts, timeoutMs, fits) => {
      const read = (): unknown =>
        readTenantClaimsConfig(
          {
            TENANT_TABLE_NAME: 'tenants',
            DYNAMODB_MAX_ATTEMPTS: String(attempts),
            DYNAMODB_REQUEST_TIMEOUT_MS: String(timeoutMs),
          },
          { cognitoBudgetMs, marginMs },
        );

      if (fits) expect(read).not.toThrow();
      else expect(read).toThrow(`must fit the ${cognitoBudgetMs - marginMs} ms budget`);
    },
  );

  it('is checked by the factory against COGNITO_BUDGET_MS as set, not a fixed budget', () => {
    const env = { TENANT_TABLE_NAME: 'tenants', COGNITO_BUDGET_MS: '1200', DYNAMODB_MAX_ATTEMPTS: '3' };

    expect(() => createPreTokenGenerationHandler({ env })).toThrow(
      /DYNAMODB_MAX_ATTEMPTS: × DYNAMODB_REQUEST_TIMEOUT_MS must fit the 900 ms budget/,
    );
  });

  it('is checked by the factory against injected deadline settings', () => {
    const env = { TENANT_TABLE_NAME: 'tenants' };

    expect(() =>
      createPreTokenGenerationHandler({ env, deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 500 } }),
    ).toThrow(/must fit the 1500 ms budget/);
    expect(() =>
      createPreTokenGenerationHandler({ env, deadlineSettings: { cognitoBudgetMs: 4_000, marginMs: 500 } }),
    ).not.toThrow();
  });
});
