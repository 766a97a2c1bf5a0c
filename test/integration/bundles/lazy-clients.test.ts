import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECORD_EMBEDDED_PACKAGES } from '../../support/embedded-probe.js';
import { describeFunction, loadTemplate } from '../../../tools/lib/template.js';

/**
 * Pay only for what you configure: each bundle, built with its template options, evaluates an SDK
 * client or driver only when its configuration uses it. Those packages are embedded as strings
 * (shared/embedded-modules) and evaluated through `vm.Script`; a fresh Node process records every
 * script compiled that way while it imports the bundle (the cold start) and answers a fixture.
 */
/** The embedded packages (see tools/generate-embedded-modules.ts); SSM and Secrets Manager are one. */
type Package = typeof AWS_CONFIG_CLIENTS | 'pg' | 'mysql2/promise' | '@aws-lambda-powertools/tracer';

const AWS_CONFIG_CLIENTS = '@aws-sdk/client-ssm+@aws-sdk/client-secrets-manager';

const FUNCTIONS = {
  'pre-sign-up': 'PreSignUpFunction',
  'custom-message': 'CustomMessageFunction',
  'user-migration': 'UserMigrationFunction',
  'pre-token-generation': 'PreTokenGenerationFunction',
  'post-confirmation': 'PostConfirmationFunction',
} as const;
type Trigger = keyof typeof FUNCTIONS;

const execFileAsync = promisify(execFile);

const bundles = {} as Record<Trigger, { path: string; metafile: Metafile }>;
beforeAll(async () => {
  const template = loadTemplate();
  const root = mkdtempSync(join(tmpdir(), 'lazy-clients-'));
  await Promise.all(
    (Object.keys(FUNCTIONS) as Trigger[]).map(async (trigger) => {
      const fn = describeFunction(template, FUNCTIONS[trigger]);
      const outdir = join(root, trigger);
      const result = await build({
        ...fn.buildOptions,
        entryPoints: [fn.entryPoint],
        outdir,
        logLevel: 'warning',
        metafile: true,
      });
      bundles[trigger] = { path: join(outdir, 'index.mjs'), metafile: result.metafile };
    }),
  );
}, 120_000);

// Records the embedded packages compiled (vm.Script, filename `embedded:<package>@<version>`) while
// the bundle is imported, and then while it answers one fixture.
const CHILD = `${RECORD_EMBEDDED_PACKAGES}
import { readFileSync } from 'node:fs';
const [bundle, fixture] = process.argv.slice(1);
const module = await import(pathToFileURL(bundle).href);
await new Promise((resolve) => setTimeout(resolve, 50));
const coldStart = [...evaluated];
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
const afterAnswer = [...evaluated];
process.stdout.write(JSON.stringify({ coldStart, afterAnswer, answered }), () => process.exit(0));
`;

// Imports the bundle and lists Node's built-in modules loaded by then. It imports nothing itself
// (process and import() are globals), so every built-in beyond Node's bootstrap is the bundle's.
const BUILTINS_CHILD = `
const module = await import(process.argv[1]);
await new Promise((resolve) => setTimeout(resolve, 50));
const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice(13));
process.stdout.write(JSON.stringify({ builtins, handler: typeof module.handler }), () => process.exit(0));
`;

// Imports the bundle, answers one fixture, and lists Node's built-in modules loaded by then (the whole cold
// start). Like BUILTINS_CHILD it imports nothing itself: it reads the fixture with the bundle's own require.
const ANSWER_BUILTINS_CHILD = `
const module = await import(process.argv[1]);
const event = JSON.parse(process.argv[2]);
const context = { awsRequestId: 'lazy-clients', functionName: 'lazy-clients', getRemainingTimeInMillis: () => 5000 };
const result = await module.handler(event, context);
const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice(13));
process.stdout.write(JSON.stringify({ builtins, response: result.response }), () => process.exit(0));
`;

