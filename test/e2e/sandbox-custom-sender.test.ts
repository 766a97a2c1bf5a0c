import { execFile } from 'node:child_process';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  SignUpCommand,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfirmationCode } from '../../tools/sandbox/confirmation-codes.js';
import { sandboxFunctionArn, sandboxLambdaConfig } from '../../tools/sandbox/pool-triggers.js';
import type { Sandbox } from '../../tools/sandbox/start-sandbox.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import type { CapturedEmail } from '../../tools/lib/local-ses.js';

// The sandbox with cognito-local's CustomEmailSender routed through the built CustomSenderFunction:
// cognito-local encrypts the code with its KMS keyring (local KMS), our bundle decrypts it and sends
// through SES v2 to aws-ses-v2-local. cognito-local hands every pool's messages to the sender; only a pool
// whose LambdaConfig attaches it runs it, the others get the message Cognito itself sends.
let sandbox: Sandbox;
let running: TestSandbox | undefined;
let cognito: CognitoIdentityProviderClient;
const logs: string[] = [];

beforeAll(async () => {
  running = await startTestSandbox('sandbox-sender-e2e-', {
    customSender: { sesPort: 0, kmsPort: 0 },
    onLog: (source, line) => {
      if (source === 'sandbox') logs.push(line);
    },
  });
  ({ sandbox, cognito } = running);
}, 90_000);

afterAll(() => running?.stop());

async function emailsTo(address: string): Promise<CapturedEmail[]> {
  const response = await fetch(`${sandbox.sesEndpoint}/store`);
  const { emails } = (await response.json()) as { emails: CapturedEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

const senderCalls = (): number =>
  sandbox.invocations().filter((record) => record.functionName === 'CustomSenderFunction').length;

async function signUp(clientId: string, email: string): Promise<void> {
  await cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      Password: 'a long sandbox password',
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
}

async function lambdaConfigOf(userPoolId: string): Promise<LambdaConfigType | undefined> {
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  return UserPool?.LambdaConfig;
}

/** A pool and app client made as a user makes them with the CLI or an SDK: no trigger unless given. */
async function createPool(
  lambdaConfig?: LambdaConfigType,
): Promise<{ userPoolId: string; clientId: string }> {
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'my-own-pool',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      ...(lambdaConfig ? { LambdaConfig: lambdaConfig } : {}),
    }),
  );
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: 'my-app' }),
  );
  return { userPoolId: UserPool!.Id!, clientId: UserPoolClient!.ClientId! };
}

