import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCognitoLocalServer } from '../../tools/sandbox/cognito-local-server.js';

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

/**
 * Starts cognito-local (the sandbox's launcher) on a free port with a fresh temp data directory.
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
  const server = await startCognitoLocalServer({
    dataDir,
    port: 0,
    config: options.config ?? {},
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
  });
  return {
    endpoint: server.endpoint,
    dataDir,
    stop: async () => {
      await server.stop();
      if (!options.keepDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
