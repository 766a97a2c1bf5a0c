import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDeadlineSettings } from '../shared/trigger-handler.js';
import { readPreSignUpConfig } from '../triggers/pre-sign-up/config.js';
import { readUserMigrationConfig } from '../triggers/user-migration/config.js';
import { readTenantClaimsConfig } from '../triggers/pre-token-generation/config.js';
import { readCustomMessageConfig } from '../triggers/custom-message/config.js';
import { readPostConfirmationConfig } from '../triggers/post-confirmation/config.js';
import { readCustomSenderConfig } from '../triggers/custom-sender/config.js';
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
  'PostConfirmationFunction',
  'CustomSenderFunction',
];

/** Each function's config reader, as its handler calls it at cold start. */
const READERS: Record<string, (env: Env) => unknown> = {
  PreSignUpFunction: (env) => readPreSignUpConfig(env),
  UserMigrationFunction: (env) => readUserMigrationConfig(env),
  PreTokenGenerationFunction: (env) => readTenantClaimsConfig(env),
  CustomMessageFunction: (env) => readCustomMessageConfig(env, ['en', 'fr']),
  PostConfirmationFunction: (env) => readPostConfirmationConfig(env),
  CustomSenderFunction: (env) => readCustomSenderConfig(env, ['en', 'fr']),
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
  it('declares exactly the contract functions', () => {
    expect(listFunctions(template).sort()).toEqual([...FUNCTIONS].sort());
  });

  it.each(FUNCTIONS)('builds %s from an entry point that exists, as an ESM bundle for node22', (id) => {
    const fn = describeFunction(template, id);

    expect(existsSync(fn.entryPoint)).toBe(true);
    expect(fn.handler).toBe('index.handler');
    expect(fn.buildOptions).toMatchObject({ format: 'esm', target: 'node22', minify: true, sourcemap: true });
    expect(fn.buildOptions.outExtension).toEqual({ '.js': '.mjs' });
  });

  it.each(FUNCTIONS)('runs %s on nodejs22.x, arm64, with tracing, inside the Cognito budget', (id) => {
    const globals = template.Globals!.Function!;
    const properties = resource(id).Properties!;
    const timeout = Number(properties.Timeout ?? globals.Timeout);
    const budgetDefault = Number(template.Parameters!.CognitoBudgetMs!.Default);

    expect(properties.Runtime ?? globals.Runtime).toBe('nodejs22.x');
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
    PreTokenGenerationFunction: [{}, { OnMissingTenant: 'provision' }],
    CustomMessageFunction: [{}],
    PostConfirmationFunction: [{}, { PostConfirmationGroups: 'customers,newsletter' }],
    // With the stack's own key, KMS_KEY_ARN is the key resource's ARN (asserted below); here an existing key's.
    CustomSenderFunction: [
      {
        ExistingCustomSenderKmsKeyArn:
          'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        SesConfigurationSet: 'auth-messages',
      },
    ],
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

  /** Each function's IAM statements once the template's conditions are resolved with `overrides`. */
  const statementsOf = (id: string, overrides: Record<string, string> = {}) => {
    const policies = resolveValue(
      template,
      resource(id).Properties!.Policies ?? [],
      resolveParameters(template, overrides),
    ) as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] }[];
    return policies.flatMap((policy) => policy.Statement);
  };
  const actionsOf = (id: string, overrides: Record<string, string> = {}) =>
    statementsOf(id, overrides).flatMap((statement) => [statement.Action].flat());

  it('grants DynamoDB to the token and confirmation triggers only, on the tenant table only', () => {
    expect(actionsOf('PreTokenGenerationFunction').sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
    ]);
    expect(actionsOf('PostConfirmationFunction').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    for (const id of ['PreTokenGenerationFunction', 'PostConfirmationFunction']) {
      for (const statement of statementsOf(id, { OnMissingTenant: 'provision' }))
        expect(statement.Resource).toBe('TenantTable');
      expect(JSON.stringify(resource(id).Properties!.Policies ?? [])).not.toMatch(/kms:|ses:|sns:/);
    }
    for (const id of ['PreSignUpFunction', 'UserMigrationFunction', 'CustomMessageFunction']) {
      expect(JSON.stringify(resource(id).Properties!.Policies ?? [])).not.toContain('dynamodb');
      expect(JSON.stringify(resource(id).Properties!.Policies ?? [])).not.toMatch(/kms:|ses:|sns:/);
    }
  });

  it('grants the token trigger the provisioning read and write only with OnMissingTenant=provision', () => {
    for (const setting of ['deny', 'omit'])
      expect(actionsOf('PreTokenGenerationFunction', { OnMissingTenant: setting })).not.toContain(
        'dynamodb:PutItem',
      );
    expect(actionsOf('PreTokenGenerationFunction', { OnMissingTenant: 'provision' }).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
  });

  it.each([
    ['PostConfirmationFunction', {}],
    ['PreTokenGenerationFunction', { OnMissingTenant: 'provision' }],
  ])('limits %s to reading domain rules and writing user memberships', (id, overrides) => {
    const leadingKeys = (action: string) =>
      statementsOf(id, overrides)
        .filter((statement) => [statement.Action].flat().includes(action))
        .map((statement) => statement.Condition);

    expect(leadingKeys('dynamodb:GetItem')).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DOMAIN#*'] } },
    ]);
    expect(leadingKeys('dynamodb:PutItem')).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } },
    ]);
  });

  it('grants AdminAddUserToGroup on the one pool, new or existing, only when groups are configured', () => {
    const policy = resource('PostConfirmationGroupsPolicy');
    const resolved = (overrides: Record<string, string>) =>
      resolveValue(template, policy.Properties, resolveParameters(template, overrides)) as {
        Roles: string[];
        PolicyDocument: { Statement: { Action: string; Resource: string }[] };
      };

    expect(policy.Type).toBe('AWS::IAM::Policy');
    expect(policy.Condition).toBe('HasPostConfirmationGroups');
    expect(
      resolveValue(template, { Condition: 'HasPostConfirmationGroups' }, resolveParameters(template)),
    ).toBe(false);
    expect(resolved({}).Roles).toEqual(['PostConfirmationFunctionRole']);
    expect(resolved({}).PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:AdminAddUserToGroup', Resource: 'UserPool' },
    ]);
    expect(
      resolved({ CreateUserPool: 'false', ExistingUserPoolId: 'eu-west-1_AbC123' }).PolicyDocument
        .Statement[0]!.Resource,
    ).toBe('arn:aws:cognito-idp:us-east-1:123456789012:userpool/eu-west-1_AbC123');
    expect(actionsOf('PostConfirmationFunction', { PostConfirmationGroups: 'customers' })).not.toContain(
      'cognito-idp:AdminAddUserToGroup',
    );
  });

  /** Resources each resource depends on; a SAM function stands for its generated role too (Policies). */
  function dependencyGraph(
    resources: Record<string, { Type: string; Properties?: unknown; DependsOn?: unknown }>,
  ) {
    const ids = new Set(Object.keys(resources));
    const roleOf = new Map(
      Object.entries(resources)
        .filter(([, r]) => r.Type === 'AWS::Serverless::Function')
        .map(([id]) => [`${id}Role`, id]),
    );
    const target = (name: string): string | undefined =>
      roleOf.get(name) ?? (ids.has(name) ? name : undefined);
    const graph = new Map<string, Set<string>>();
    for (const [id, r] of Object.entries(resources)) {
      const deps = new Set<string>();
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (typeof node !== 'object' || node === null) return;
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Ref' && typeof value === 'string') deps.add(target(value) ?? '');
          else if (key === 'Fn::GetAtt') deps.add(target(String([value].flat()[0]).split('.')[0]!) ?? '');
          else if (key === 'Fn::Sub') {
            const text = String([value].flat()[0]);
            for (const match of text.matchAll(/\$\{([^}.!]+)/g)) deps.add(target(match[1]!) ?? '');
            visit(value);
          } else visit(value);
        }
      };
      visit(r.Properties);
      for (const dependsOn of [r.DependsOn ?? []].flat()) deps.add(target(String(dependsOn)) ?? '');
      deps.delete('');
      deps.delete(id);
      graph.set(id, deps);
    }
    return graph;
  }

  function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const walk = (id: string): string[] | undefined => {
      if (state.get(id) === 'done') return undefined;
      if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
      state.set(id, 'open');
      path.push(id);
      for (const dep of graph.get(id) ?? []) {
        const cycle = walk(dep);
        if (cycle) return cycle;
      }
      path.pop();
      state.set(id, 'done');
      return undefined;
    };
    for (const id of graph.keys()) {
      const cycle = walk(id);
      if (cycle) return cycle;
    }
    return undefined;
  }

  it('has no circular dependency between the pool and the functions (cfn-lint E3004 agrees in CI)', () => {
    expect(findCycle(dependencyGraph(template.Resources as never))).toBeUndefined();
  });

  it('would find the cycle of a group permission inside the function policies (the check can fail)', () => {
    const resources = structuredClone(template.Resources) as unknown as Record<
      string,
      { Properties: { Policies: unknown[] } }
    >;
    resources.PostConfirmationFunction!.Properties.Policies.push({
      Statement: [
        { Action: 'cognito-idp:AdminAddUserToGroup', Resource: { 'Fn::GetAtt': ['UserPool', 'Arn'] } },
      ],
    });

    expect(findCycle(dependencyGraph(resources as never))).toEqual(
      expect.arrayContaining(['UserPool', 'PostConfirmationFunction']),
    );
  });

  it('grants the legacy secret to the migration trigger only, and no wildcard actions or resources anywhere', () => {
    // SNS authorises an SMS to a phone number on "*" only: the sender's one sns:Publish statement is the exception.
    const snsSms = JSON.stringify({ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' });
    for (const id of FUNCTIONS) {
      const policies = JSON.stringify(resource(id).Properties!.Policies ?? []).replace(snsSms, '"sms"');
      if (id === 'UserMigrationFunction') expect(policies).toContain('secretsmanager:GetSecretValue');
      else expect(policies).not.toContain('secretsmanager');
      expect(policies).not.toMatch(/"Action":"\*"|"Resource":"\*"|:\*"/);
    }
  });

  it('wires the new pool: email username, verified email changes, the five triggers, V2_0 token events', () => {
    const pool = resource('UserPool').Properties!;

    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool.UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: ['email'],
    });
    expect(pool.UserPoolTier).toBe('ESSENTIALS');
    const wired = {
      PreSignUp: 'PreSignUpFunction',
      UserMigration: 'UserMigrationFunction',
      CustomMessage: 'CustomMessageFunction',
      PostConfirmation: 'PostConfirmationFunction',
      PreTokenGenerationConfig: { LambdaArn: 'PreTokenGenerationFunction', LambdaVersion: 'V2_0' },
    };
    expect(resolveValue(template, pool.LambdaConfig, resolveParameters(template))).toEqual(wired);
  });

  it('attaches the custom sender to the new pool on request: both slots with V1_0, and the key as KMSKeyID', () => {
    const pool = resource('UserPool').Properties!;

    const attached = resolveValue(
      template,
      pool.LambdaConfig,
      resolveParameters(template, { AttachCustomSender: 'true' }),
    ) as Record<string, unknown>;

    expect(attached).toMatchObject({
      KMSKeyID: 'CustomSenderKey',
      CustomEmailSender: { LambdaArn: 'CustomSenderFunction', LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: 'CustomSenderFunction', LambdaVersion: 'V1_0' },
    });
    const existingKey = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const withExisting = resolveValue(
      template,
      pool.LambdaConfig,
      resolveParameters(template, { AttachCustomSender: 'true', ExistingCustomSenderKmsKeyArn: existingKey }),
    ) as Record<string, unknown>;
    expect(withExisting.KMSKeyID).toBe(existingKey);
  });

  it('creates the sender key with rotation, Cognito of this account allowed to encrypt, and the function to decrypt it only', () => {
    const key = resource('CustomSenderKey');
    const statements = (key.Properties!.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    const cognito = statements.find((statement) =>
      JSON.stringify(statement.Principal).includes('cognito-idp'),
    );
    const policies = JSON.stringify(resource('CustomSenderFunction').Properties!.Policies);
    const env = describeFunction(template, 'CustomSenderFunction').environment;

    expect(key.Condition).toBe('CreateCustomSenderKey');
    expect(key.Properties!.EnableKeyRotation).toBe(true);
    expect(cognito).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cognito-idp.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(cognito)).not.toContain('kms:Decrypt');
    expect(JSON.stringify(cognito)).toContain('aws:SourceArn');
    expect(policies).toContain('"Action":"kms:Decrypt"');
    expect(env).toMatchObject({ KEY_PROVIDER: 'kms', KMS_KEY_ARN: 'CustomSenderKey' });
  });

  it('scopes the sender to its SES identity and configuration set, and its idempotency table', () => {
    const policies = JSON.stringify(resource('CustomSenderFunction').Properties!.Policies);
    const table = resource('CustomSenderIdempotencyTable').Properties!;

    expect(policies).toContain(':identity/${SesIdentity}');
    expect(policies).toContain(':configuration-set/${SesConfigurationSet}');
    expect(policies).toContain('"Resource":{"Fn::GetAtt":["CustomSenderIdempotencyTable","Arn"]}');
    expect(policies).not.toMatch(/dynamodb:(Scan|Query|\*)/);
    expect(table.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
  });

  it('lets Lambda retry a failed send twice, as Cognito invokes the sender asynchronously', () => {
    expect(resource('CustomSenderFunction').Properties!.EventInvokeConfig).toEqual({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
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
          JSON.stringify(r.Properties!.Dimensions ?? []).includes(`"Ref":"${id}"`),
      )
      .map((r) => r.Properties!.MetricName)
      .sort();

    expect(metrics).toEqual(['Duration', 'Errors', 'Throttles']);
  });

  it('alarms on provisioning failures that fail-open keeps out of the Errors metric', () => {
    const filter = resource('PostConfirmationProvisioningFailuresFilter').Properties!;
    const alarm = resource('PostConfirmationProvisioningFailuresAlarm').Properties!;

    expect(filter.LogGroupName).toEqual({ Ref: 'PostConfirmationLogGroup' });
    expect(filter.FilterPattern).toContain('"provisioning-failed"');
    expect(alarm).toMatchObject({
      Namespace: 'CognitoTriggerKit',
      MetricName: 'PostConfirmationProvisioningFailures',
    });
  });

  it('outputs the function ARNs the attach tool reads, and the pool, client and table', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(
      [
        'CustomMessageFunctionArn',
        'PostConfirmationFunctionArn',
        'CustomSenderFunctionArn',
        'CustomSenderKmsKeyArn',
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
