// node invoke.mjs <function> <event.json>: runs a bundle from dist/ on an event, as Lambda would, and
// prints the answer (or {"errorType", "errorMessage"} with exit code 1) on stdout; logs go to stderr.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [name, eventPath] = process.argv.slice(2);
// Powertools writes log lines to stdout: keep stdout for the answer.
const writeOut = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
const { handler } = await import(pathToFileURL(resolve('dist', name, 'index.mjs')).href);
const event = JSON.parse(readFileSync(eventPath, 'utf8'));
const endsAt = Date.now() + 5_000;
const context = {
  functionName: name,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  memoryLimitInMB: '512',
  awsRequestId: 'local-invoke',
  logGroupName: `/aws/lambda/${name}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => endsAt - Date.now(),
};
try {
  writeOut(`${JSON.stringify(await handler(event, context))}\n`);
} catch (error) {
  writeOut(`${JSON.stringify({ errorType: error.name, errorMessage: error.message })}\n`);
  process.exitCode = 1;
}
