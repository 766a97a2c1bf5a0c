import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaContainer, type LambdaContainer } from '../../../tools/sandbox/lambda-container.js';
import {
  startLambdaInvokeServer,
  type InvocationRecord,
  type LambdaInvokeServer,
} from '../../../tools/sandbox/lambda-invoke-server.js';
import type { CognitoEmail, SenderEvent } from '../../../tools/sandbox/emulate-cognito.js';
import {
  attachedFunctionOf,
  SANDBOX_SENDER_TRIGGER,
  SANDBOX_TRIGGERS,
  sandboxLambdaConfig,
  sandboxTriggerOf,
} from '../../../tools/sandbox/pool-triggers.js';

// A pool runs exactly the triggers of its LambdaConfig: the invoke server asks for the pool of each
// event (cognito-local calls every configured trigger for every pool) and runs what it attaches.

const ARN = (name: string): string => `arn:aws:lambda:local:000000000000:function:${name}`;
const KEY = 'arn:aws:kms:local:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const POOLS: Record<string, LambdaConfigType> = {
  local_Bare: {},
  local_SignUpOnly: { PreSignUp: ARN('PreSignUpFunction') },
  // The slot names another function of the sandbox: that one runs, not the one in the path.
  local_Rewired: { PreSignUp: ARN('OtherFunction') },
  local_TokenV2: {
    PreTokenGenerationConfig: { LambdaArn: ARN('PreTokenGenerationFunction'), LambdaVersion: 'V2_0' },
  },
  local_Sender: {
    CustomMessage: ARN('CustomMessageFunction'),
    CustomEmailSender: { LambdaArn: ARN('CustomSenderFunction'), LambdaVersion: 'V1_0' },
    KMSKeyID: KEY,
  },
  local_MessageOnly: { CustomMessage: ARN('CustomMessageFunction') },
};

let dir: string;
let server: LambdaInvokeServer;
let lambda: LambdaClient;
const records: InvocationRecord[] = [];
const receivedEvents: unknown[] = [];
const notAttached: string[] = [];
const deliveries: { event: SenderEvent; rendered: CognitoEmail | undefined }[] = [];
const containers = new Map<string, LambdaContainer>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pool-triggers-'));
  await writeFile(
    join(dir, 'echo.mjs'),
    // A CustomMessage function renders a message with Cognito's placeholders in it.
    `export const handler = async (event) => event.triggerSource.startsWith('CustomMessage_')
      ? { ...event, ranBy: process.env.NAME, response: { emailSubject: 'Welcome', emailMessage: 'Code {####} for {username}' } }
      : { ...event, ranBy: process.env.NAME };`,
  );
  for (const name of [
    'PreSignUpFunction',
    'UserMigrationFunction',
    'PreTokenGenerationFunction',
    'OtherFunction',
    'CustomMessageFunction',
    'CustomSenderFunction',
  ]) {
    containers.set(
      name,
      createLambdaContainer({
        functionName: name,
        bundlePath: join(dir, 'echo.mjs'),
        handler: 'index.handler',
        timeoutSeconds: 5,
        env: { PATH: process.env.PATH, NAME: name },
      }),
    );
  }
  server = await startLambdaInvokeServer({
    port: 0,
    containers,
    onInvocation: (record, event) => {
      records.push(record);
      receivedEvents.push(event);
    },
    lambdaConfigOf: (userPoolId) => Promise.resolve(POOLS[userPoolId]),
    onNotAttached: (userPoolId, trigger) => notAttached.push(`${userPoolId} ${trigger.slot}`),
    deliverWithoutSender: (event, rendered) => {
      deliveries.push({ event, rendered });
      return Promise.resolve();
    },
  });
  lambda = new LambdaClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  lambda?.destroy();
  await server?.stop();
  await Promise.all([...containers.values()].map((container) => container.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function invoke(functionName: string, event: Record<string, unknown>) {
  const before = records.length;
  const deliveredBefore = deliveries.length;
  const output = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }),
  );
  return {
    functionError: output.FunctionError,
    body: JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')) as Record<
      string,
      unknown
    >,
    ran: records.slice(before).map((record) => record.functionName),
    received: receivedEvents.slice(before),
    delivered: deliveries.slice(deliveredBefore),
  };
}

