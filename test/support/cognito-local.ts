import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A running cognito-local server owned by the test that started it. */
export interface CognitoLocal {
  /** Base URL to pass as `endpoint` to an SDK client, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** The server's working directory: `.cognito/config.json` and `.cognito/db/*.json` live under it. */
  readonly dataDir: string;
  /** Stops the server and removes `dataDir` (unless `keepDataDir` was set). */
  stop(): Promise<void>;
}

export interface StartCognitoLocalOptions {
  /** Written to `.cognito/config.json` (e.g. `TriggerFunctions`, `LambdaClient.endpoint`). */
  readonly config?: Record<string, unknown>;
  /** Leave the temp directory behind after `stop()` (for debugging a failed test). */
  readonly keepDataDir?: boolean;
  /** How long to wait for the server to listen; default 20 s. */
  readonly startTimeoutMs?: number;
}

const require = createRequire(import.meta.url);
const ATTEMPTS = 3;
// pino-pretty colours its output even when piped.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Starts cognito-local as a child process on a free port with a fresh temp data directory.
 * SDK clients pointed at it need a region and any credentials (it checks neither).
 *
 * @example
 * ```ts
 * const cognito = await startCognitoLocal();
 * const client = new CognitoIdentityProviderClient({
 *   endpoint: cognito.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
 * });
 * afterAll(() => cognito.stop());
 * ```
 */
export async function startCognitoLocal(options: StartCognitoLocalOptions = {}): Promise<CognitoLocal> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cognito-local-'));
  await mkdir(join(dataDir, '.cognito'), { recursive: true });
  await writeFile(join(dataDir, '.cognito', 'config.json'), JSON.stringify(options.config ?? {}, null, 2));
  let lastError: unknown;
  // The free port is found before the server binds it, so another process may take it in between:
  // a failed start is retried on a new port rather than reported as a flaky test.
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = await findFreePort();
    try {
      const child = await spawnServer(dataDir, port, options.startTimeoutMs ?? 20_000);
      return {
        endpoint: `http://127.0.0.1:${port}`,
        dataDir,
        stop: async () => {
          await stopChild(child);
          if (!options.keepDataDir) await rm(dataDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  throw new Error(`cognito-local did not start after ${ATTEMPTS} attempts`, { cause: lastError });
}

function spawnServer(cwd: string, port: number, timeoutMs: number): Promise<ChildProcess> {
  const entry = join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cognito-local did not listen within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8').replace(ANSI, '');
      if (output.includes('Cognito Local running on')) {
        clearTimeout(timer);
        // Keep draining the pipes so a chatty server never blocks on a full buffer.
        child.stdout?.removeListener('data', onData);
        child.stderr?.removeListener('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`cognito-local exited early (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function findFreePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}
