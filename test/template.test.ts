import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDeadlineSettings } from '../shared/trigger-handler.js';
import { readPreSignUpConfig } from '../triggers/pre-sign-up/config.js';
import { readUserMigrationConfig } from '../triggers/user-migration/config.js';
import { readTenantClaimsConfig } from '../triggers/pre-token-generation/config.js';
import { readCustomMessageConfig } from '../triggers/custom-message/config.js';
import { readCustomSenderConfig } from '../triggers/custom-sender/config.js';
import { readPostConfirmationConfig } from '../triggers/post-confirmation/config.js';
import {
  describeFunction,
  listFunctions,
  loadTemplate,
  resolveValue,
  resolveParameters,
} from '../tools/lib/template.js';
import type { Env } from '../shared/config.js';
import { readLogHashKeyReference } from '../shared/log-hash-key.js';
import { functionEnvironment } from '../tools/lib/function-env.js';
import { METRIC_NAMES } from '../shared/metrics.js';
import {
  DISPOSABLE_DOMAINS_IN_LAYER,
  DISPOSABLE_DOMAINS_LAYER_ENTRY,
} from '../shared/email-domain/disposable-domains-file.js';

const template = loadTemplate('template.yaml');
const FUNCTIONS = [
  'PreSignUpFunction',
  'UserMigrationFunction',
  'PreTokenGenerationFunction',
  'CustomMessageFunction',
  'CustomSenderFunction',
  'PostConfirmationFunction',
];

