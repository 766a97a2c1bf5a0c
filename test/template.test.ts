import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDeadlineSettings } from '../shared/trigger-handler.js';
import { readPreSignUpConfig } from '../triggers/pre-sign-up/config.js';
import { readUserMigrationConfig } from '../triggers/user-migration/config.js';
import { readTenantClaimsConfig } from '../triggers/pre-token-generation/config.js';
import { readCustomMessageConfig } from '../triggers/custom-message/config.js';
import {
  describeFunction,
  listFunctions,
  loadTemplate,
  resolveValue,
  resolveParameters,
} from '../tools/lib/template.js';
import type { Env } from '../shared/config.js';

const template = loadTemplate('template.yaml');
const FUNCTIONS = [
  'PreSignUpFunction',
  'UserMigrationFunction',
  'PreTokenGenerationFunction',
  'CustomMessageFunction',
];

/** Each function's config reader, as its handler calls it at cold start. */
const READERS: Record<string, (env: Env) => unknown> = {
  PreSignUpFunction: (env) => readPreSignUpConfig(env),
  UserMigrationFunction: (env) => readUserMigrationConfig(env),
  PreTokenGenerationFunction: (env) => readTenantClaimsConfig(env),
  CustomMessageFunction: (env) => readCustomMessageConfig(env, ['en', 'fr']),
};

/** Variables read by the shared layer and the runtime rather than by a trigger's own reader. */
const SHARED_VARIABLES = new Set([
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_LOGGER_LOG_EVENT',
  'POWERTOOLS_TRACER_CAPTURE_RESPONSE',
  'POWERTOOLS_METRICS_NAMESPACE',
  'COGNITO_BUDGET_MS',
  'LOG_HASH_KEY',
  'NODE_OPTIONS',
]);

/** The keys a reader looks at, recorded through a proxy over `env`. */
function keysReadBy(
  read: (env: Env) => unknown,
  env: Record<string, string>,
): { keys: Set<string>; error?: Error } {
  const keys = new Set<string>();
  const proxy = new Proxy(env, {
    get: (target, key) => {
      if (typeof key === 'string') keys.add(key);
      return target[key as string];
    },
    has: (target, key) => {
      if (typeof key === 'string') keys.add(key);
      return key in target;
    },
    getOwnPropertyDescriptor: (target, key) => {
      if (typeof key === 'string') keys.add(key);
      return Object.getOwnPropertyDescriptor(target, key);
    },
  });
  try {
    read(proxy);
    return { keys };
  } catch (error) {
    return { keys, error: error as Error };
  }
}

function resource(id: string) {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found;
}