/** `npm run attach -- --sandbox --user-pool-id <id> [...]`, as the docs give it. */
function runAttach(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', 'attach', '--', '--sandbox', ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, SANDBOX_STATE_DIR: sandbox.stateDir },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** The sandbox's log line for a message Cognito delivered itself to `email`, when there is one. */
const deliveryLogOf = (email: string): string | undefined =>
  logs.find((line) => line.includes(`delivered to ${email} without a sender`));

describe('the sandbox with the custom sender', () => {
  it('delivers the sign-up email through our sender, and its code confirms the account', async () => {
    // Prepare
    const email = 'sender-journey@example.com';

    // Act
    await cognito.send(
      new SignUpCommand({
        ClientId: sandbox.clientId,
        Username: email,
        Password: 'a long sandbox password',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'locale', Value: 'fr' },
        ],
      }),
    );
    const sent = await emailsTo(email);
    const code = /(\d{6})/.exec(sent[0]?.body.text ?? '')?.[1] ?? '';
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email, ConfirmationCode: code }),
    );

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe('Confirmez votre compte Sandbox App');
    expect(sent[0]?.body.html).toContain(code);
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: email }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    const calls = sandbox.invocations().filter((record) => record.functionName === 'CustomSenderFunction');
    expect(calls.map((record) => [record.triggerSource, record.ok])).toEqual([
      ['CustomEmailSender_SignUp', true],
    ]);
    expect(deliveryLogOf(email)).toBeUndefined();
  });

  it("shows the sender attached in the sandbox's own pool (describe-user-pool), with the pool's KMS key", async () => {
    // Act
    const lambdaConfig = await lambdaConfigOf(sandbox.userPoolId);

    // Assess
    expect(sandbox.customSenderKmsKeyArn).toMatch(/^arn:aws:kms:local:\d{12}:key\//);
    expect(lambdaConfig).toEqual(sandboxLambdaConfig({ kmsKeyArn: sandbox.customSenderKmsKeyArn! }));
    expect(lambdaConfig?.CustomEmailSender).toEqual({
      LambdaArn: sandboxFunctionArn('CustomSenderFunction'),
      LambdaVersion: 'V1_0',
    });
    expect(lambdaConfig?.KMSKeyID).toBe(sandbox.customSenderKmsKeyArn);
  });

  it('runs no sender for a pool made with the SDK until attached, then runs it, and stops again once detached', async () => {
    // Prepare
    const pool = await createPool();
    const before = { name: 'before-attach@example.com', calls: senderCalls() };

    // Act 1: no trigger attached, so Cognito's default message, delivered by the sandbox.
    await signUp(pool.clientId, before.name);

    // Assess 1
    expect(senderCalls()).toBe(before.calls);
    expect(await emailsTo(before.name)).toEqual([]);
    const code = await readConfirmationCode({ ...sandbox, userPoolId: pool.userPoolId }, before.name);
    expect(code).toMatch(/^\d{6}$/);
    expect(deliveryLogOf(before.name)).toContain(
      `Cognito's default message "Your verification code is ${code}. "`,
    );

    // Act 2: npm run attach -- --sandbox
    const attached = await runAttach(['--user-pool-id', pool.userPoolId]);
    const attachedConfig = await lambdaConfigOf(pool.userPoolId);
    const during = { name: 'after-attach@example.com', calls: senderCalls() };
    await signUp(pool.clientId, during.name);

    // Assess 2: the pool's sign-up email now goes through our sender, and only through it.
    expect(attached.code, attached.output).toBe(0);
    expect(attachedConfig).toEqual(sandboxLambdaConfig({ kmsKeyArn: sandbox.customSenderKmsKeyArn! }));
    expect(senderCalls()).toBe(during.calls + 1);
    expect(await emailsTo(during.name)).toHaveLength(1);
    expect(deliveryLogOf(during.name)).toBeUndefined();

    // Act 3: --detach
    const detached = await runAttach(['--user-pool-id', pool.userPoolId, '--detach']);
    const detachedConfig = await lambdaConfigOf(pool.userPoolId);
    const after = { name: 'after-detach@example.com', calls: senderCalls() };
    await signUp(pool.clientId, after.name);

    // Assess 3
    expect(detached.code, detached.output).toBe(0);
    expect(detachedConfig?.CustomEmailSender).toBeUndefined();
    expect(detachedConfig?.CustomSMSSender).toBeUndefined();
    expect(detachedConfig?.KMSKeyID).toBeUndefined();
    expect(senderCalls()).toBe(after.calls);
    expect(await emailsTo(after.name)).toEqual([]);
    expect(deliveryLogOf(after.name)).toContain("Cognito's default message");
  }, 120_000);

  it('renders the message of a pool that attaches only CustomMessage with it, as Cognito does, and sends no email through the sender', async () => {
    // Prepare
    const pool = await createPool({ CustomMessage: sandboxFunctionArn('CustomMessageFunction') });
    const email = 'message-only@example.com';
    const calls = senderCalls();

    // Act
    await signUp(pool.clientId, email);

    // Assess
    expect(senderCalls()).toBe(calls);
    expect(await emailsTo(email)).toEqual([]);
    const rendered = sandbox.messages().filter((message) => message.to === email);
    expect(rendered.map((message) => message.triggerSource)).toEqual(['CustomMessage_SignUp']);
    expect(rendered[0]?.emailMessage).toContain('{####}');
    const code = await readConfirmationCode({ ...sandbox, userPoolId: pool.userPoolId }, email);
    expect(deliveryLogOf(email)).toContain(`code ${code}, CustomMessageFunction's message`);
  });
});