interface ChildReport {
  coldStart: Package[];
  afterAnswer: Package[];
  answered: { response?: Record<string, unknown>; error?: string } | null;
}

function runBundle(trigger: Trigger, env: Record<string, string>, fixture?: string): Promise<ChildReport> {
  return runBundleAt(bundles[trigger].path, env, fixture);
}

function runBundleAt(bundle: string, env: Record<string, string>, fixture?: string): Promise<ChildReport> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', CHILD, '--', bundle, ...(fixture ? [resolve(fixture)] : [])],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_LAMBDA_FUNCTION_TIMEOUT: '5',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          // The child's stdout carries its JSON report only: no EMF metric lines there.
          POWERTOOLS_METRICS_DISABLED: 'true',
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

/** Imports the bundle in a fresh process, answers `fixture`, and reports the built-ins loaded by then. */
async function answerWithBuiltins(
  trigger: Trigger,
  env: Record<string, string>,
  fixture: string,
): Promise<{ builtins: string[]; response: Record<string, unknown>; lines: string[] }> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      '--input-type=module',
      '--eval',
      ANSWER_BUILTINS_CHILD,
      '--',
      pathToFileURL(bundles[trigger].path).href,
      readFileSync(fixture, 'utf8'),
    ],
    {
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
      timeout: 30_000,
    },
  );
  // The report is the last line; the function's log lines and EMF metrics line go to stdout before it.
  const lines = stdout.trim().split('\n');
  const report = JSON.parse(lines.pop()!) as { builtins: string[]; response: Record<string, unknown> };
  return { ...report, lines };
}

const sorted = (list: readonly string[]): string[] => [...list].sort();

