import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeFunction, loadTemplate } from '../../../tools/lib/template.js';
import { EVALUATED_GLOBAL, evaluationMarkers } from '../../support/evaluation-markers.js';

/**
 * Pay only for what you configure: each bundle, built with its template options, evaluates an SDK
 * client or driver only when its configuration uses it. The packages' entry files carry a marker
 * (see evaluationMarkers); a fresh Node process imports the bundle (the cold start), optionally
 * answers a fixture, and reports which packages ran.
 */
const PACKAGES = [
  '@aws-sdk/client-ssm',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-dynamodb',
  'pg',
  'mysql2/promise',
] as const;
type Package = (typeof PACKAGES)[number];

const FUNCTIONS = {
  'pre-sign-up': 'PreSignUpFunction',
  'custom-message': 'CustomMessageFunction',
  'user-migration': 'UserMigrationFunction',
  'pre-token-generation': 'PreTokenGenerationFunction',
} as const;
type Trigger = keyof typeof FUNCTIONS;

const bundles = {} as Record<Trigger, string>;
beforeAll(async () => {
  const template = loadTemplate();
  const root = mkdtempSync(join(tmpdir(), 'lazy-clients-'));
  await Promise.all(
    (Object.keys(FUNCTIONS) as Trigger[]).map(async (trigger) => {
      const fn = describeFunction(template, FUNCTIONS[trigger]);
      const outdir = join(root, trigger);
      await build({
        ...fn.buildOptions,
        entryPoints: [fn.entryPoint],
        outdir,
        logLevel: 'warning',
        plugins: [evaluationMarkers(PACKAGES)],
      });
      bundles[trigger] = join(outdir, 'index.mjs');
    }),
  );
}, 120_000);

// Imports the bundle, lets the cold start's pending work run, optionally answers one fixture, reports.
const CHILD = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundle, fixture] = process.argv.slice(1);
const module = await import(pathToFileURL(bundle).href);
await new Promise((resolve) => setTimeout(resolve, 50));
const coldStart = [...(globalThis.${EVALUATED_GLOBAL} ?? [])];
let answered = null;
if (fixture) {
  const context = { awsRequestId: 'lazy-clients', functionName: 'lazy-clients', getRemainingTimeInMillis: () => 5000 };
  try {
    const result = await module.handler(JSON.parse(readFileSync(fixture, 'utf8')), context);
    answered = { response: result.response };
  } catch (error) {
    answered = { error: String(error && error.message) };
  }
}
const afterAnswer = [...(globalThis.${EVALUATED_GLOBAL} ?? [])];
process.stdout.write(JSON.stringify({ coldStart, afterAnswer, answered }), () => process.exit(0));
`;

interface ChildReport {
  coldStart: Package[];
  afterAnswer: Package[];
  answered: { response?: Record<string, unknown>; error?: string } | null;
}

function runBundle(trigger: Trigger, env: Record<string, string>, fixture?: string): Promise<ChildReport> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        CHILD,
        '--',
        bundles[trigger],
        ...(fixture ? [resolve(fixture)] : []),
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_LAMBDA_FUNCTION_TIMEOUT: '5',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          ...env,
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`the bundle's child failed (${error.code}): ${stderr.slice(-1_000)}`));
        else resolvePromise(JSON.parse(stdout) as ChildReport);
      },
    );
  });
}

interface ConfigurationCase {
  readonly label: string;
  readonly trigger: Trigger;
  readonly env: Record<string, string>;
  readonly expected: Package[];
}

const sorted = (list: readonly string[]): string[] => [...list].sort();

const INLINE_LISTS = { ALLOWED_EMAIL_DOMAINS: 'example.com *.example.org' };
const MESSAGES = { APP_NAME: 'Lazy Clients', APP_URL: 'https://app.example.com' };
// Never reached: the cold start only starts loading the client, the lists are fetched on first use.
const SSM_LISTS = {
  ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/lazy-clients/allowed',
  AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9',
};
const SQL_QUERY = 'SELECT password_hash FROM users WHERE email = ';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-db-AbCdEf';

