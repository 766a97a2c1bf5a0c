import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvent } from '../support/events.js';
import { runInvoke } from '../support/invoke.js';

const invoke = runInvoke;

const ENV_VARS = 'events/pre-sign-up/env.json';

describe('npm run invoke', () => {
  it('prints the returned event as JSON on stdout and the logs on stderr', async () => {
    const run = await invoke([
      'PreSignUpFunction',
      '-e',
      'events/pre-sign-up/sign-up-allowed.json',
      '--env-vars',
      ENV_VARS,
    ]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(loadEvent('pre-sign-up/sign-up-allowed.json'));
    const logLines = run.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.map((line) => JSON.parse(line).outcome)).toContain('answered');
  });

  it('exits 1 with SAM-shaped errorType and errorMessage when the handler throws', async () => {
    const run = await invoke([
      'PreSignUpFunction',
      '-e',
      'events/pre-sign-up/sign-up-lookalike-refused.json',
      '--env-vars',
      ENV_VARS,
    ]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      errorType: 'RejectionError',
      errorMessage: '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    });
  });

  it('applies the env-vars file over the template defaults, Parameters first, then the function section', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
    const envVars = join(dir, 'env.json');
    // The template's default allows example.com; the file narrows it to another domain.
    writeFileSync(
      envVars,
      JSON.stringify({
        Parameters: { ALLOWED_EMAIL_DOMAINS: 'example.org' },
        PreSignUpFunction: { ALLOWED_EMAIL_DOMAINS: 'example.net' },
      }),
    );

    const run = await invoke([
      'PreSignUpFunction',
      '-e',
      'events/pre-sign-up/sign-up-allowed.json',
      '--env-vars',
      envVars,
    ]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).errorMessage).toMatch(/^\[EMAIL_DOMAIN_NOT_ALLOWED\] /);
  });

  it('reports a cold start that fails on configuration as the error, naming every bad variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
    const envVars = join(dir, 'env.json');
    writeFileSync(
      envVars,
      JSON.stringify({ CustomMessageFunction: { APP_URL: 'not a url', DEFAULT_LOCALE: 'xx' } }),
    );

    const run = await invoke([
      'CustomMessageFunction',
      '-e',
      'events/custom-message/sign-up.json',
      '--env-vars',
      envVars,
    ]);

    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout) as { errorType: string; errorMessage: string };
    expect(error.errorType).toBe('ConfigError');
    expect(error.errorMessage).toContain('APP_URL');
    expect(error.errorMessage).toContain('DEFAULT_LOCALE');
  });

  it('refuses an unknown logical id and lists the functions', async () => {
    const run = await invoke(['NoSuchFunction', '-e', 'events/pre-sign-up/sign-up-allowed.json']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'PreSignUpFunction, UserMigrationFunction, PreTokenGenerationFunction, CustomMessageFunction',
    );
  });
});
