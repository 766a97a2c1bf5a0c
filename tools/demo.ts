/**
 * `npm run demo`: the toolkit's main job, end to end and offline. Starts the sandbox (or, with
 * `--use-running`, uses the one `npm start` runs), then walks through a refused and an allowed sign-up,
 * a legacy user's migration and a token with tenant claims verified against the JWKS, printing each
 * step as it goes. Exits 1 if any step fails.
 *
 * Then, on a second sandbox whose pool sends through CustomSenderFunction (a pool with a custom email
 * sender runs no CustomMessage, which the first journey shows), a sign-up email delivered by the custom
 * sender. `--no-custom-sender` skips it.
 *
 *   npm run demo
 *   npm run demo -- --use-running [--state-dir .sandbox]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCustomSenderDemo } from './demo/custom-sender-demo.js';
import { runDemo, type DemoStep } from './demo/run-demo.js';
import { SANDBOX_STATE_FILE, startSandbox, type RunningSandbox } from './sandbox/start-sandbox.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'use-running': { type: 'boolean', default: false },
      'state-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'no-custom-sender': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run demo -- [--use-running] [--state-dir .sandbox] [--verbose] [--no-custom-sender]',
    );
    return 0;
  }
  let target: RunningSandbox;
  let stop = async (): Promise<void> => undefined;
  if (values['use-running']) {
    const stateFile = join(values['state-dir'] ?? '.sandbox', SANDBOX_STATE_FILE);
    if (!existsSync(stateFile)) {
      console.error(
        `No running sandbox: ${stateFile} is missing. Start one with \`npm start\`, or drop --use-running.`,
      );
      return 1;
    }
    target = JSON.parse(readFileSync(stateFile, 'utf8')) as RunningSandbox;
    console.log(`Using the running sandbox at ${target.cognitoEndpoint} (pool ${target.userPoolId})`);
  } else {
    console.log(
      'Starting a sandbox on free ports (build, dynalite, PGlite, Lambda Invoke API, cognito-local)...',
    );
    const sandbox = await startSandbox({
      stateDir: values['state-dir'] ?? join('.sandbox', 'demo'),
      ports: { cognito: 0, lambda: 0, dynamodb: 0, postgres: 0, api: 0 },
      logLevel: 'WARN',
      onLog: values.verbose ? (source, line) => console.log(`    [${source}] ${line}`) : undefined,
    });
    console.log(
      `Sandbox ready: Cognito at ${sandbox.cognitoEndpoint}, pool ${sandbox.userPoolId}, client ${sandbox.clientId}`,
    );
    target = sandbox;
    stop = () => sandbox.stop();
  }

  let number = 0;
  const print = (step: DemoStep): void => {
    number += 1;
    console.log(`\n${step.ok ? '✔' : '✘'} ${number}. ${step.title}`);
    for (const line of step.details) console.log(`     ${line}`);
  };
  try {
    const steps = await runDemo(target, print);
    if (!values['no-custom-sender']) steps.push(await runSenderStep(target, values, print));
    const failed = steps.filter((step) => !step.ok).length;
    console.log(
      failed === 0 ? `\nAll ${steps.length} steps passed.` : `\n${failed} of ${steps.length} steps failed.`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    await stop();
  }
}

// A running sandbox started with `npm start -- --custom-sender` is used as it is; otherwise a second one.
async function runSenderStep(
  target: RunningSandbox,
  values: { 'state-dir'?: string; verbose?: boolean },
  print: (step: DemoStep) => void,
): Promise<DemoStep> {
  if (target.sesEndpoint !== undefined)
    return runCustomSenderDemo({ ...target, sesEndpoint: target.sesEndpoint }, print);
  console.log(
    '\nStarting a second sandbox whose pool sends through CustomSenderFunction (local KMS, local SES)...',
  );
  const sandbox = await startSandbox({
    stateDir: join(values['state-dir'] ?? join('.sandbox', 'demo'), 'custom-sender'),
    ports: { cognito: 0, lambda: 0, dynamodb: 0, postgres: 0 },
    logLevel: 'WARN',
    build: false,
    customSender: { sesPort: 0, kmsPort: 0 },
    onLog: values.verbose ? (source, line) => console.log(`    [${source}] ${line}`) : undefined,
  });
  try {
    return await runCustomSenderDemo({ ...sandbox, sesEndpoint: sandbox.sesEndpoint ?? '' }, print);
  } finally {
    await sandbox.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The demo could not run:', error instanceof Error ? error.message : error);
    if (error instanceof Error && error.cause) console.error('Cause:', error.cause);
    process.exit(1);
  },
);
