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
import {
  attachedFunctionOf,
  SANDBOX_TRIGGERS,
  sandboxLambdaConfig,
  sandboxTriggerOf,
} from '../../../tools/sandbox/pool-triggers.js';

// A pool runs exactly the triggers of its LambdaConfig: the invoke server asks for the pool of each
// event (cognito-local calls every configured trigger for every pool) and runs what it attaches.

const ARN = (name: string): string => `arn:aws:lambda:local:000000000000:function:${name}`;
const POOLS: Record<string, LambdaConfigType> = {
  local_Bare: {},
  local_SignUpOnly: { PreSignUp: ARN('PreSignUpFunction') },
  // The slot names another function of the sandbox: that one runs, not the one in the path.
  local_Rewired: { PreSignUp: ARN('OtherFunction') },
  local_TokenV2: {
    PreTokenGenerationConfig: { LambdaArn: ARN('PreTokenGenerationFunction'), LambdaVersion: 'V2_0' },
  },
};

let dir: string;
let server: LambdaInvokeServer;
let lambda: LambdaClient;
const records: InvocationRecord[] = [];
const notAttached: string[] = [];
const containers = new Map<string, LambdaContainer>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pool-triggers-'));
  await writeFile(
    join(dir, 'echo.mjs'),
    `export const handler = async (event) => ({ ...event, ranBy: process.env.NAME });`,
  );
  for (const name of [
    'PreSignUpFunction',
    'UserMigrationFunction',
    'PreTokenGenerationFunction',
    'OtherFunction',
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
    onInvocation: (record) => records.push(record),
    lambdaConfigOf: (userPoolId) => Promise.resolve(POOLS[userPoolId]),
    onNotAttached: (userPoolId, trigger) => notAttached.push(`${userPoolId} ${trigger.slot}`),
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
});