describe('template.yaml', () => {
  it('declares exactly the four contract functions', () => {
    expect(listFunctions(template).sort()).toEqual([...FUNCTIONS].sort());
  });

  it.each(FUNCTIONS)('builds %s from an entry point that exists, as an ESM bundle for node24', (id) => {
    const fn = describeFunction(template, id);

    expect(existsSync(fn.entryPoint)).toBe(true);
    expect(fn.handler).toBe('index.handler');
    expect(fn.buildOptions).toMatchObject({ format: 'esm', target: 'node24', minify: true, sourcemap: true });
    expect(fn.buildOptions.outExtension).toEqual({ '.js': '.mjs' });
  });

  it.each(FUNCTIONS)('runs %s on nodejs24.x, arm64, with tracing, inside the Cognito budget', (id) => {
    const globals = template.Globals!.Function!;
    const properties = resource(id).Properties!;
    const timeout = Number(properties.Timeout ?? globals.Timeout);
    const budgetDefault = Number(template.Parameters!.CognitoBudgetMs!.Default);

    expect(properties.Runtime ?? globals.Runtime).toBe('nodejs24.x');
    expect(properties.Architectures ?? globals.Architectures).toEqual(['arm64']);
    expect(properties.Tracing ?? globals.Tracing).toBe('Active');
    expect(timeout).toBeLessThanOrEqual(5);
    expect(budgetDefault).toBeLessThanOrEqual(timeout * 1000);
    expect(readDeadlineSettings({ COGNITO_BUDGET_MS: String(budgetDefault) }).cognitoBudgetMs).toBe(
      budgetDefault,
    );
  });

  it.each(FUNCTIONS)('gives %s its own log group with a retention', (id) => {
    const logging = resource(id).Properties!.LoggingConfig as { LogGroup: { Ref: string } };
    const logGroup = resource(logging.LogGroup.Ref);

    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties!.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
  });

  it.each(FUNCTIONS)('lets only cognito-idp of this account and pool invoke %s', (id) => {
    const permissions = Object.values(template.Resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Permission' &&
        JSON.stringify(r.Properties!.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
    );

    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect(JSON.stringify(permissions[0]!.Properties!.SourceArn)).toContain('UserPool');
  });

  /** Parameter sets a deployment may use: together they make each function read every variable it can. */
  const SCENARIOS: Record<string, Record<string, string>[]> = {
    PreSignUpFunction: [{}],
    UserMigrationFunction: [
      { LegacyStore: 'postgres', LegacyDbUrl: 'postgres://legacy@db.internal:5432/legacy' },
      {
        LegacyStore: 'mysql',
        LegacyDbSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-AbCdEf',
        LegacyUserQuery: 'SELECT password_hash FROM users WHERE email = ?',
      },
      {
        LegacyStore: 'http',
        LegacyHttpUrl: 'https://legacy.example.com/auth',
        LegacyHttpTokenSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:token-AbCdEf',
      },
    ],
    PreTokenGenerationFunction: [{}],
    CustomMessageFunction: [{}],
  };

  it.each(FUNCTIONS)('sets only variables that %s reads, and every one it requires', (id) => {
    const read = new Set<string>();
    const declared = new Set<string>();
    for (const overrides of SCENARIOS[id]!) {
      const fn = describeFunction(template, id, overrides);
      Object.keys(fn.environment).forEach((key) => declared.add(key));

      const { keys, error } = keysReadBy(READERS[id]!, { ...fn.environment });

      expect(error, `with ${JSON.stringify(overrides)}`).toBeUndefined();
      keys.forEach((key) => read.add(key));
    }
    const unread = [...declared].filter((key) => !read.has(key) && !SHARED_VARIABLES.has(key));
    expect(unread).toEqual([]);
  });

  it('grants DynamoDB read access to the token trigger only, on the tenant table only', () => {
    const statementsOf = (id: string) => JSON.stringify(resource(id).Properties!.Policies ?? []);

    expect(statementsOf('PreTokenGenerationFunction')).toContain(
      '"Resource":{"Fn::GetAtt":["TenantTable","Arn"]}',
    );
    expect(statementsOf('PreTokenGenerationFunction')).not.toMatch(/dynamodb:(Put|Update|Delete|Scan|\*)/);
    for (const id of ['PreSignUpFunction', 'UserMigrationFunction', 'CustomMessageFunction']) {
      expect(statementsOf(id)).not.toContain('dynamodb');
    }
  });

  it('grants the legacy secret to the migration trigger only, and no wildcard actions or resources anywhere', () => {
    for (const id of FUNCTIONS) {
      const policies = JSON.stringify(resource(id).Properties!.Policies ?? []);
      if (id === 'UserMigrationFunction') expect(policies).toContain('secretsmanager:GetSecretValue');
      else expect(policies).not.toContain('secretsmanager');
      expect(policies).not.toMatch(/"Action":"\*"|"Resource":"\*"|:\*"/);
    }
  });

  it('wires the new pool: email username, verified email changes, the four triggers, V2_0 token events', () => {
    const pool = resource('UserPool').Properties!;

    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool.UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: ['email'],
    });
    expect(pool.UserPoolTier).toBe('ESSENTIALS');
    expect(pool.LambdaConfig).toEqual({
      PreSignUp: { 'Fn::GetAtt': ['PreSignUpFunction', 'Arn'] },
      UserMigration: { 'Fn::GetAtt': ['UserMigrationFunction', 'Arn'] },
      CustomMessage: { 'Fn::GetAtt': ['CustomMessageFunction', 'Arn'] },
      PreTokenGenerationConfig: {
        LambdaArn: { 'Fn::GetAtt': ['PreTokenGenerationFunction', 'Arn'] },
        LambdaVersion: 'V2_0',
      },
    });
  });

  it('gives the app client password auth for migration, SRP, refresh, and no user-existence errors', () => {
    const client = resource('UserPoolClient').Properties!;

    expect(client.ExplicitAuthFlows).toEqual([
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('keeps the tenant table on demand, recoverable, encrypted, with the contract keys', () => {
    const table = resource('TenantTable').Properties!;

    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
    expect(resolveValue(template, table.DeletionProtectionEnabled, resolveParameters(template))).toBe(true);
  });

  it.each(FUNCTIONS)('alarms on errors, throttles and duration of %s', (id) => {
    const metrics = Object.values(template.Resources)
      .filter(
        (r) =>
          r.Type === 'AWS::CloudWatch::Alarm' &&
          JSON.stringify(r.Properties!.Dimensions).includes(`"Ref":"${id}"`),
      )
      .map((r) => r.Properties!.MetricName)
      .sort();

    expect(metrics).toEqual(['Duration', 'Errors', 'Throttles']);
  });

  it('outputs the function ARNs the attach tool reads, and the pool, client and table', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(
      [
        'CustomMessageFunctionArn',
        'PreSignUpFunctionArn',
        'PreTokenGenerationFunctionArn',
        'TenantTableName',
        'UserMigrationFunctionArn',
        'UserPoolClientId',
        'UserPoolId',
      ].sort(),
    );
  });
});
