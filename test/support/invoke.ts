import { execFile } from 'node:child_process';

/** What `npm run invoke` did: exit code and both streams. */
export interface InvokeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run invoke -- <args>` the way a user does (tsx on the Node that runs the tests). */
export function runInvoke(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<InvokeRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'tools/invoke.ts', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Runs the documented command itself, `npm run invoke -- <args>`, with stdout a pipe (as in `| jq .`):
 * npm with the repository's own configuration (`.npmrc`) and none inherited from the test run.
 */
export function runNpmInvoke(args: string[], timeoutMs = 60_000): Promise<InvokeRun> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', 'invoke', '--', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: timeoutMs },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
