import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../tools/sandbox/start-sandbox.js';

/** Every port of the sandbox picked by the system, so suites running side by side never collide. */
export const EPHEMERAL_SANDBOX_PORTS = Object.freeze({
  cognito: 0,
  lambda: 0,
  dynamodb: 0,
  postgres: 0,
  api: 0,
});

/** A sandbox of a test suite, with a Cognito client pointed at it. */
export interface TestSandbox {
  readonly sandbox: Sandbox;
  readonly cognito: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox in a fresh state folder on ephemeral ports, at log level ERROR, with a Cognito client
 * that makes one attempt per call; `stop` ends both and removes the folder.
 *
 * @example
 * ```ts
 * const { sandbox, cognito, stop } = await startTestSandbox('sandbox-e2e-', { customSender: {} });
 * ```
 */
export async function startTestSandbox(
  prefix: string,
  options: Omit<SandboxOptions, 'stateDir' | 'ports'> = {},
): Promise<TestSandbox> {
  const stateDir = await mkdtemp(join(tmpdir(), prefix));
  const sandbox = await startSandbox({
    logLevel: 'ERROR',
    ...options,
    stateDir,
    ports: EPHEMERAL_SANDBOX_PORTS,
  });
  const cognito = new CognitoIdentityProviderClient({
    endpoint: sandbox.cognitoEndpoint,
    region: sandbox.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    sandbox,
    cognito,
    stop: async () => {
      cognito.destroy();
      await sandbox.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
