import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  createLocalDynamoDbClient,
  createTenantTable,
  domainRuleItem,
  seedTenantItems,
  startDynalite,
} from '../support/dynalite.js';
import { loadEvent } from '../support/events.js';
import { runInvoke, runNpmInvoke } from '../support/invoke.js';

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

  it.each([
    [
      'a template parameter name (AllowedEmailDomains), which it ignores as SAM does',
      'AllowedEmailDomains',
      0,
    ],
    ['a variable the function declares (ALLOWED_EMAIL_DOMAINS), which it sets', 'ALLOWED_EMAIL_DOMAINS', 1],
  ])(
    "reads the env-vars file's Parameters as environment variables of every function: %s",
    async (_case, name, code) => {
      // Prepare: the template's default allows example.com, the fixture's domain.
      const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
      const envVars = join(dir, 'env.json');
      writeFileSync(envVars, JSON.stringify({ Parameters: { [name]: 'other.org' } }));

      // Act
      const run = await invoke([
        'PreSignUpFunction',
        '-e',
        'events/pre-sign-up/sign-up-allowed.json',
        '--env-vars',
        envVars,
      ]);

      // Assess
      expect(run.code).toBe(code);
      if (code === 1) expect(JSON.parse(run.stdout).errorMessage).toMatch(/^\[EMAIL_DOMAIN_NOT_ALLOWED\] /);
      else expect(JSON.parse(run.stdout)).toEqual(loadEvent('pre-sign-up/sign-up-allowed.json'));
    },
  );

  it('sets template parameters from --parameter-overrides, as sam local invoke does', async () => {
    // Act: the template's AllowedEmailDomains parameter feeds ALLOWED_EMAIL_DOMAINS.
    const run = await invoke([
      'PreSignUpFunction',
      '-e',
      'events/pre-sign-up/sign-up-allowed.json',
      '--parameter-overrides',
      'ParameterKey=AllowedEmailDomains,ParameterValue=other.org DeniedEmailDomains="a.example b.example"',
    ]);

    // Assess
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

  it('refuses an unknown logical id with exit 2 and one line that lists the functions', async () => {
    const run = await invoke(['NoSuchFunction', '-e', 'events/pre-sign-up/sign-up-allowed.json']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'invoke: NoSuchFunction is not a function in template.yaml (functions: PreSignUpFunction, UserMigrationFunction, PreTokenGenerationFunction, CustomMessageFunction, CustomSenderFunction, PostConfirmationFunction)\n',
    );
  });

  it('runs PostConfirmationFunction on its fixture against a local DynamoDB and writes the membership', async () => {
    // Prepare: the template names the table TenantTable, as the sandbox does.
    const db = await startDynalite();
    const client = createLocalDynamoDbClient(db.endpoint);
    try {
      await createTenantTable(client, 'TenantTable');
      await seedTenantItems(client, 'TenantTable', [domainRuleItem('acme.example.com', 'acme', 'member')]);

      // Act
      const run = await invoke(
        ['PostConfirmationFunction', '-e', 'events/post-confirmation/confirm-sign-up.json'],
        { AWS_ENDPOINT_URL_DYNAMODB: db.endpoint },
      );

      // Assess
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(loadEvent('post-confirmation/confirm-sign-up.json'));
      const item = await client.send(
        new GetItemCommand({
          TableName: 'TenantTable',
          Key: { pk: { S: 'USER#2f6c3a1e-8d4b-4f7a-9c2e-5b1d0e9a7c31' }, sk: { S: 'TENANT#acme' } },
        }),
      );
      expect(item.Item?.role).toEqual({ S: 'member' });
    } finally {
      client.destroy();
      await db.stop();
    }
  });

  it('returns the PostConfirmation event unchanged (fail-open) when DynamoDB cannot be reached', async () => {
    // Act: nothing listens on port 9 of 127.0.0.1.
    const run = await invoke(
      ['PostConfirmationFunction', '-e', 'events/post-confirmation/confirm-sign-up.json'],
      { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' },
    );

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(loadEvent('post-confirmation/confirm-sign-up.json'));
    expect(run.stderr).toContain('provisioning-failed');
  });

  it.each([
    [
      'a missing event file',
      ['-e', 'events/none.json'],
      'the event file events/none.json cannot be read (no such file)',
    ],
    ['an event file that is not JSON', ['-e', 'README.md'], 'the event file README.md is not JSON'],
    [
      'a missing --env-vars file',
      ['-e', 'events/pre-sign-up/sign-up-allowed.json', '--env-vars', 'nope.json'],
      'the --env-vars file nope.json cannot be read (no such file)',
    ],
    [
      'an --env-vars file that is not JSON',
      ['-e', 'events/pre-sign-up/sign-up-allowed.json', '--env-vars', 'README.md'],
      'the --env-vars file README.md is not JSON',
    ],
    [
      "an --env-vars file not in SAM's format",
      [
        '-e',
        'events/pre-sign-up/sign-up-allowed.json',
        '--env-vars',
        'events/pre-sign-up/sign-up-allowed.json',
      ],
      "the --env-vars file events/pre-sign-up/sign-up-allowed.json is not in SAM's format",
    ],
    [
      'a --parameter-overrides key that is not a template parameter',
      [
        '-e',
        'events/pre-sign-up/sign-up-allowed.json',
        '--parameter-overrides',
        'ALLOWED_EMAIL_DOMAINS=x.org',
      ],
      '--parameter-overrides: ALLOWED_EMAIL_DOMAINS is not a parameter of the template',
    ],
    ['no event at all', [], 'usage: npm run invoke -- <LogicalId> -e <event.json>'],
  ])('answers %s with exit 2 and one plain line naming it, no stack', async (_case, args, expected) => {
    const run = await invoke(['PreSignUpFunction', ...args]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2); // one line and its newline
    expect(run.stderr).toMatch(/^invoke: /);
    expect(run.stderr).toContain(expected);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a malformed event as such, apart from a handler error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
    const eventFile = join(dir, 'bogus.json');
    writeFileSync(
      eventFile,
      JSON.stringify({ ...loadEvent('pre-sign-up/sign-up-allowed.json'), triggerSource: 'PreSignUp_Bogus' }),
    );

    const run = await invoke(['PreSignUpFunction', '-e', eventFile, '--env-vars', ENV_VARS]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).errorMessage).toMatch(/^\[TEMPORARY_FAILURE\] /);
    expect(run.stderr).toContain(
      'invoke: PreSignUpFunction refused the event as malformed (MalformedEventError: Unexpected triggerSource "PreSignUp_Bogus") and answered [TEMPORARY_FAILURE] (fail-closed)\n',
    );
  });

  it('prints the fault behind a generic [TEMPORARY_FAILURE] on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
    const envVars = join(dir, 'env.json');
    // Nothing listens on port 1: the legacy store cannot be reached.
    writeFileSync(
      envVars,
      JSON.stringify({
        UserMigrationFunction: {
          LEGACY_STORE: 'postgres',
          LEGACY_DB_URL: 'postgres://postgres@127.0.0.1:1/postgres',
          LEGACY_DB_TLS: 'off',
          LEGACY_USER_QUERY: 'SELECT password_hash FROM users WHERE email = $1',
        },
      }),
    );

    const run = await invoke([
      'UserMigrationFunction',
      '-e',
      'events/user-migration/authentication.json',
      '--env-vars',
      envVars,
    ]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).errorMessage).toMatch(/^\[TEMPORARY_FAILURE\] /);
    const explanation = run.stderr.split('\n').find((line) => line.startsWith('invoke: '));
    expect(explanation).toMatch(
      /^invoke: UserMigrationFunction answered \[TEMPORARY_FAILURE\] \(fail-closed\) because of a fault: \w+: .+/,
    );
  });

  it('runs the function as Lambda does an on-demand cold start: cold_start is true on the first invocation', async () => {
    const run = await invoke([
      'PreSignUpFunction',
      '-e',
      'events/pre-sign-up/sign-up-allowed.json',
      '--env-vars',
      ENV_VARS,
    ]);

    const logs = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      // Log lines only: the EMF metric lines carry no Lambda context.
      .filter((line) => 'message' in line);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((line) => line.cold_start === true)).toBe(true);
    expect(logs[0]).toMatchObject({ function_name: 'PreSignUpFunction', function_memory_size: '512' });
  });

  it('writes the whole answer to a pipe that is read late, then exits with the code', async () => {
    // Prepare: a reader that leaves the pipe full (64 KiB) for a while, as `| less` or a slow script does.
    const child = spawn(
      process.execPath,
      [
        'node_modules/tsx/dist/cli.mjs',
        'tools/invoke.ts',
        'BigAnswerFunction',
        '-e',
        'events/pre-sign-up/sign-up-allowed.json',
        '--template',
        'test/fixtures/invoke/template.yaml',
      ],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const chunks: Buffer[] = [];
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.pause();
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    // Act
    child.stdout.resume();
    const code = await closed;

    // Assess
    const output = Buffer.concat(chunks).toString('utf8');
    expect(output.length).toBeGreaterThan(1024 * 1024);
    expect(code).toBe(0);
    const answer = JSON.parse(output) as { padding: string[]; last: string };
    expect(answer.padding).toHaveLength(40_000);
    expect(answer.last).toBe('the end of the answer');
  });
});

// The contract's command as written, npm included: npm's own banner must not reach stdout.
describe('npm run invoke, through npm, with stdout a pipe', () => {
  it('prints only the returned event on stdout, which parses as JSON whole', async () => {
    // Act
    const run = await runNpmInvoke(['PreSignUpFunction', '-e', 'events/pre-sign-up/sign-up-allowed.json']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('> cognito-trigger-kit');
    expect(JSON.parse(run.stdout)).toEqual(loadEvent('pre-sign-up/sign-up-allowed.json'));
  });

  it('prints only the error JSON on stdout when the handler throws, and npm passes on exit code 1', async () => {
    // Act
    const run = await runNpmInvoke([
      'PreSignUpFunction',
      '-e',
      'events/pre-sign-up/sign-up-lookalike-refused.json',
    ]);

    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      errorType: 'RejectionError',
      errorMessage: '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    });
  });
});