const INLINE_LISTS = { ALLOWED_EMAIL_DOMAINS: 'example.com *.example.org' };
const MESSAGES = { APP_NAME: 'Lazy Clients', APP_URL: 'https://app.example.com' };
// Never reached: the cold start only starts loading the client, the lists are fetched on first use.
const SSM_LISTS = {
  ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/lazy-clients/allowed',
  AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9',
};
// What Lambda sets where the Tracer traces (X-Ray context missing is fine outside Lambda).
const TRACED = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' };
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
      label: 'PreSignUp with inline lists, traced in Lambda',
      trigger: 'pre-sign-up',
      env: { ...INLINE_LISTS, ...TRACED },
      expected: ['@aws-lambda-powertools/tracer'],
    },
    {
      label: 'PreSignUp with lists in SSM',
      trigger: 'pre-sign-up',
      env: SSM_LISTS,
      expected: [AWS_CONFIG_CLIENTS],
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
      expected: [AWS_CONFIG_CLIENTS],
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
      expected: [AWS_CONFIG_CLIENTS, 'pg'],
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
      expected: [AWS_CONFIG_CLIENTS],
    },
    {
      label: 'PreTokenGeneration (its DynamoDB client is bundled as code)',
      trigger: 'pre-token-generation',
      env: { TENANT_TABLE_NAME: 'tenants' },
      expected: [],
    },
  ])('$label: evaluates exactly $expected at cold start', async ({ trigger, env, expected }) => {
    // Act
    const report = await runBundle(trigger, env);
    // Assess
    expect(sorted(report.coldStart)).toEqual(sorted(expected));
  });

  // UserMigration loads node:crypto at cold start by design: the dummy verification's key and hash are made
  // there, outside Cognito's budget (password/dummy-calibration.ts), and every store needs it anyway.
  it.each<[string, Trigger, Record<string, string>, string[]]>([
    ['PreSignUp with inline lists', 'pre-sign-up', INLINE_LISTS, ['crypto']],
    ['CustomMessage', 'custom-message', MESSAGES, ['crypto']],
    [
      'UserMigration over HTTP',
      'user-migration',
      { LEGACY_STORE: 'http', LEGACY_HTTP_URL: 'https://legacy.example.com/u' },
      [],
    ],
  ])(
    '%s: builds no ESM facade of node:fs, node:zlib, node:vm or node:tls at import (nor loads %j)',
    async (_label, trigger, env, alsoNotLoaded) => {
      // Act
      const { stdout } = await execFileAsync(
        process.execPath,
        ['--input-type=module', '--eval', BUILTINS_CHILD, '--', pathToFileURL(bundles[trigger].path).href],
        {
          env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
          timeout: 30_000,
        },
      );
      const report = JSON.parse(stdout) as { builtins: string[]; handler: string };
      // Assess: a static import of any of them would load these (node:fs also loads fs/promises).
      expect(report.handler).toBe('function');
      expect(
        report.builtins.filter((name) =>
          ['zlib', 'vm', 'tls', 'internal/fs/promises', ...alsoNotLoaded].includes(name),
        ),
      ).toEqual([]);
      // The import did run: the bundle's Logger and middy loaded what they statically import.
      expect(report.builtins).toContain('console');
    },
  );

  // node:crypto costs a fresh process ~9 ms and ~350 page faults (shared/node-crypto-on-demand.ts): a trigger
  // that needs no cryptography for its answer never loads it, the username hash included.
  // The expected hashes from openssl, the fixture's userName under LOG_HASH_KEY=key-one:
  //   printf '%s' '<userName>' | openssl dgst -sha256 -hmac 'key-one' | awk '{print $2}' | cut -c1-16
  it.each<[string, Trigger, Record<string, string>, string, string]>([
    [
      'PreSignUp with inline lists',
      'pre-sign-up',
      INLINE_LISTS,
      'events/pre-sign-up/sign-up-allowed.json',
      'f5d3566ab3526bc9',
    ],
    ['CustomMessage', 'custom-message', MESSAGES, 'events/custom-message/sign-up.json', '910c1ddb4120ad0a'],
  ])(
    '%s: answers its first event without loading node:crypto, its log lines keyed by the same username hash',
    async (_label, trigger, env, fixture, openssl) => {
      // Act
      const report = await answerWithBuiltins(
        trigger,
        { ...env, LOG_HASH_KEY: 'key-one', POWERTOOLS_LOG_LEVEL: 'INFO' },
        fixture,
      );
      // Assess: it answered, and hashed the username for its log keys as node:crypto would, without node:crypto.
      expect(Object.keys(report.response).length).toBeGreaterThan(0);
      const users = report.lines.map((line) => (JSON.parse(line) as { user?: string }).user).filter(Boolean);
      expect(users.length).toBeGreaterThan(0);
      expect(new Set(users)).toEqual(new Set([`u_${openssl}`]));
      expect(report.builtins).not.toContain('crypto');
    },
  );

  it('loads node:crypto on first use where the configuration needs it: Powertools debug-log sampling', async () => {
    // Act: with POWERTOOLS_LOGGER_SAMPLE_RATE set, the Logger draws its sampling decision with randomInt.
    const report = await answerWithBuiltins(
      'pre-sign-up',
      { POWERTOOLS_LOGGER_SAMPLE_RATE: '0.5', ...INLINE_LISTS },
      'events/pre-sign-up/sign-up-allowed.json',
    );
    // Assess
    expect(report.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(report.builtins).toContain('crypto');
  });

  // node:crypto aside: template.yaml aliases it to shared/node-crypto-on-demand.ts (PreSignUp, CustomMessage) or to
  // shared/node-crypto-required.ts (UserMigration, which loads it at cold start without building its ESM facade).
  it.each<[string, Trigger]>([
    ['PreSignUp', 'pre-sign-up'],
    ['CustomMessage', 'custom-message'],
    ['UserMigration', 'user-migration'],
  ])(
    '%s: statically imports only node:module and the built-ins that the Powertools Logger and middy import',
    (_label, trigger) => {
      // Act: the bundle's top-level `import ... from "node:..."` statements (each builds an ESM facade at cold
      // start, and node:url with node:path cost ~1 M instructions there; they are required where first used).
      const source = readFileSync(bundles[trigger].path, 'utf8');
      const imported = [...source.matchAll(/\bfrom ?["'](node:[\w/]+)["']/g)].map((match) => match[1]);
      // Assess: node:module for createRequire, and what the Logger and middy import themselves.
      expect([...new Set(imported)].sort()).toEqual(['node:console', 'node:module', 'node:timers']);
    },
  );

  it('UserMigration on postgres: evaluates pg at cold start without loading node:zlib (pg is not compressed) or Web Crypto', async () => {
    // Act
    const { stdout } = await execFileAsync(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        BUILTINS_CHILD,
        '--',
        pathToFileURL(bundles['user-migration'].path).href,
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          LEGACY_STORE: 'postgres',
          LEGACY_DB_URL: 'postgres://legacy@127.0.0.1:9/legacy',
          LEGACY_USER_QUERY: `${SQL_QUERY}$1`,
          LEGACY_DB_TLS: 'off',
        },
        timeout: 30_000,
      },
    );
    const report = JSON.parse(stdout) as { builtins: string[] };
    // Assess: vm compiled pg and pg ran (its connection parameters require node:dns; node:net it requires only
    // to connect), so the guard is not vacuous; and nothing loaded zlib.
    expect(report.builtins).toContain('vm');
    expect(report.builtins).toContain('dns');
    expect(report.builtins).not.toContain('zlib');
    // Nor Web Crypto: node:crypto is required, not imported (its ESM facade's webcrypto getter would load it),
    // and pg's crypto helpers read it on first use (SCRAM only): shared/node-crypto-required.ts.
    expect(report.builtins).toContain('crypto');
    expect(report.builtins).not.toContain('internal/crypto/webcrypto');
  });

  // fetch is undici, whose first request loads its code, zlib and its WebAssembly HTTP parser (~85-100 ms in a
  // fresh process here): the HTTP store posts with node:http instead (stores/post-json.ts).
  it('UserMigration over HTTP: answers its first event without loading undici (fetch), node:zlib or Web Crypto', async () => {
    // Prepare: a legacy endpoint that knows the fixture's user.
    const bodies: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            user: { password_hash: '$2b$04$unused', email: 'alice.legacy@example.com', email_verified: true },
          }),
        );
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      // Act
      const report = await answerWithBuiltins(
        'user-migration',
        { LEGACY_STORE: 'http', LEGACY_HTTP_URL: `http://127.0.0.1:${port}/auth/user` },
        'events/user-migration/forgot-password.json',
      );
      // Assess: the endpoint was asked, the user migrated, and neither undici nor zlib was loaded to do it.
      expect(bodies).toEqual(['{"username":"alice.legacy@example.com"}']);
      expect(report.response).toMatchObject({
        messageAction: 'SUPPRESS',
        userAttributes: { email: 'alice.legacy@example.com' },
      });
      expect(report.builtins).toContain('_http_client');
      expect(report.builtins.filter((name) => /undici|zlib|webcrypto/.test(name))).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
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

  // mustache included: the shipped texts render from their stored tokens (parsed-templates.ts).
  it('answers a CustomMessage sign-up without ever evaluating an SDK client or mustache', async () => {
    // Act
    const report = await runBundle('custom-message', MESSAGES, 'events/custom-message/sign-up.json');
    // Assess
    expect(report.answered?.response).toHaveProperty('emailMessage');
    expect(report.afterAnswer).toEqual([]);
  });

  // A template of your own is mustache's: the bundle evaluates its embedded copy on the first message that needs it.
  it('evaluates mustache, from the bundle, for a template of your own, and renders it', async () => {
    // Prepare: a function of a user's, bundled with the template's options, its catalog holding its own texts.
    const fn = describeFunction(loadTemplate(), FUNCTIONS['custom-message']);
    const directory = mkdtempSync(join(resolve('.'), 'node_modules', '.lazy-clients-own-'));
    const entry = join(directory, 'entry.ts');
    const texts: Record<string, string> = {
      'en/sign-up.subject.txt': 'Hi {{#name}}{{name}}{{/name}}',
      'en/sign-up.html': '{{> header}}<p>{{name}}: {{code}}</p>',
      'en/sign-up.sms.txt': '{{appName}} says {{code}}',
      'en/_header.html': '<h1>{{appName}}</h1>',
    };
    writeFileSync(
      entry,
      [
        `import { createCustomMessageHandler } from ${JSON.stringify(resolve('src/custom-message.ts'))};`,
        `const texts = ${JSON.stringify(texts)};`,
        'export const handler = createCustomMessageHandler({ catalog: {',
        "  locales: ['en'],",
        '  template: (locale, file) => texts[`${locale}/${file}`],',
        '  partials: (locale) => ({ header: texts[`${locale}/_header.html`] }),',
        '} });',
      ].join('\n'),
    );
    await build({ ...fn.buildOptions, entryPoints: [entry], outdir: directory, logLevel: 'warning' });
    try {
      // Act
      const report = await runBundleAt(
        join(directory, 'entry.mjs'),
        MESSAGES,
        'events/custom-message/sign-up.json',
      );
      // Assess
      expect(report.coldStart).toEqual([]);
      expect(report.afterAnswer).toEqual(['mustache']);
      expect(report.answered?.response).toMatchObject({
        emailSubject: 'Hi Ada',
        emailMessage: '<h1>Lazy Clients</h1><p>Ada: {####}</p>',
        smsMessage: 'Lazy Clients says {####}',
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it.each<[Trigger, string[]]>([
    ['pre-sign-up', ['@aws-sdk/', '@smithy/', 'pg', 'mysql2', 'aws-xray-sdk-core']],
    ['custom-message', ['@aws-sdk/', '@smithy/', 'pg', 'mysql2', 'aws-xray-sdk-core', 'mustache']],
    ['user-migration', ['@aws-sdk/', '@smithy/', 'pg', 'mysql2', 'iconv-lite', 'aws-xray-sdk-core']],
    ['pre-token-generation', ['@aws-sdk/client-ssm', '@aws-sdk/client-secrets-manager', 'pg', 'mysql2']],
  ])('%s: bundles none of %j as code (embedded strings only, never pre-parsed)', (trigger, absent) => {
    // Act
    const packages = new Set(
      Object.keys(bundles[trigger].metafile.inputs)
        .map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    // Assess
    const offenders = [...packages].filter((name) =>
      absent.some((prefix) => (prefix.endsWith('/') ? name.startsWith(prefix) : name === prefix)),
    );
    expect(offenders).toEqual([]);
  });

  it.each<[string, Trigger]>([
    ['PreTokenGeneration', 'pre-token-generation'],
    ['PostConfirmation', 'post-confirmation'],
  ])(
    "%s bundles the DynamoDB client as code, its vendored ES build and not the package's CommonJS build",
    (_label, trigger) => {
      // Assess: the guard above is not vacuous, the metafile does list bundled packages; and the CommonJS
      // build, which defines every command at cold start (shared/dynamodb.ts), is not among them.
      // What is in the output (the metafile's own `inputs` also lists what was read and then left out).
      const inputs = Object.values(bundles[trigger].metafile.outputs).flatMap((output) =>
        Object.keys(output.inputs),
      );
      expect(inputs).toContain('shared/vendor/client-dynamodb.generated.ts');
      expect(inputs.some((path) => path.includes('node_modules/@smithy/core/'))).toBe(true);
      expect(inputs.filter((path) => path.includes('node_modules/@aws-sdk/client-dynamodb/'))).toEqual([]);
    },
  );
});
