import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolRequest,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCognitoLocal, type CognitoLocal } from '../../support/cognito-local.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
// cognito-local puts every pool in the region "local".
const fn = (name: string, region = 'local'): string =>
  `arn:aws:lambda:${region}:123456789012:function:${name}`;
const OURS = {
  PreSignUp: fn('kit-pre-sign-up'),
  UserMigration: fn('kit-user-migration'),
  PreTokenGeneration: fn('kit-pre-token'),
  CustomMessage: fn('kit-custom-message'),
};
const FUNCTIONS_ARG = Object.entries(OURS)
  .map(([trigger, arn]) => `${trigger}=${arn}`)
  .join(',');
const EXISTING_TRIGGERS = {
  PostConfirmation: fn('welcome'),
  CustomEmailSender: { LambdaArn: fn('mailer'), LambdaVersion: 'V1_0' as const },
  KMSKeyID: 'arn:aws:kms:local:123456789012:key/0000-1111',
};

// A pool far from the defaults: everything here is what a naive UpdateUserPool would reset.
const RICH_POOL: Omit<CreateUserPoolRequest, 'PoolName'> = {
  Policies: {
    PasswordPolicy: {
      MinimumLength: 14,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: false,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 2,
    },
  },
  MfaConfiguration: 'OPTIONAL',
  SmsAuthenticationMessage: 'Your sign-in code is {####}',
  SmsConfiguration: {
    SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms',
    ExternalId: 'kit-external',
  },
  EmailConfiguration: {
    EmailSendingAccount: 'DEVELOPER',
    SourceArn: 'arn:aws:ses:local:123456789012:identity/example.com',
    From: 'Example <no-reply@example.com>',
    ReplyToEmailAddress: 'support@example.com',
  },
  VerificationMessageTemplate: {
    DefaultEmailOption: 'CONFIRM_WITH_CODE',
    EmailSubject: 'Verify your Example account',
    EmailMessage: 'Your Example code is {####}',
    SmsMessage: 'Example code {####}',
  },
  AutoVerifiedAttributes: ['email'],
  AdminCreateUserConfig: {
    AllowAdminCreateUserOnly: true,
    InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'User {username}, password {####}' },
  },
  DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
  UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
  UserPoolTags: { team: 'identity', cost: 'auth' },
  LambdaConfig: EXISTING_TRIGGERS,
};

let cognito: CognitoLocal;
let client: CognitoIdentityProviderClient;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, 'tools/attach.ts', ...args], {
      cwd: ROOT,
      // stdin is not a terminal here, exactly as in CI.
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL: '',
        ...env,
      },
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function createPool(name: string): Promise<string> {
  const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: name, ...RICH_POOL }));
  const id = UserPool?.Id ?? '';
  await client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: id,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  return id;
}

async function readPool(id: string): Promise<{ pool: UserPoolType; mfa: unknown }> {
  const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
  const { $metadata: _metadata, ...mfa } = await client.send(
    new GetUserPoolMfaConfigCommand({ UserPoolId: id }),
  );
  return { pool: UserPool ?? {}, mfa };
}

/**
 * The pool as the attach must leave it: LambdaConfig aside, and without the deprecated
 * AdminCreateUserConfig.UnusedAccountValidityDays, which cognito-local reports as 7 next to
 * TemporaryPasswordValidityDays and which the tool must not send back (AWS rejects the pair).
 */
function withoutLambdaConfig({ pool, mfa }: { pool: UserPoolType; mfa: unknown }): unknown {
  const {
    LambdaConfig: _lambdaConfig,
    LastModifiedDate: _lastModified,
    AdminCreateUserConfig,
    ...rest
  } = pool;
  const { UnusedAccountValidityDays: _mirror, ...adminCreateUser } = AdminCreateUserConfig ?? {};
  return { rest, adminCreateUser, mfa };
}

beforeAll(async () => {
  cognito = await startCognitoLocal();
  client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  await cognito?.stop();
});