/** A sign-up code email as cognito-local hands it to a custom email sender (the code encrypted). */
function senderEvent(userPoolId: string): Record<string, unknown> {
  return {
    version: '0',
    region: 'local',
    userPoolId,
    triggerSource: 'CustomEmailSender_SignUp',
    userName: 'new.user@example.com',
    callerContext: { awsSdkVersion: '2.1692.0', clientId: 'client1' },
    request: {
      type: 'customEmailSenderRequestV1',
      code: 'AYADeCiphertext==',
      userAttributes: { email: 'new.user@example.com' },
    },
    response: {},
  };
}

describe('triggers per user pool', () => {
  it('answers a pool with no PreSignUp trigger with the event unchanged, running no function', async () => {
    // Prepare
    const event = {
      userPoolId: 'local_Bare',
      triggerSource: 'PreSignUp_SignUp',
      response: { autoConfirmUser: false },
    };

    // Act
    const answer = await invoke('PreSignUpFunction', event);

    // Assess
    expect(answer.functionError).toBeUndefined();
    expect(answer.body).toEqual(event);
    expect(answer.ran).toEqual([]);
    expect(notAttached).toContain('local_Bare PreSignUp');
  });

  it('answers a pool with no UserMigration trigger with a function error (Cognito: user not found)', async () => {
    // Act
    const answer = await invoke('UserMigrationFunction', {
      userPoolId: 'local_Bare',
      triggerSource: 'UserMigration_Authentication',
    });

    // Assess
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.body).toEqual({
      errorType: 'Sandbox.NotAttached',
      errorMessage: 'The user pool has no UserMigration trigger',
    });
    expect(answer.ran).toEqual([]);
  });

  it('runs the attached function of a pool that has it, and only at that trigger point', async () => {
    // Act
    const signUp = await invoke('PreSignUpFunction', {
      userPoolId: 'local_SignUpOnly',
      triggerSource: 'PreSignUp_SignUp',
    });
    const token = await invoke('PreTokenGenerationFunction', {
      userPoolId: 'local_SignUpOnly',
      triggerSource: 'TokenGeneration_Authentication',
    });

    // Assess
    expect(signUp.ran).toEqual(['PreSignUpFunction']);
    expect(signUp.body.ranBy).toBe('PreSignUpFunction');
    expect(token.ran).toEqual([]);
  });

  it('runs the function the LambdaConfig names, whatever cognito-local asked for', async () => {
    // Act
    const answer = await invoke('PreSignUpFunction', {
      userPoolId: 'local_Rewired',
      triggerSource: 'PreSignUp_AdminCreateUser',
    });

    // Assess
    expect(answer.ran).toEqual(['OtherFunction']);
    expect(answer.body.ranBy).toBe('OtherFunction');
  });

  it('reads the token trigger from PreTokenGenerationConfig', async () => {
    // Act
    const answer = await invoke('PreTokenGenerationFunction', {
      userPoolId: 'local_TokenV2',
      triggerSource: 'TokenGeneration_RefreshTokens',
    });

    // Assess
    expect(answer.ran).toEqual(['PreTokenGenerationFunction']);
  });

  it('runs the custom email sender a pool attaches, and nothing else: Cognito sends no message of its own', async () => {
    // Act
    const answer = await invoke('CustomSenderFunction', senderEvent('local_Sender'));

    // Assess
    expect(answer.functionError).toBeUndefined();
    expect(answer.ran).toEqual(['CustomSenderFunction']);
    expect(answer.delivered).toEqual([]);
  });

  it("delivers the message of a pool without a sender as Cognito does, rendered by the pool's CustomMessage trigger", async () => {
    // Prepare
    const event = senderEvent('local_MessageOnly');

    // Act
    const answer = await invoke('CustomSenderFunction', event);

    // Assess: CustomMessage got the event cognito-local sends it when no sender is configured.
    expect(answer.functionError).toBeUndefined();
    expect(answer.body).toEqual(event);
    expect(answer.ran).toEqual(['CustomMessageFunction']);
    expect(answer.received[0]).toMatchObject({
      userPoolId: 'local_MessageOnly',
      triggerSource: 'CustomMessage_SignUp',
      userName: 'new.user@example.com',
      request: {
        userAttributes: { email: 'new.user@example.com' },
        codeParameter: '{####}',
        usernameParameter: '{username}',
      },
      response: { smsMessage: '', emailMessage: '', emailSubject: '' },
    });
    expect(answer.delivered).toEqual([
      { event, rendered: { emailSubject: 'Welcome', emailMessage: 'Code {####} for {username}' } },
    ]);
    expect(notAttached).toContain('local_MessageOnly CustomEmailSender');
  });

  it("delivers Cognito's default message for a pool with neither a sender nor a CustomMessage trigger", async () => {
    // Prepare
    const event = senderEvent('local_Bare');

    // Act
    const answer = await invoke('CustomSenderFunction', event);

    // Assess
    expect(answer.functionError).toBeUndefined();
    expect(answer.ran).toEqual([]);
    expect(answer.delivered).toEqual([{ event, rendered: undefined }]);
  });

  it('runs the function in the path for an event of no known pool (a recorded fixture sent by hand)', async () => {
    // Act
    const answer = await invoke('PreSignUpFunction', {
      userPoolId: 'us-east-1_Fixture',
      triggerSource: 'PreSignUp_SignUp',
    });

    // Assess
    expect(answer.ran).toEqual(['PreSignUpFunction']);
  });
});

