import type { Context } from 'aws-lambda';

/** A Lambda context like the one Lambda passes, with a controllable remaining time. */
export function fakeLambdaContext(options: { remainingMs?: number; functionName?: string } = {}): Context {
  const endsAt = Date.now() + (options.remainingMs ?? 5_000);
  const functionName = options.functionName ?? 'test-function';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(16).slice(2, 10)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/26/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
