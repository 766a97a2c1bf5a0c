/**
 * `npm run attach`: attach the toolkit's triggers to an existing user pool without resetting any
 * other setting (UpdateUserPool resets what it omits). See `npm run attach -- --help`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseAttachArgs, USAGE } from './attach/args.js';
import { regionOfUserPoolId } from './attach/arn.js';
import { createCognitoUserPoolAdmin, createStaticFunctionSource } from './attach/cognito-admin.js';
import { AttachError, UsageError } from './attach/errors.js';
import type { Console } from './attach/ports.js';
import { runAttach } from './attach/run-attach.js';
import { SENDER_KEY, type ToolkitFunctions, type ToolkitTrigger } from './attach/lambda-config.js';
import { createStackFunctionSource } from './attach/stack-functions.js';
import {
  SANDBOX_FUNCTION_REGION,
  SANDBOX_SENDER_TRIGGER,
  SANDBOX_TRIGGERS,
  sandboxFunctionArn,
} from './sandbox/pool-triggers.js';
import {
  SANDBOX_ENDPOINTS_FILE,
  SANDBOX_STATE_FILE,
  type RunningSandbox,
  type SandboxEndpoints,
} from './sandbox/start-sandbox.js';

/** The running sandbox's Cognito endpoint, from the endpoints file `npm start` writes when ready. */
async function readSandboxCognitoEndpoint(stateDir: string): Promise<string> {
  const file = join(stateDir, SANDBOX_ENDPOINTS_FILE);
  let endpoints: Partial<SandboxEndpoints>;
  try {
    endpoints = JSON.parse(await readFile(file, 'utf8')) as Partial<SandboxEndpoints>;
  } catch {
    throw new AttachError(`${file} cannot be read: is the sandbox running (npm start)?`);
  }
  if (typeof endpoints.cognito !== 'string') throw new AttachError(`${file} names no cognito endpoint`);
  return endpoints.cognito;
}

/** The running sandbox's sender key when it runs with `--custom-sender` (its `sandbox.json`), else undefined. */
async function readSandboxSenderKey(stateDir: string): Promise<string | undefined> {
  try {
    const running = JSON.parse(
      await readFile(join(stateDir, SANDBOX_STATE_FILE), 'utf8'),
    ) as Partial<RunningSandbox>;
    return typeof running.customSenderKmsKeyArn === 'string' ? running.customSenderKmsKeyArn : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The sandbox's functions, by the LambdaConfig slot each one serves; with the sender's key (sender mode),
 * CustomSenderFunction in both sender slots too, with that key as the pool's KMSKeyID.
 */
function sandboxFunctions(senderKmsKeyArn: string | undefined): ToolkitFunctions {
  return {
    ...Object.fromEntries(
      SANDBOX_TRIGGERS.map((trigger) => [
        trigger.slot as ToolkitTrigger,
        sandboxFunctionArn(trigger.functionName),
      ]),
    ),
    ...(senderKmsKeyArn === undefined
      ? {}
      : {
          CustomSender: sandboxFunctionArn(SANDBOX_SENDER_TRIGGER.functionName),
          [SENDER_KEY]: senderKmsKeyArn,
        }),
  };
}

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
  const { source } = options;
  // A pool id starts with its region, which is where its triggers must live too.
  const region =
    options.region ??
    (source.kind === 'sandbox' ? SANDBOX_FUNCTION_REGION : undefined) ??
    regionOfUserPoolId(options.userPoolId) ??
    process.env.AWS_REGION ??
    'us-east-1';
  if (source.kind === 'sandbox') {
    // cognito-local takes any credentials; a newcomer may have none configured.
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }
  const endpoint =
    options.endpointUrl ??
    (source.kind === 'sandbox' ? await readSandboxCognitoEndpoint(source.stateDir) : undefined);
  const outcome = await runAttach(options, {
    admin: createCognitoUserPoolAdmin({ region, endpoint }),
    functions:
      source.kind === 'stack'
        ? createStackFunctionSource(source.stackName, { region })
        : createStaticFunctionSource(
            source.kind === 'sandbox'
              ? sandboxFunctions(await readSandboxSenderKey(source.stateDir))
              : source.functions,
          ),
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