describe('npm run attach against cognito-local', () => {
  it('resets settings when UpdateUserPool is called with LambdaConfig alone (the hazard the tool avoids)', async () => {
    // Prepare
    const id = await createPool('naive-update');

    // Act
    await client.send(
      new UpdateUserPoolCommand({
        UserPoolId: id,
        LambdaConfig: { ...EXISTING_TRIGGERS, PreSignUp: OURS.PreSignUp },
      }),
    );

    // Assess
    const { pool } = await readPool(id);
    expect(pool.Policies).toBeUndefined();
    expect(pool.UserPoolTags).toBeUndefined();
    expect(pool.MfaConfiguration).toBeUndefined();
  });

  it('prints the plan on a dry run and changes nothing', async () => {
    // Prepare
    const id = await createPool('dry-run');
    const before = await readPool(id);

    // Act
    const result = await runCli([
      '--user-pool-id',
      id,
      '--functions',
      FUNCTIONS_ARG,
      '--endpoint-url',
      cognito.endpoint,
      '--dry-run',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`+ LambdaConfig.PreSignUp: ${OURS.PreSignUp}`);
    expect(result.stdout).toContain('Dry run: nothing was changed.');
    expect(await readPool(id)).toEqual(before);
  });

  it('attaches the four triggers and keeps every other setting, trigger and sender', async () => {
    // Prepare
    const id = await createPool('attach');
    const before = await readPool(id);

    // Act
    const result = await runCli([
      '--user-pool-id',
      id,
      '--functions',
      FUNCTIONS_ARG,
      '--endpoint-url',
      cognito.endpoint,
      '--yes',
    ]);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Applied and verified: only LambdaConfig changed, as planned.');
    const after = await readPool(id);
    expect(after.pool.LambdaConfig).toEqual({
      ...EXISTING_TRIGGERS,
      PreSignUp: OURS.PreSignUp,
      UserMigration: OURS.UserMigration,
      CustomMessage: OURS.CustomMessage,
      PreTokenGenerationConfig: { LambdaArn: OURS.PreTokenGeneration, LambdaVersion: 'V2_0' },
    });
    expect(withoutLambdaConfig(after)).toEqual(withoutLambdaConfig(before));
    expect(after.pool.Policies?.PasswordPolicy?.MinimumLength).toBe(14);
    expect(after.pool.UserPoolTags).toEqual({ team: 'identity', cost: 'auth' });
    expect(after.mfa).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
  });

  it('detaches only our triggers and leaves the pool as it was before the attach', async () => {
    // Prepare
    const id = await createPool('detach');
    const original = await readPool(id);
    const attach = await runCli([
      '--user-pool-id',
      id,
      '--functions',
      FUNCTIONS_ARG,
      '--endpoint-url',
      cognito.endpoint,
      '--yes',
      '--token-version',
      'V1_0',
    ]);
    expect(attach.code).toBe(0);

    // Act
    const result = await runCli([
      '--user-pool-id',
      id,
      '--functions',
      FUNCTIONS_ARG,
      '--endpoint-url',
      cognito.endpoint,
      '--yes',
      '--detach',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`- LambdaConfig.PreTokenGeneration: ${OURS.PreTokenGeneration}`);
    const after = await readPool(id);
    expect(after.pool.LambdaConfig).toEqual(EXISTING_TRIGGERS);
    expect(withoutLambdaConfig(after)).toEqual(withoutLambdaConfig(original));
  });

  it('attaches and detaches the fifth slot, PostConfirmation, keeping the rest', async () => {
    // Prepare
    const id = await createPool('post-confirmation');
    const ours = fn('kit-post-confirmation');
    const args = [
      '--user-pool-id',
      id,
      '--functions',
      `PostConfirmation=${ours}`,
      '--endpoint-url',
      cognito.endpoint,
      '--yes',
    ];

    // Act
    const attach = await runCli(args);
    const attached = await readPool(id);
    const detach = await runCli([...args, '--detach']);
    const detached = await readPool(id);

    // Assess
    expect(attach.code).toBe(0);
    expect(attach.stdout).toContain(`~ LambdaConfig.PostConfirmation: ${fn('welcome')} -> ${ours}`);
    expect(attached.pool.LambdaConfig).toEqual({ ...EXISTING_TRIGGERS, PostConfirmation: ours });
    expect(detach.code).toBe(0);
    const { PostConfirmation: _replaced, ...others } = EXISTING_TRIGGERS;
    expect(detached.pool.LambdaConfig).toEqual(others);
  });

  it('attaches the custom sender to both slots with the pool key, and detaches it back', async () => {
    // Prepare
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({ PoolName: 'sender', LambdaConfig: { PostConfirmation: fn('welcome') } }),
    );
    const id = UserPool?.Id ?? '';
    const sender = fn('kit-custom-sender');
    const key = 'arn:aws:kms:local:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab';
    const args = ['--user-pool-id', id, '--functions', `CustomSender=${sender},CustomSenderKmsKey=${key}`];
    const common = ['--endpoint-url', cognito.endpoint, '--yes'];

    // Act
    const attach = await runCli([...args, ...common]);
    const attached = await readPool(id);
    const detach = await runCli([...args, ...common, '--detach']);
    const detached = await readPool(id);

    // Assess
    expect([attach.code, detach.code]).toEqual([0, 0]);
    expect(attached.pool.LambdaConfig).toEqual({
      PostConfirmation: fn('welcome'),
      CustomEmailSender: { LambdaArn: sender, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: sender, LambdaVersion: 'V1_0' },
      KMSKeyID: key,
    });
    expect(detached.pool.LambdaConfig).toEqual({ PostConfirmation: fn('welcome') });
  });

  it('takes the endpoint from AWS_ENDPOINT_URL when no --endpoint-url is given', async () => {
    // Prepare
    const id = await createPool('endpoint-from-env');

    // Act
    const result = await runCli(['--user-pool-id', id, '--functions', FUNCTIONS_ARG, '--dry-run'], {
      AWS_ENDPOINT_URL: cognito.endpoint,
    });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`User pool ${id} (endpoint-from-env) in local`);
  });

  it('refuses to apply without a terminal and without --yes, and changes nothing', async () => {
    // Prepare
    const id = await createPool('no-confirmation');
    const before = await readPool(id);

    // Act
    const result = await runCli([
      '--user-pool-id',
      id,
      '--functions',
      FUNCTIONS_ARG,
      '--endpoint-url',
      cognito.endpoint,
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Refusing to change the user pool without confirmation');
    expect(await readPool(id)).toEqual(before);
  });

  it.each([
    {
      case: 'a missing pool',
      args: (_id: string) => ['--user-pool-id', 'local_doesNotExist', '--functions', FUNCTIONS_ARG],
      code: 1,
      message:
        'error: User pool local_doesNotExist was not found in local. Check --user-pool-id and --region.',
    },
    {
      case: 'a function in another region',
      args: (id: string) => [
        '--user-pool-id',
        id,
        '--functions',
        `PreSignUp=${fn('kit-pre-sign-up', 'eu-west-1')}`,
        '--yes',
      ],
      code: 1,
      message: 'PreSignUp: the function is in eu-west-1 but the user pool is in local',
    },
    {
      case: 'bad arguments',
      args: (id: string) => ['--user-pool-id', id, '--functions', 'PreSignUp'],
      code: 2,
      message: 'error: --functions: PreSignUp needs =<function arn>',
    },
  ])('explains $case and changes nothing', async ({ args, code, message }) => {
    // Prepare
    const id = await createPool('errors');
    const before = await readPool(id);

    // Act
    const result = await runCli([...args(id), '--endpoint-url', cognito.endpoint]);

    // Assess
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(await readPool(id)).toEqual(before);
  });
});