describe('bundles evaluate only the clients their configuration uses', () => {
  it.each<ConfigurationCase>([
    {
      label: 'PreSignUp with inline lists',
      trigger: 'pre-sign-up',
      env: INLINE_LISTS,
      expected: [],
    },
    {
      label: 'PreSignUp with lists in SSM',
      trigger: 'pre-sign-up',
      env: SSM_LISTS,
      expected: ['@aws-sdk/client-ssm'],
    },
    {
      label: 'CustomMessage without a domain policy',
      trigger: 'custom-message',
      env: MESSAGES,
      expected: [],
    },
    {
      label: 'CustomMessage with inline lists',
      trigger: 'custom-message',
      env: { ...MESSAGES, ...INLINE_LISTS },
      expected: [],
    },
    {
      label: 'CustomMessage with lists in SSM',
      trigger: 'custom-message',
      env: { ...MESSAGES, ...SSM_LISTS },
      expected: ['@aws-sdk/client-ssm'],
    },
    {
      label: 'UserMigration on postgres with a URL',
      trigger: 'user-migration',
      env: {
        LEGACY_STORE: 'postgres',
        LEGACY_DB_URL: 'postgres://legacy@127.0.0.1:9/legacy',
        LEGACY_USER_QUERY: `${SQL_QUERY}$1`,
        LEGACY_DB_TLS: 'off',
      },
      expected: ['pg'],
    },
    {
      label: 'UserMigration on postgres with an RDS secret',
      trigger: 'user-migration',
      env: {
        LEGACY_STORE: 'postgres',
        LEGACY_DB_SECRET_ARN: SECRET_ARN,
        LEGACY_USER_QUERY: `${SQL_QUERY}$1`,
      },
      expected: ['@aws-sdk/client-secrets-manager', 'pg'],
    },
    {
      label: 'UserMigration on mysql with a URL',
      trigger: 'user-migration',
      env: {
        LEGACY_STORE: 'mysql',
        LEGACY_DB_URL: 'mysql://legacy@127.0.0.1:9/legacy',
        LEGACY_USER_QUERY: `${SQL_QUERY}?`,
        LEGACY_DB_TLS: 'off',
      },
      expected: ['mysql2/promise'],
    },
    {
      label: 'UserMigration over HTTP',
      trigger: 'user-migration',
      env: { LEGACY_STORE: 'http', LEGACY_HTTP_URL: 'https://legacy.example.com/auth/user' },
      expected: [],
    },
    {
      label: 'UserMigration over HTTP with a token secret',
      trigger: 'user-migration',
      env: {
        LEGACY_STORE: 'http',
        LEGACY_HTTP_URL: 'https://legacy.example.com/auth/user',
        LEGACY_HTTP_TOKEN_SECRET_ARN: SECRET_ARN,
      },
      expected: ['@aws-sdk/client-secrets-manager'],
    },
    {
      label: 'PreTokenGeneration',
      trigger: 'pre-token-generation',
      env: { TENANT_TABLE_NAME: 'tenants' },
      expected: ['@aws-sdk/client-dynamodb'],
    },
  ])('$label: evaluates exactly $expected at cold start', async ({ trigger, env, expected }) => {
    // Act
    const report = await runBundle(trigger, env);
    // Assess
    expect(sorted(report.coldStart)).toEqual(sorted(expected));
  });

  it('answers a PreSignUp sign-up from inline lists without ever evaluating an SDK client', async () => {
    // Act
    const report = await runBundle('pre-sign-up', INLINE_LISTS, 'events/pre-sign-up/sign-up-allowed.json');
    // Assess
    expect(report.answered?.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(report.afterAnswer).toEqual([]);
  });

  it('answers a CustomMessage sign-up without ever evaluating an SDK client', async () => {
    // Act
    const report = await runBundle('custom-message', MESSAGES, 'events/custom-message/sign-up.json');
    // Assess
    expect(report.answered?.response).toHaveProperty('emailMessage');
    expect(report.afterAnswer).toEqual([]);
  });

  it('keeps the SSM client inside the one-file PreSignUp bundle, marked (lazy, not left out)', () => {
    const code = readFileSync(bundles['pre-sign-up'], 'utf8');
    expect(code).toContain(`.push("@aws-sdk/client-ssm")`);
  });
});
