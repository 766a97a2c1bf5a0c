/**
 * `npm start`: the whole toolkit offline, no Docker, no AWS account. Builds the triggers, serves them
 * behind a local Lambda Invoke API, starts cognito-local wired to them, dynalite with the seeded
 * tenant table and PGlite with seeded legacy users, then prints a banner with everything to paste.
 *
 *   npm start
 *   npm start -- --cognito-port 9229 --lambda-port 3001 --dynamodb-port 8000 --postgres-port 5433 --api-port 3002
 *   npm start -- --state-dir .sandbox --log-level DEBUG --quiet
 *
 * The state folder defaults to SANDBOX_STATE_DIR, else `.sandbox`. Ports also come from
 * SANDBOX_COGNITO_PORT, SANDBOX_LAMBDA_PORT, SANDBOX_DYNAMODB_PORT, SANDBOX_POSTGRES_PORT and
 * SANDBOX_API_PORT (flags win); 0 picks a free port.
 *
 *   npm start -- --custom-sender [--ses-port 8005]
 *
 * attaches CustomSenderFunction as the sandbox pool's custom email sender: codes encrypted under a
 * local KMS (the pool's KMSKeyID), emails sent through SES v2 to aws-ses-v2-local (its web UI on the SES
 * port; also SANDBOX_CUSTOM_SENDER=1 and SANDBOX_SES_PORT). `npm run attach -- --sandbox` attaches it to
 * other pools; a pool without it gets the message Cognito itself sends.
 *
 * It stops everything it started however it is ended: SIGINT (Ctrl-C), SIGTERM or SIGHUP (terminal
 * closed) to it, to tsx or to npm, or npm, tsx or this process killed outright (its children watch it,
 * and it watches the processes that launched it).
 */
import { parseArgs } from 'node:util';
import { defaultSandboxStateDir } from './attach/args.js';
import { formatBanner } from './sandbox/banner.js';
import { findLaunchers, watchLaunchers } from './sandbox/watch-launchers.js';
import { DEFAULT_SANDBOX_PORTS, startSandbox, type SandboxOptions } from './sandbox/start-sandbox.js';

export { startSandbox } from './sandbox/start-sandbox.js';
export type { Sandbox, SandboxOptions, SandboxPorts, SampleUser } from './sandbox/start-sandbox.js';

const usage = `usage: npm start -- [--cognito-port N] [--lambda-port N] [--dynamodb-port N] [--postgres-port N] [--api-port N]
                     [--state-dir .sandbox] [--log-level DEBUG|INFO|WARN|ERROR] [--quiet] [--no-build]
                     [--custom-sender [--ses-port N]]`;

function portOf(flag: string | undefined, variable: string, fallback: number): number {
  const text = flag ?? process.env[variable];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${flag === undefined ? variable : 'port flag'}: "${text}" is not a port (0-65535)`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'cognito-port': { type: 'string' },
      'lambda-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'postgres-port': { type: 'string' },
      'api-port': { type: 'string' },
      'state-dir': { type: 'string', default: defaultSandboxStateDir() },
      'log-level': { type: 'string', default: 'INFO' },
      quiet: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'custom-sender': { type: 'boolean', default: false },
      'ses-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const logLevel = values['log-level'].toUpperCase();
  if (!['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(logLevel)) {
    console.error(`--log-level: "${values['log-level']}" is not one of DEBUG, INFO, WARN, ERROR`);
    process.exit(2);
  }
  const options: SandboxOptions = {
    stateDir: values['state-dir'],
    build: !values['no-build'],
    logLevel: logLevel as SandboxOptions['logLevel'],
    ports: {
      cognito: portOf(values['cognito-port'], 'SANDBOX_COGNITO_PORT', DEFAULT_SANDBOX_PORTS.cognito),
      lambda: portOf(values['lambda-port'], 'SANDBOX_LAMBDA_PORT', DEFAULT_SANDBOX_PORTS.lambda),
      dynamodb: portOf(values['dynamodb-port'], 'SANDBOX_DYNAMODB_PORT', DEFAULT_SANDBOX_PORTS.dynamodb),
      postgres: portOf(values['postgres-port'], 'SANDBOX_POSTGRES_PORT', DEFAULT_SANDBOX_PORTS.postgres),
      api: portOf(values['api-port'], 'SANDBOX_API_PORT', DEFAULT_SANDBOX_PORTS.api),
    },
    ...(values['custom-sender'] || process.env.SANDBOX_CUSTOM_SENDER === '1'
      ? { customSender: { sesPort: portOf(values['ses-port'], 'SANDBOX_SES_PORT', 8005), kmsPort: 0 } }
      : {}),
    onLog: values.quiet ? undefined : (source, line) => console.log(`[${source}] ${line}`),
    onInvocation: (record) => {
      const outcome = record.ok ? 'ok' : `${record.errorType}: ${record.errorMessage}`;
      console.log(`[invoke] ${record.functionName} ${record.triggerSource ?? ''} -> ${outcome}`);
    },
  };
  // With the terminal gone, writing to it fails; stopping must not.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined = undefined;
  let stopping = false;
  const shutdown = (why: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping the sandbox...`);
    // A stop that hangs must not keep the ports: the children also leave on their own once we exit.
    setTimeout(() => process.exit(1), 10_000).unref();
    (sandbox?.stop() ?? Promise.resolve()).then(
      () => {
        console.log('Sandbox stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('The sandbox did not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  watchLaunchers(findLaunchers(), () => shutdown('the process that started the sandbox ended'));

  console.log('Starting the sandbox (build, dynalite, PGlite, Lambda Invoke API, cognito-local)...');
  sandbox = await startSandbox(options);
  if (stopping) {
    await sandbox.stop();
    return;
  }
  console.log(formatBanner(sandbox));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error('The sandbox could not start:', error instanceof Error ? error.message : error);
    if (error instanceof Error && error.cause) console.error('Cause:', error.cause);
    process.exit(1);
  });
}
