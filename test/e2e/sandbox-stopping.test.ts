import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll } from '../../tools/build.js';

// `npm start` as a user runs it (npm -> sh -> tsx -> the sandbox -> cognito-local and the Lambda
// containers), on ephemeral ports, ended in every way a user ends it. After each, no process of the
// tree may be left and every port must be free again, so the next `npm start` cannot hit EADDRINUSE.

const LEAVE_WITHIN_MS = 20_000;

let stateRoot: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  stateRoot = await mkdtemp(join(tmpdir(), 'sandbox-stopping-'));
  await buildAll();
}, 120_000);

afterAll(async () => {
  for (const child of started) if (child.pid) killTree(child.pid);
  if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
});

/** Every process under `root` (pid -> command line), from the process table. */
function descendantsOf(root: number): Map<number, string> {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }));
  const found = new Map<number, string>();
  let frontier = [root];
  while (frontier.length > 0) {
    const children = table.filter((row) => frontier.includes(row.ppid) && !found.has(row.pid));
    for (const child of children) found.set(child.pid, child.args);
    frontier = children.map((child) => child.pid);
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killTree(root: number): void {
  for (const pid of [...descendantsOf(root).keys(), root]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms: number,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface RunningStart {
  readonly npm: ChildProcess;
  /** The processes of the tree once the sandbox is ready: npm's descendants. */
  readonly tree: Map<number, string>;
  readonly ports: number[];
  /** The sandbox process itself (the parent of cognito-local) and tsx (its parent). */
  readonly sandboxPid: number;
  readonly tsxPid: number;
}

async function startNpmStart(name: string): Promise<RunningStart> {
  const stateDir = join(stateRoot, name);
  const npm = spawn('npm', ['start', '--', '--state-dir', stateDir, '--quiet', '--no-build'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      SANDBOX_COGNITO_PORT: '0',
      SANDBOX_LAMBDA_PORT: '0',
      SANDBOX_DYNAMODB_PORT: '0',
      SANDBOX_POSTGRES_PORT: '0',
      SANDBOX_API_PORT: '0',
    },
    // Its own process group, as a terminal gives a foreground job: the "terminal closed" case signals it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(npm);
  let output = '';
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpointsFile = join(stateDir, 'endpoints.json');
  await waitFor(
    `${endpointsFile} (npm start output so far:\n${output})`,
    () =>
      existsSync(endpointsFile)
        ? true
        : npm.exitCode !== null
          ? Promise.reject(new Error(output))
          : undefined,
    90_000,
  );
  const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8')) as Record<string, string>;
  const state = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8')) as {
    lambdaEndpoint: string;
  };
  const ports = [endpoints.cognito!, endpoints.dynamodb!, endpoints.api!, state.lambdaEndpoint].map((url) =>
    Number(new URL(url).port),
  );
  // The Lambda containers start on their first invocation: start them all, as a session would.
  const tree = descendantsOf(npm.pid!);
  const cognitoLocal = [...tree].find(([, args]) => args.includes('cognito-local'));
  expect(cognitoLocal, `cognito-local under npm start:\n${[...tree.values()].join('\n')}`).toBeDefined();
  const sandboxPid = Number(
    execFileSync('ps', ['-o', 'ppid=', '-p', String(cognitoLocal![0])], { encoding: 'utf8' }).trim(),
  );
  const tsxPid = Number(
    execFileSync('ps', ['-o', 'ppid=', '-p', String(sandboxPid)], { encoding: 'utf8' }).trim(),
  );
  await invokeEveryContainer(state.lambdaEndpoint);
  return { npm, tree: descendantsOf(npm.pid!), ports, sandboxPid, tsxPid };
}

async function invokeEveryContainer(lambdaEndpoint: string): Promise<void> {
  for (const name of ['PreSignUpFunction', 'CustomMessageFunction']) {
    await fetch(`${lambdaEndpoint}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body: '{}' });
  }
}

async function expectEverythingGone(run: RunningStart): Promise<void> {
  const workers = [...run.tree.values()].filter((args) => args.includes('lambda-worker'));
  expect(workers.length, 'Lambda containers were running').toBeGreaterThanOrEqual(2);
  await waitFor(
    'every process of npm start to end',
    () => ([...run.tree.keys()].every((pid) => !isAlive(pid)) ? true : undefined),
    LEAVE_WITHIN_MS,
  ).catch(() => undefined);
  const left = [...run.tree].filter(([pid]) => isAlive(pid)).map(([pid, args]) => `${pid} ${args}`);
  expect(left).toEqual([]);
  for (const port of run.ports) expect(await isPortFree(port), `port ${port} is free`).toBe(true);
}

describe('stopping npm start', () => {
  it.each([
    ['SIGTERM to npm', (run: RunningStart) => process.kill(run.npm.pid!, 'SIGTERM')],
    ['SIGINT to npm (Ctrl-C)', (run: RunningStart) => process.kill(run.npm.pid!, 'SIGINT')],
    ['SIGTERM to tsx', (run: RunningStart) => process.kill(run.tsxPid, 'SIGTERM')],
    ['SIGHUP to the job (terminal closed)', (run: RunningStart) => process.kill(-run.npm.pid!, 'SIGHUP')],
    ['SIGKILL to npm', (run: RunningStart) => process.kill(run.npm.pid!, 'SIGKILL')],
    ['SIGKILL to the sandbox process', (run: RunningStart) => process.kill(run.sandboxPid, 'SIGKILL')],
  ])(
    'leaves no process and no busy port after %s',
    async (name, end) => {
      // Prepare
      const run = await startNpmStart(name.replace(/\W+/g, '-'));

      // Act
      end(run);

      // Assess
      await expectEverythingGone(run);
    },
    150_000,
  );
});
