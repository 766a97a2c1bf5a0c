import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findFreePort } from './ports.js';

export interface CognitoLocalServer {
  /** e.g. `http://127.0.0.1:9229`: the `endpoint` of a Cognito client, and the token issuer's host. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface CognitoLocalServerOptions {
  /** cognito-local's working directory: `.cognito/config.json` and `.cognito/db/` go under it. */
  readonly dataDir: string;
  /** 0 for a free port. */
  readonly port: number;
  readonly host?: string;
  /** Written to `.cognito/config.json`. */
  readonly config: Record<string, unknown>;
  /** Receives cognito-local's console output (its message deliveries included), line by line. */
  readonly onLog?: (line: string) => void;
  readonly startTimeoutMs?: number;
}

const require = createRequire(import.meta.url);
/** Loaded into cognito-local so that it ends with the sandbox, even a sandbox killed with SIGKILL. */
const EXIT_WITH_PARENT = pathToFileURL(
  resolve(import.meta.dirname, '..', 'lib', 'exit-with-parent.mjs'),
).href;
// pino-pretty colours its output even when piped.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Starts cognito-local as a child process; with port 0, on a free port (retried if another process takes it first). */
export async function startCognitoLocalServer(
  options: CognitoLocalServerOptions,
): Promise<CognitoLocalServer> {
  await mkdir(join(options.dataDir, '.cognito'), { recursive: true });
  await writeFile(join(options.dataDir, '.cognito', 'config.json'), JSON.stringify(options.config, null, 2));
  const host = options.host ?? '127.0.0.1';
  const attempts = options.port === 0 ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = options.port === 0 ? await findFreePort(host) : options.port;
    try {
      const child = await spawnServer(options, host, port);
      return { endpoint: `http://${host}:${port}`, stop: () => stopChild(child) };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`cognito-local did not start`, { cause: lastError });
}

function spawnServer(options: CognitoLocalServerOptions, host: string, port: number): Promise<ChildProcess> {
  const entry = join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, entry], {
    cwd: options.dataDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: host,
      DEBUG: '',
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cognito-local did not listen within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        const text = chunk.replace(ANSI, '');
        if (!ready) {
          output += text;
          if (output.includes('Cognito Local running on')) {
            ready = true;
            clearTimeout(timer);
            resolve(child);
          }
        }
        buffered += text;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') options.onLog?.(line);
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready)
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
