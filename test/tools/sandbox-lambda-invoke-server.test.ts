import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulateCognitoAnswer, sandboxSubOf } from '../../tools/sandbox/emulate-cognito.js';
import { createLambdaContainer, type LambdaContainer } from '../../tools/sandbox/lambda-container.js';
import {
  functionNameOf,
  startLambdaInvokeServer,
  type InvocationRecord,
  type LambdaInvokeServer,
} from '../../tools/sandbox/lambda-invoke-server.js';

// Bundles as small as a Lambda handler gets, written to a temp folder and run by the real worker.
const BUNDLES: Record<string, string> = {
  'echo.mjs': `
    let coldStarts = 0;
    coldStarts += 1;
    export const handler = async (event, context) => ({
      ...event,
      seen: { pid: process.pid, coldStarts, greeting: process.env.GREETING ?? null, leaked: process.env.SANDBOX_TEST_SECRET ?? null,
              functionName: context.functionName, remainingPositive: context.getRemainingTimeInMillis() > 0 },
    });`,
  'reject.mjs': `
    class RejectionError extends Error { constructor(message) { super(message); this.name = 'RejectionError'; } }
    export const handler = async () => { throw new RejectionError('[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed'); };`,
  'broken-init.mjs': `
    throw new Error('ConfigError: ALLOWED_EMAIL_DOMAINS or DENIED_EMAIL_DOMAINS must be set');`,
  'hang.mjs': `
    export const handler = async (event) => event.hang ? new Promise(() => undefined) : ({ pid: process.pid });`,
};

let dir: string;
let server: LambdaInvokeServer;
let lambda: LambdaClient;
const records: InvocationRecord[] = [];
const containers = new Map<string, LambdaContainer>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-lambda-'));
  for (const [name, code] of Object.entries(BUNDLES)) await writeFile(join(dir, name), code);
  const define = (functionName: string, file: string, timeoutSeconds = 5): void => {
    containers.set(
      functionName,
      createLambdaContainer({
        functionName,
        bundlePath: join(dir, file),
        handler: 'index.handler',
        timeoutSeconds,
        env: { PATH: process.env.PATH, AWS_LAMBDA_FUNCTION_NAME: functionName, GREETING: 'hello' },
      }),
    );
  };
  define('Echo', 'echo.mjs');
  define('Reject', 'reject.mjs');
  define('BrokenInit', 'broken-init.mjs');
  define('Hang', 'hang.mjs', 1);
  process.env.SANDBOX_TEST_SECRET = 'must not reach the function';
  server = await startLambdaInvokeServer({
    port: 0,
    containers,
    onInvocation: (record) => records.push(record),
  });
  lambda = new LambdaClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  delete process.env.SANDBOX_TEST_SECRET;
  lambda?.destroy();
  await server?.stop();
  await Promise.all([...containers.values()].map((container) => container.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function invoke(functionName: string, event: unknown) {
  const output = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }),
  );
  return {
    statusCode: output.StatusCode,
    functionError: output.FunctionError,
    body: JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')) as Record<
      string,
      unknown
    >,
  };
}

describe('the sandbox Lambda Invoke API', () => {
  it("answers with the handler's returned event, run with the function's own environment only", async () => {
    // Act
    const answer = await invoke('Echo', { triggerSource: 'PreSignUp_SignUp', n: 1 });

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.functionError).toBeUndefined();
    expect(answer.body).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      n: 1,
      seen: { greeting: 'hello', leaked: null, functionName: 'Echo', remainingPositive: true },
    });
  });

  it('keeps one warm container per function: the bundle is imported once across invocations', async () => {
    // Act
    const first = await invoke('Echo', {});
    const second = await invoke('Echo', {});

    // Assess
    expect(second.body.seen).toMatchObject({ coldStarts: 1, pid: (first.body.seen as { pid: number }).pid });
  });

  it('reports a thrown error as Lambda does: FunctionError Unhandled with errorType and errorMessage', async () => {
    // Act
    const answer = await invoke('Reject', { triggerSource: 'PreSignUp_SignUp' });

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.body).toEqual({
      errorType: 'RejectionError',
      errorMessage: '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    });
    expect(records.at(-1)).toEqual({
      functionName: 'Reject',
      triggerSource: 'PreSignUp_SignUp',
      ok: false,
      errorType: 'RejectionError',
      errorMessage: '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    });
  });

  it('reports a failed cold start as an unhandled error, and tries the cold start again next time', async () => {
    // Act
    const first = await invoke('BrokenInit', {});
    const second = await invoke('BrokenInit', {});

    // Assess
    for (const answer of [first, second]) {
      expect(answer.functionError).toBe('Unhandled');
      expect(answer.body.errorMessage).toContain('ALLOWED_EMAIL_DOMAINS or DENIED_EMAIL_DOMAINS must be set');
    }
  });

  it('times an invocation out after the function timeout and answers the next one from a fresh container', async () => {
    // Prepare
    const before = await invoke('Hang', { hang: false });

    // Act
    const timedOut = await invoke('Hang', { hang: true });
    const after = await invoke('Hang', { hang: false });

    // Assess
    expect(timedOut.functionError).toBe('Unhandled');
    expect(timedOut.body).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.00 seconds',
    });
    expect(after.body.pid).not.toBe(before.body.pid);
  });

  it('answers ResourceNotFoundException for a function it does not serve', async () => {
    // Act
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'Nope', Payload: '{}' }))
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it.each([
    ['a function name', 'Echo', 'Echo'],
    ['a qualified name', 'Echo:$LATEST', 'Echo'],
    ['a function ARN', 'arn:aws:lambda:us-east-1:123456789012:function:Echo', 'Echo'],
    ['a qualified function ARN', 'arn:aws:lambda:us-east-1:123456789012:function:Echo:live', 'Echo'],
  ])('finds the function from %s', (_case, reference, expected) => {
    expect(functionNameOf(reference)).toBe(expected);
  });
});

describe("the sandbox's emulation of what Cognito does with a trigger's answer", () => {
  const migrationEvent = { triggerSource: 'UserMigration_Authentication', userName: 'Ada@Example.com' };

  it('gives a migrated user the sub Cognito would give, the same for any letter case of the username', () => {
    // Act
    const answer = emulateCognitoAnswer('UserMigrationFunction', migrationEvent, {
      ...migrationEvent,
      response: { userAttributes: { email: 'ada@example.com' }, finalUserStatus: 'CONFIRMED' },
    }) as { response: { userAttributes: Record<string, string>; finalUserStatus: string } };

    // Assess
    expect(answer.response.finalUserStatus).toBe('CONFIRMED');
    expect(answer.response.userAttributes.email).toBe('ada@example.com');
    expect(answer.response.userAttributes.sub).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(sandboxSubOf('ada@example.com')).toBe(answer.response.userAttributes.sub);
    expect(sandboxSubOf('grace@example.com')).not.toBe(answer.response.userAttributes.sub);
  });

  it.each([
    [
      'another trigger source',
      { triggerSource: 'PreSignUp_SignUp', userName: 'x' },
      { response: { userAttributes: {} } },
    ],
    [
      'a migration answer that already has a sub',
      migrationEvent,
      { response: { userAttributes: { sub: 'given' } } },
    ],
    ['a migration answer without attributes', migrationEvent, { response: {} }],
  ])('leaves %s untouched', (_case, event, answer) => {
    expect(emulateCognitoAnswer('AnyFunction', event, answer)).toEqual(answer);
  });
});