describe('the sandbox trigger table', () => {
  it.each([
    ['PreSignUp_ExternalProvider', 'PreSignUp'],
    ['UserMigration_ForgotPassword', 'UserMigration'],
    ['TokenGeneration_HostedAuth', 'PreTokenGeneration'],
    ['CustomMessage_AdminCreateUser', 'CustomMessage'],
    ['PostConfirmation_ConfirmForgotPassword', 'PostConfirmation'],
    ['CustomEmailSender_ForgotPassword', 'CustomEmailSender'],
  ])('sends %s to the %s slot', (source, slot) => {
    expect(sandboxTriggerOf(source)?.slot).toBe(slot);
  });

  it('attaches every sandbox function in the sandbox pool, the token trigger as V1_0 (cognito-local sends V1 events)', () => {
    // Act
    const config = sandboxLambdaConfig();

    // Assess
    expect(config).toEqual({
      PreSignUp: ARN('PreSignUpFunction'),
      UserMigration: ARN('UserMigrationFunction'),
      CustomMessage: ARN('CustomMessageFunction'),
      PostConfirmation: ARN('PostConfirmationFunction'),
      PreTokenGeneration: ARN('PreTokenGenerationFunction'),
      PreTokenGenerationConfig: { LambdaArn: ARN('PreTokenGenerationFunction'), LambdaVersion: 'V1_0' },
    });
    for (const trigger of SANDBOX_TRIGGERS)
      expect(attachedFunctionOf(config, trigger)).toBe(trigger.functionName);
  });

  it('attaches the sender in both sender slots, with the key as KMSKeyID, in sender mode only', () => {
    // Act
    const config = sandboxLambdaConfig({ kmsKeyArn: KEY });

    // Assess
    expect(config).toEqual({
      ...sandboxLambdaConfig(),
      CustomEmailSender: { LambdaArn: ARN('CustomSenderFunction'), LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: ARN('CustomSenderFunction'), LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    });
    expect(attachedFunctionOf(config, SANDBOX_SENDER_TRIGGER)).toBe('CustomSenderFunction');
    expect(attachedFunctionOf(sandboxLambdaConfig(), SANDBOX_SENDER_TRIGGER)).toBeUndefined();
  });
});
