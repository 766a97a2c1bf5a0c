// Runs one invocation of a built bundle, like the Lambda runtime: the event arrives on stdin, the
// response (or {errorType, errorMessage}) leaves on stdout, and everything the function logs goes
// to stderr. Plain JavaScript so it starts fast and runs on the Node that runs it.
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [bundlePath, handlerName = 'index.handler'] = process.argv.slice(2);
const realStdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const timeoutMs = Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT ?? 3) * 1000;
const startedAt = Date.now();
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:123456789012:function:${functionName}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
  done() {},
  fail() {},
  succeed() {},
};

function answer(text, exitCode) {
  realStdoutWrite(`${text}\n`, () => process.exit(exitCode));
}

try {
  const exportName = handlerName.split('.').at(-1);
  const module = await import(pathToFileURL(bundlePath).href);
  const handler = module[exportName];
  if (typeof handler !== 'function') throw new TypeError(`${bundlePath} does not export ${exportName}`);
  const response = await handler(JSON.parse(Buffer.concat(chunks).toString('utf8')), context);
  answer(JSON.stringify(response ?? null), 0);
} catch (error) {
  const errorType = error instanceof Error ? error.name : typeof error;
  const errorMessage = error instanceof Error ? error.message : String(error);
  answer(JSON.stringify({ errorType, errorMessage }), 1);
}