/** Each function's config reader, as its handler calls it at cold start. */
const READERS: Record<string, (env: Env) => unknown> = {
  PreSignUpFunction: (env) => readPreSignUpConfig(env),
  UserMigrationFunction: (env) => readUserMigrationConfig(env),
  PreTokenGenerationFunction: (env) => readTenantClaimsConfig(env),
  CustomMessageFunction: (env) => readCustomMessageConfig(env, ['en', 'fr']),
  CustomSenderFunction: (env) => readCustomSenderConfig(env, ['en', 'fr']),
  PostConfirmationFunction: (env) => readPostConfirmationConfig(env),
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
  'LOG_HASH_KEY_PARAMETER',
  'LOG_HASH_KEY_SECRET_ARN',
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

const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LOG_HASH_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:log-hash-key-AbCdEf';

/** A value with intrinsics resolved for a deployment with these parameter overrides (`undefined` for NoValue). */
function resolved(value: unknown, overrides: Record<string, string> = {}): unknown {
  return (resolveValue(template, { value }, resolveParameters(template, overrides)) as { value?: unknown })
    .value;
}

/** A condition of the template, evaluated for a deployment with these parameter overrides. */
function condition(name: string, overrides: Record<string, string> = {}): boolean {
  return resolved({ 'Fn::If': [name, true, false] }, overrides) as boolean;
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

  it.each(FUNCTIONS)('builds %s from an entry point that exists, as an ESM bundle for node24', (id) => {
    const fn = describeFunction(template, id);

    expect(existsSync(fn.entryPoint)).toBe(true);
    expect(fn.handler).toBe('index.handler');
    expect(fn.buildOptions).toMatchObject({
      format: 'esm',
      target: 'node24',
      minify: true,
      sourcemap: false,
    });
    expect(fn.buildOptions.outExtension).toEqual({ '.js': '.mjs' });
  });

  it.each(FUNCTIONS)(
    '%s: loads node:crypto on first use where the first answer needs no cryptography, requires it where no Web Crypto is needed',
    (id) => {
      const { alias } = describeFunction(template, id).buildOptions;
      const expected: Record<string, string> = {
        PreSignUpFunction: './shared/node-crypto-on-demand.ts',
        CustomMessageFunction: './shared/node-crypto-on-demand.ts',
        UserMigrationFunction: './shared/node-crypto-required.ts',
      };

      expect(alias).toEqual(expected[id] === undefined ? undefined : { 'node:crypto': expected[id] });
      if (alias) expect(existsSync(alias['node:crypto']!)).toBe(true);
    },
  );

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

  it.each(FUNCTIONS)(
    'gives %s its own log group with a retention, a deletion policy from a parameter and the optional KMS key',
    (id) => {
      const logging = resource(id).Properties!.LoggingConfig as { LogGroup: { Ref: string } };
      const logGroup = resource(logging.LogGroup.Ref) as ReturnType<typeof resource> & {
        DeletionPolicy?: unknown;
        UpdateReplacePolicy?: unknown;
      };

      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties!.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
      expect(logGroup.DeletionPolicy).toEqual({ Ref: 'LogGroupDeletionPolicy' });
      expect(logGroup.UpdateReplacePolicy).toEqual({ Ref: 'LogGroupDeletionPolicy' });
      expect(template.Parameters!.LogGroupDeletionPolicy).toMatchObject({
        Default: 'Retain',
        AllowedValues: ['Retain', 'Delete'],
      });
      expect(resolved(logGroup.Properties!.KmsKeyId)).toBeUndefined();
      expect(resolved(logGroup.Properties!.KmsKeyId, { KmsKeyArn: KMS_KEY })).toBe(KMS_KEY);
      expect(resolved(logGroup.Properties!.LogGroupName)).toBe(
        `/cognito-trigger-kit/local/${describeFunction(template, id).environment.POWERTOOLS_SERVICE_NAME}`,
      );
    },
  );

  it.each(FUNCTIONS)('lets only cognito-idp of this account and pool invoke the live alias of %s', (id) => {
    const permissions = Object.values(template.Resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Permission' &&
        JSON.stringify(r.Properties!.FunctionName) === JSON.stringify({ Ref: `${id}.Alias` }),
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
      {
        LegacyStore: 'postgres',
        LegacyDbSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-AbCdEf',
      },
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
    // With the stack's own key, KMS_KEY_ARN is the key resource's ARN (asserted below); here an existing key's.
    PostConfirmationFunction: [{}, { PostConfirmationGroups: 'customers,newsletter' }],
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
          // SAM hands DeploymentPreference (its rollback alarms) to the CodeDeploy deployment group it makes.
          if (key === 'DeploymentPreference') continue;
          // `Function.Alias` is the alias SAM makes for the function (AutoPublishAlias): a dependency on it.
          if (key === 'Ref' && typeof value === 'string') deps.add(target(value.split('.')[0]!) ?? '');
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

  it('grants the legacy secrets to the migration trigger only, and no wildcard actions or resources to a function', () => {
    // SNS authorises an SMS to a phone number on "*" only: the sender's one sns:Publish statement is the exception.
    const snsSms = JSON.stringify({ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' });
    for (const id of FUNCTIONS) {
      const policies = JSON.stringify(resource(id).Properties!.Policies ?? []).replace(snsSms, '"sms"');
      if (id === 'UserMigrationFunction') expect(policies).toContain('secretsmanager:GetSecretValue');
      else expect(policies).not.toContain('secretsmanager');
      expect(policies).not.toMatch(/"Action":"\*"|"Resource":"\*"|:\*"/);
    }
    for (const id of ['EmailDomainListsReadPolicy', 'SecretsReadPolicy']) {
      expect(JSON.stringify(resource(id).Properties!.PolicyDocument)).not.toMatch(
        /"Action":"\*"|"Resource":"\*"|:\*"/,
      );
    }
  });

  it('ships the disposable-domain list as a layer, made and attached only with DenyDisposableEmailDomains=true', () => {
    const layer = resource('DisposableDomainsLayer');
    const layersOf = (id: string, overrides: Record<string, string> = {}) =>
      resolved(resource(id).Properties!.Layers, overrides) ?? [];
    const withList = ['PreSignUpFunction', 'CustomMessageFunction', 'CustomSenderFunction'];

    expect(layer.Type).toBe('AWS::Serverless::LayerVersion');
    expect(layer.Condition).toBe('DenyDisposable');
    expect(condition('DenyDisposable')).toBe(false);
    expect(condition('DenyDisposable', { DenyDisposableEmailDomains: 'true' })).toBe(true);
    // Its folder holds the file where the functions look first (/opt/ + the path inside the layer).
    expect(existsSync(join(String(layer.Properties!.ContentUri), DISPOSABLE_DOMAINS_LAYER_ENTRY))).toBe(true);
    expect(DISPOSABLE_DOMAINS_IN_LAYER).toBe(`/opt/${DISPOSABLE_DOMAINS_LAYER_ENTRY}`);
    for (const id of FUNCTIONS) {
      expect({ id, layers: layersOf(id) }).toEqual({ id, layers: [] });
      expect({ id, layers: layersOf(id, { DenyDisposableEmailDomains: 'true' }) }).toEqual({
        id,
        layers: withList.includes(id) ? ['DisposableDomainsLayer'] : [],
      });
    }
  });

  it('reads the email-domain lists through one policy that PreSignUp and CustomMessage share', () => {
    const policy = resource('EmailDomainListsReadPolicy');
    const attached = (id: string) =>
      JSON.stringify(resource(id).Properties!.Policies).includes('{"Ref":"EmailDomainListsReadPolicy"}');

    expect(policy.Condition).toBe('HasEmailDomainSsm');
    expect(condition('HasEmailDomainSsm')).toBe(false);
    expect(condition('HasEmailDomainSsm', { DeniedEmailDomainsSsmParameter: '/kit/denied' })).toBe(true);
    expect(
      resolved(policy.Properties!.PolicyDocument, { AllowedEmailDomainsSsmParameter: '/kit/allowed' }),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ssm:GetParameter',
          Resource: ['arn:aws:ssm:us-east-1:123456789012:parameter/kit/allowed'],
        },
      ],
    });
    expect(FUNCTIONS.filter(attached)).toEqual(['PreSignUpFunction', 'CustomMessageFunction']);
  });

  describe('secrets by reference', () => {
    it('has no NoEcho parameter and no LegacyDbUrl or LogHashKey: a secret never becomes a variable', () => {
      const parameters = template.Parameters ?? {};
      const globals = template.Globals!.Function!.Environment as { Variables: Record<string, unknown> };
      const migration = resource('UserMigrationFunction').Properties!.Environment as {
        Variables: Record<string, unknown>;
      };

      expect(Object.entries(parameters).filter(([, p]) => (p as { NoEcho?: unknown }).NoEcho)).toEqual([]);
      expect(parameters.LegacyDbUrl).toBeUndefined();
      expect(parameters.LogHashKey).toBeUndefined();
      // Declared empty, so that a local --env-vars file may set them (SAM overrides declared variables only).
      expect(migration.Variables.LEGACY_DB_URL).toBe('');
      expect(globals.Variables.LOG_HASH_KEY).toBe('');
      for (const id of FUNCTIONS) {
        const variables = Object.keys(describeFunction(template, id).environment);
        expect(variables).toEqual(
          expect.arrayContaining(['LOG_HASH_KEY_PARAMETER', 'LOG_HASH_KEY_SECRET_ARN']),
        );
      }
    });

    it('lets a local env-vars file set the plain variables, as sam local invoke does', () => {
      const fn = describeFunction(template, 'UserMigrationFunction');
      const local = { LEGACY_DB_URL: 'postgres://local@127.0.0.1:5432/legacy', LOG_HASH_KEY: 'k'.repeat(32) };

      const env = functionEnvironment(fn, { UserMigrationFunction: local }, {});

      expect(env.LEGACY_DB_URL).toBe(local.LEGACY_DB_URL);
      expect(env.LOG_HASH_KEY).toBe(local.LOG_HASH_KEY);
    });

    it('passes the log hash key reference to every function, which reads it as a reference', () => {
      const fn = describeFunction(template, 'PreSignUpFunction', {
        LogHashKeyParameter: '/kit/log-hash-key',
      });

      expect(fn.environment.LOG_HASH_KEY_PARAMETER).toBe('/kit/log-hash-key');
      expect(readLogHashKeyReference(fn.environment)).toEqual({
        kind: 'ssm',
        parameterName: '/kit/log-hash-key',
      });
      expect(
        readLogHashKeyReference(
          describeFunction(template, 'UserMigrationFunction', { LogHashKeySecretArn: LOG_HASH_SECRET })
            .environment,
        ),
      ).toEqual({ kind: 'secret', secretId: LOG_HASH_SECRET });
    });

    it('refuses both references at once (a Rule)', () => {
      const rule = JSON.stringify(
        (template as { Rules?: Record<string, unknown> }).Rules?.OneLogHashKeyReference,
      );

      expect(rule).toContain('LogHashKeyParameter');
      expect(rule).toContain('LogHashKeySecretArn');
    });

    it('grants exactly what each reference needs, and kms:Decrypt only through SSM and Secrets Manager', () => {
      const policy = resource('SecretsReadPolicy');

      expect(policy.Condition).toBe('NeedsSecretsReadPolicy');
      expect(condition('NeedsSecretsReadPolicy')).toBe(false);
      expect(
        resolved(policy.Properties!.PolicyDocument, {
          LogHashKeyParameter: '/kit/log-hash-key',
          LogHashKeySecretArn: LOG_HASH_SECRET,
          KmsKeyArn: KMS_KEY,
        }),
      ).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'ssm:GetParameter',
            Resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/kit/log-hash-key',
          },
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: LOG_HASH_SECRET },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: KMS_KEY,
            Condition: {
              StringEquals: {
                'kms:ViaService': ['ssm.us-east-1.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com'],
              },
            },
          },
        ],
      });
      expect(
        (resolved(policy.Properties!.PolicyDocument, { KmsKeyArn: KMS_KEY }) as { Statement: unknown[] })
          .Statement,
      ).toHaveLength(1);
      for (const id of FUNCTIONS) {
        expect(JSON.stringify(resource(id).Properties!.Policies)).toContain('{"Ref":"SecretsReadPolicy"}');
      }
    });
  });

  describe('the new pool', () => {
    it('wires email usernames, verified email changes and the four triggers through their live aliases', () => {
      const pool = resource('UserPool').Properties!;

      expect(pool.UsernameAttributes).toEqual(['email']);
      expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
      expect(pool.UserAttributeUpdateSettings).toEqual({
        AttributesRequireVerificationBeforeUpdate: ['email'],
      });
      expect({
        ...(pool.LambdaConfig as object),
        KMSKeyID: undefined,
        CustomEmailSender: undefined,
        CustomSMSSender: undefined,
      }).toEqual({
        KMSKeyID: undefined,
        CustomEmailSender: undefined,
        CustomSMSSender: undefined,
        PreSignUp: { Ref: 'PreSignUpFunction.Alias' },
        UserMigration: { Ref: 'UserMigrationFunction.Alias' },
        CustomMessage: { Ref: 'CustomMessageFunction.Alias' },
        PostConfirmation: { Ref: 'PostConfirmationFunction.Alias' },
        PreTokenGenerationConfig: {
          LambdaArn: { Ref: 'PreTokenGenerationFunction.Alias' },
          LambdaVersion: { Ref: 'PreTokenGenerationVersion' },
        },
      });
    });

    it.each([
      ['V1_0', 'LITE'],
      ['V2_0', 'ESSENTIALS'],
      ['V3_0', 'ESSENTIALS'],
    ])('runs token events %s on the %s feature plan', (version, tier) => {
      const pool = resource('UserPool').Properties!;
      const overrides = { PreTokenGenerationVersion: version };

      expect(template.Parameters!.PreTokenGenerationVersion!.AllowedValues).toEqual(['V1_0', 'V2_0', 'V3_0']);
      expect(resolved(pool.UserPoolTier, overrides)).toBe(tier);
      expect(
        (resolved(pool.LambdaConfig, overrides) as { PreTokenGenerationConfig: { LambdaVersion: string } })
          .PreTokenGenerationConfig.LambdaVersion,
      ).toBe(version);
    });
  });

  it('attaches the custom sender to the new pool on request: both slots with V1_0 on its live alias, and the key as KMSKeyID', () => {
    const pool = resource('UserPool').Properties!;

    const attached = resolved(pool.LambdaConfig, { AttachCustomSender: 'true' }) as Record<string, unknown>;
    const detached = resolved(pool.LambdaConfig) as Record<string, unknown>;

    expect(attached).toMatchObject({
      KMSKeyID: 'CustomSenderKey',
      CustomEmailSender: { LambdaArn: 'CustomSenderFunction.Alias', LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: 'CustomSenderFunction.Alias', LambdaVersion: 'V1_0' },
    });
    expect(detached.CustomEmailSender).toBeUndefined();
    const existingKey = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(
      (
        resolved(pool.LambdaConfig, {
          AttachCustomSender: 'true',
          ExistingCustomSenderKmsKeyArn: existingKey,
        }) as {
          KMSKeyID: string;
        }
      ).KMSKeyID,
    ).toBe(existingKey);
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
    expect(resolved(table.DeletionProtectionEnabled)).toBe(true);
  });

  describe('deploy safety', () => {
    it('publishes a live alias of every function and shifts traffic gradually only when asked', () => {
      const globals = template.Globals!.Function!;

      expect(globals.AutoPublishAlias).toBe('live');
      expect(globals.DeploymentPreference).toEqual({
        Enabled: { Ref: 'GradualDeployment' },
        Type: { Ref: 'DeploymentType' },
      });
      expect(template.Parameters!.GradualDeployment).toMatchObject({ Default: 'false' });
    });

    it.each(FUNCTIONS)('rolls a gradual deployment of %s back on its fault and fallback alarms', (id) => {
      const alarms = (resource(id).Properties!.DeploymentPreference as { Alarms: { Ref: string }[] }).Alarms;
      const trigger = id.replace(/Function$/, '');

      expect(alarms).toEqual([{ Ref: `${trigger}FaultAlarm` }, { Ref: `${trigger}FallbackAlarm` }]);
      for (const alarm of alarms) expect(resource(alarm.Ref).Type).toBe('AWS::CloudWatch::Alarm');
    });

    it('reserves concurrency for UserMigration only when a value is given', () => {
      const reserved = resource('UserMigrationFunction').Properties!.ReservedConcurrentExecutions;

      expect(resolved(reserved)).toBeUndefined();
      expect(resolved(reserved, { UserMigrationReservedConcurrency: '25' })).toBe('25');
      for (const id of FUNCTIONS.filter((f) => f !== 'UserMigrationFunction')) {
        expect(resource(id).Properties!.ReservedConcurrentExecutions).toBeUndefined();
      }
    });

    it('writes the per-trigger blocks once, with AWS::LanguageExtensions before the Serverless transform', () => {
      const raw = readFileSync('template.yaml', 'utf8');
      const loopNames = FUNCTIONS.map((id) => id.replace(/Function$/, ''));

      expect(template.Transform).toEqual(['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31']);
      expect(raw.match(/Fn::ForEach::/g)).toHaveLength(2);
      // Six in the loop, and PostConfirmation's provisioning alarm on its log metric filter.
      expect(raw.match(/Type: AWS::CloudWatch::Alarm/g)).toHaveLength(7);
      expect(raw.match(/Type: AWS::Lambda::Permission/g)).toHaveLength(1);
      expect(raw.match(/Type: AWS::Logs::LogGroup/g)).toHaveLength(1);
      expect(Object.keys(template.Mappings!.Triggers!)).toEqual(loopNames);
      expect(raw).toContain(`    - [${loopNames.join(', ')}]`);
    });
  });

  describe('alarms', () => {
    const alarmsOf = (id: string) => {
      const trigger = id.replace(/Function$/, '');
      return (
        Object.entries(template.Resources)
          .filter(([name, r]) => r.Type === 'AWS::CloudWatch::Alarm' && name.startsWith(trigger))
          // PostConfirmation's provisioning alarm reads a log metric filter; it is tested on its own below.
          .filter(([name]) => name !== 'PostConfirmationProvisioningFailuresAlarm')
          .map(([name, r]) => [name.slice(trigger.length), r] as const)
      );
    };
    /** The fail mode each trigger declares in its handler. */
    const FAIL_MODES: Record<string, 'closed' | 'open'> = {
      PreSignUpFunction: 'closed',
      UserMigrationFunction: 'closed',
      PreTokenGenerationFunction: 'closed',
      CustomMessageFunction: 'open',
      CustomSenderFunction: 'closed',
      PostConfirmationFunction: 'open',
    };

    it.each(FUNCTIONS)('alarms on fallbacks, deadline hits, faults, throttles, duration of %s', (id) => {
      expect(alarmsOf(id).map(([name]) => name)).toEqual([
        'FallbackAlarm',
        'DeadlineAlarm',
        'FaultAlarm',
        'ThrottlesAlarm',
        'DurationAlarm',
        'RejectionRateAlarm',
      ]);
    });

    it.each(FUNCTIONS)(
      'reads the metrics %s writes: namespace, service and trigger dimensions as its EMF lines carry them',
      (id) => {
        const fn = describeFunction(template, id);
        const written = new Set<string>([...Object.values(METRIC_NAMES), 'CustomMessageFallback']);
        // The `trigger` dimension is the name the trigger's wiring gives createTriggerHandler.
        const folder = dirname(fn.entryPoint);
        const wiring = readdirSync(folder)
          .filter((file) => file.endsWith('.ts'))
          .map((file) => readFileSync(join(folder, file), 'utf8'))
          .join('\n');
        expect(wiring).toContain(`name: '${fn.environment.POWERTOOLS_SERVICE_NAME}'`);
        for (const [, alarm] of alarmsOf(id)) {
          for (const stat of metricStatsOf(alarm.Properties!)) {
            if (stat.Namespace === 'AWS/Lambda') {
              expect(stat.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: id } }]);
              continue;
            }
            expect(stat.Namespace).toBe(fn.environment.POWERTOOLS_METRICS_NAMESPACE);
            expect(written).toContain(stat.MetricName);
            const dimensions = Object.fromEntries(
              (resolved(stat.Dimensions) as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
            );
            expect(dimensions).toMatchObject({
              service: fn.environment.POWERTOOLS_SERVICE_NAME,
              trigger: fn.environment.POWERTOOLS_SERVICE_NAME,
            });
            if (stat.MetricName === 'Outcome')
              expect(['answered', 'rejected', 'fallback']).toContain(dimensions.outcome);
          }
        }
      },
    );

    it('never alarms on Lambda Errors alone: rejections are subtracted, and a fail-closed fallback too', () => {
      for (const id of FUNCTIONS) {
        for (const [name, alarm] of alarmsOf(id)) {
          const stats = metricStatsOf(alarm.Properties!);
          if (!stats.some((stat) => stat.MetricName === 'Errors')) continue;
          expect(name).toBe('FaultAlarm');
          const expressions = (alarm.Properties!.Metrics as { Id: string; Expression?: unknown }[])
            .filter((m) => m.Expression !== undefined)
            .map((m) => String(resolved(m.Expression)));
          expect(expressions).toEqual([
            `FILL(errors, 0) - FILL(rejected, 0) - ${FAIL_MODES[id] === 'closed' ? 1 : 0} * FILL(fallback, 0)`,
            'FILL(caught, 0) + IF(crashes > 0, crashes, 0)',
          ]);
        }
      }
      const plainErrorAlarms = Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties!.MetricName === 'Errors',
      );
      expect(plainErrorAlarms).toEqual([]);
    });

    it('measures duration against CognitoBudgetMs, not a fixed number', () => {
      const alarm = resource('PreSignUpDurationAlarm').Properties!;
      const share = (alarm.Metrics as { Id: string; Expression?: unknown }[]).find(
        (m) => m.Id === 'budgetShare',
      )!;

      expect(resolved(share.Expression)).toBe('100 * duration / 4500');
      expect(resolved(share.Expression, { CognitoBudgetMs: '3000' })).toBe('100 * duration / 3000');
      expect(alarm.Threshold).toBe(90);
    });

    it('alarms on a rejection rate only where a user opts in, as a rate over at least 10 answers', () => {
      const alarm = resource('PreSignUpRejectionRateAlarm');
      const rate = (alarm.Properties!.Metrics as { Id: string; Expression?: unknown }[]).find(
        (m) => m.Id === 'rejectionRate',
      )!;

      expect(alarm.Condition).toBe('HasRejectionRateAlarm');
      expect(template.Parameters!.RejectionRateAlarmPercent!.Default).toBe(0);
      expect(condition('HasRejectionRateAlarm')).toBe(false);
      expect(condition('HasRejectionRateAlarm', { RejectionRateAlarmPercent: '20' })).toBe(true);
      expect(rate.Expression).toBe('IF(total >= 10, 100 * FILL(rejected, 0) / total, 0)');
      expect(alarm.Properties!.Threshold).toEqual({ Ref: 'RejectionRateAlarmPercent' });
    });

    it('notifies through a topic CloudWatch can publish to: its own KMS key, or none', () => {
      const topic = resource('AlarmTopic').Properties!;
      const key = resource('AlarmTopicKey');
      const statements = (key.Properties!.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
      const withEmail = { AlarmEmail: 'ops@example.com' };

      expect(JSON.stringify(template.Resources)).not.toContain('alias/aws/sns');
      expect(resolved(topic.KmsMasterKeyId, withEmail)).toBe('AlarmTopicKey');
      expect(resolved(topic.KmsMasterKeyId, { ...withEmail, AlarmTopicEncryption: 'none' })).toBeUndefined();
      expect(condition('EncryptAlarmTopic', { ...withEmail, AlarmTopicEncryption: 'none' })).toBe(false);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        }),
      );
      expect(key.Properties!.EnableKeyRotation).toBe(true);
    });
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

  it('outputs the live aliases the attach tool reads, and the pool, client and table', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(
      [
        'CustomMessageFunctionArn',
        'CustomSenderFunctionArn',
        'CustomSenderKmsKeyArn',
        'PostConfirmationFunctionArn',
        'PreSignUpFunctionArn',
        'PreTokenGenerationFunctionArn',
        'TenantTableName',
        'UserMigrationFunctionArn',
        'UserPoolClientId',
        'UserPoolId',
      ].sort(),
    );
    for (const id of FUNCTIONS) {
      expect((template.Outputs![`${id}Arn`] as { Value: unknown }).Value).toEqual({ Ref: `${id}.Alias` });
    }
  });

  it('passes cfn-lint at every level, informational included', () => {
    const run = spawnSync('cfn-lint', ['--include-checks', 'I', '--', 'template.yaml'], { encoding: 'utf8' });

    expect(run.error, 'cfn-lint must be installed (pip install cfn-lint)').toBeUndefined();
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);
});

/** Every metric an alarm reads: its own metric, or each MetricStat of its metric math. */
function metricStatsOf(properties: Record<string, unknown>): {
  Namespace: string;
  MetricName: string;
  Dimensions: unknown;
}[] {
  if (properties.MetricName !== undefined) {
    return [properties as { Namespace: string; MetricName: string; Dimensions: unknown }];
  }
  return ((properties.Metrics ?? []) as { MetricStat?: { Metric: never } }[])
    .filter((m) => m.MetricStat !== undefined)
    .map((m) => m.MetricStat!.Metric);
}
