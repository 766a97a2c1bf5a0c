// A warm Lambda container for the sandbox: one long-lived child process per function, started with
// `fork` and the function's environment. The bundle is imported once, on the first invocation (the
// cold start); each invocation arrives as an IPC message and its answer leaves the same way, so the
// function's own stdout/stderr stay free for its logs. One invocation at a time, like Lambda.
// Plain JavaScript so it starts fast and runs on the Node that runs it.
import { randomUUID } from 'node:crypto';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
// A container never outlives the sandbox that started it, however the sandbox ends.
import './exit-with-parent.mjs';

const [bundlePath, handlerName = 'index.handler'] = process.argv.slice(2);
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
const region = process.env.AWS_REGION ?? 'us-east-1';
let handlerPromise;

function loadHandler() {
  handlerPromise ??= import(pathToFileURL(bundlePath).href).then((module) => {
    const exportName = handlerName.split('.').at(-1);
    const handler = module[exportName];
    if (typeof handler !== 'function') throw new TypeError(`${bundlePath} does not export ${exportName}`);
    return handler;
  });
  return handlerPromise;
}

function contextFor(deadlineAt) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'sandbox',
    getRemainingTimeInMillis: () => Math.max(0, deadlineAt - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

function describeError(error) {
  return {
    errorType: error instanceof Error ? error.name : typeof error,
    errorMessage: error instanceof Error ? error.message : String(error),
  };
}

process.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    // Lambda discards a container whose init failed; the parent starts a fresh one next time.
    process.send(
      { type: 'result', id: message.id, ok: false, initFailed: true, ...describeError(error) },
      () => process.exit(1),
    );
    return;
  }
  try {
    const response = await handler(JSON.parse(message.payload), contextFor(message.deadlineAt));
    process.send({ type: 'result', id: message.id, ok: true, payload: JSON.stringify(response ?? null) });
  } catch (error) {
    process.send({ type: 'result', id: message.id, ok: false, ...describeError(error) });
  }
});

process.send({ type: 'ready' });
