/**
 * `npm run attach`: attach the toolkit's triggers to an existing user pool without resetting any
 * other setting (UpdateUserPool resets what it omits). See `npm run attach -- --help`.
 */
import { createInterface } from 'node:readline/promises';
import { parseAttachArgs, USAGE } from './attach/args.js';
import { regionOfUserPoolId } from './attach/arn.js';
import { createCognitoUserPoolAdmin, createStaticFunctionSource } from './attach/cognito-admin.js';
import { AttachError, UsageError } from './attach/errors.js';
import type { Console } from './attach/ports.js';
import { runAttach } from './attach/run-attach.js';
import { createStackFunctionSource } from './attach/stack-functions.js';

const terminal: Console = {
  print: (line) => process.stdout.write(`${line}\n`),
  canAsk: process.stdin.isTTY === true,
  async ask(question) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await prompt.question(question)).trim());
    } finally {
      prompt.close();
    }
  },
};

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseAttachArgs(argv);
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { options } = parsed;
  // A pool id starts with its region, which is where its triggers must live too.
  const region =
    options.region ?? regionOfUserPoolId(options.userPoolId) ?? process.env.AWS_REGION ?? 'us-east-1';
  const outcome = await runAttach(options, {
    admin: createCognitoUserPoolAdmin({ region, endpoint: options.endpointUrl }),
    functions:
      options.source.kind === 'stack'
        ? createStackFunctionSource(options.source.stackName, { region })
        : createStaticFunctionSource(options.source.functions),
    console: terminal,
  });
  return outcome.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(
        `${error.problems.map((problem) => `error: ${problem}`).join('\n')}\n\n${USAGE}\n`,
      );
      process.exitCode = 2;
    } else if (error instanceof AttachError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `error: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
