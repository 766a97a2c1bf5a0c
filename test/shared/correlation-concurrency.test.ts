import { InvokeStore } from '@aws/lambda-invoke-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTriggerHandler } from '../../shared/trigger-handler.js';
import { fakeLambdaContext } from '../support/lambda.js';
import { captureLogs } from '../support/logs.js';

// Where Lambda runs invocations concurrently in one environment (AWS_LAMBDA_MAX_CONCURRENCY set), its runtime
// client runs each inside its InvokeStore (an AsyncLocalStorage) and Powertools keeps each invocation's keys
// there. This file stands in for that runtime (its own file: the store is process-wide once made).
const ENV = { AWS_LAMBDA_MAX_CONCURRENCY: '4' };
let store: Awaited<ReturnType<typeof InvokeStore.getInstanceAsync>>;

beforeAll(async () => {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY = ENV.AWS_LAMBDA_MAX_CONCURRENCY;
  store = await InvokeStore.getInstanceAsync(true);
});
afterAll(() => {
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
});

function event(clientId: string, userName: string) {
  return {
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region: 'us-east-1',
    userPoolId: 'us-east-1_TestPool1',
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    request: { userAttributes: {} },
    response: {},
  };
}

describe('createTriggerHandler: concurrent invocations in one environment', () => {
  it('writes each invocation’s own correlation keys into its lines while another runs', async () => {
    // Prepare
    const logs = captureLogs();
    let releaseFirst: () => void = () => undefined;
    const firstMayGoOn = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let secondStarted: () => void = () => undefined;
    const secondHasStarted = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    type E = ReturnType<typeof event>;
    const handler = createTriggerHandler<E>(
      {
        name: 'concurrent-trigger',
        failMode: 'closed',
        triggerSources: ['PreSignUp_SignUp'],
        handle: async (incoming, { logger }) => {
          if (incoming.callerContext.clientId === 'first-client') await firstMayGoOn;
          else secondStarted();
          logger.info('deciding');
          return incoming;
        },
      },
      { env: ENV, deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 200 } },
    );
    try {
      // Act
      const first = store.run({}, () => handler(event('first-client', 'alice'), fakeLambdaContext()));
      await Promise.resolve();
      const second = store.run({}, () => handler(event('second-client', 'bob'), fakeLambdaContext()));
      await secondHasStarted;
      await second;
      releaseFirst();
      await first;
    } finally {
      logs.restore();
    }
    // Assess
    const deciding = logs.lines().filter((line) => line.message === 'deciding');
    expect(deciding.map((line) => line.client_id).sort()).toEqual(['first-client', 'second-client']);
    const answered = logs.lines().filter((line) => line.message === 'Trigger answered');
    expect(answered.map((line) => line.client_id)).toEqual(['second-client', 'first-client']);
  });
});
