/**
 * `npm run bench` section "cold-start": per trigger and per common configuration, the bundle's bytes
 * and the time a fresh Node process takes to import it and answer its first fixture, against a
 * hand-written handler doing the same job the way a careful team writes it (Powertools Logger + middy
 * + exactly the clients that configuration needs, the same I/O against the same local servers), and
 * against a bare handler. Every bundle is built with the same esbuild options (`buildFunction` on the
 * function's template definition; the baselines take the PreSignUp function's options).
 *
 * Timing: the child reports `performance.now()` when the handler has answered, i.e. milliseconds
 * since its own process began (Node's bootstrap included, the parent's spawn and IPC not). Every
 * variant runs once per round in a rotating order; the claim is the ratio of the medians, and the
 * median of the per-round ratios (paired, so drift cancels) goes into the note as a stability check.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import { buildFunction } from '../build.js';
import { functionEnvironment, type EnvVarsFile } from '../lib/function-env.js';
import { describeFunction, loadTemplate, type FunctionDefinition } from '../lib/template.js';
import { canCountInstructions, countInstructions } from './instructions.js';
import { median, runChild } from './measure.js';
import type { BenchRow } from './types.js';

const GROUP = 'cold start';
const SIZE_GROUP = 'bundle size';
const CPU_GROUP = 'cold start (CPU)';
const INSTRUCTIONS_GROUP = 'cold start (instructions)';
const PAGE_FAULTS_GROUP = 'cold start (page faults)';
const GOAL_RATIO = 1.1;
/** Runs per variant; every variant runs once per round, in a rotating order. */
const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 21);
const CHILD_TIMEOUT_MS = 20_000;

/** The functions of template.yaml, by the trigger folder their bundle is named after. */
export const TRIGGER_FUNCTIONS = {
  'pre-sign-up': 'PreSignUpFunction',
  'user-migration': 'UserMigrationFunction',
  'pre-token-generation': 'PreTokenGenerationFunction',
  'custom-message': 'CustomMessageFunction',
  'custom-sender': 'CustomSenderFunction',
  'post-confirmation': 'PostConfirmationFunction',
} as const;
export type TriggerName = keyof typeof TRIGGER_FUNCTIONS;

/** A bundle built for the bench: the trigger's own (`dist/<trigger>/index.mjs`) or a baseline's. */
export interface BenchBundle {
  readonly path: string;
  readonly bytes: number;
}

const toBundle = (path: string): BenchBundle => ({ path: resolve(path), bytes: statSync(path).size });

let bundles: Promise<Record<TriggerName, BenchBundle>> | undefined;

/** Builds the trigger bundles exactly as `npm run build` does. Once per process. */
export function buildBenchBundles(): Promise<Record<TriggerName, BenchBundle>> {
  bundles ??= (async () => {
    const template = loadTemplate();
    const triggerNames = Object.keys(TRIGGER_FUNCTIONS) as TriggerName[];
    const outputs = await Promise.all(
      triggerNames.map((trigger) => {
        const fn = describeFunction(template, TRIGGER_FUNCTIONS[trigger]);
        // Profiling (BENCH_COLD_START_PROFILE) reads better with names: un-minified toolkit bundles then,
        // written apart from dist/ (which stays what `npm run build` makes).
        const named =
          process.env.BENCH_COLD_START_PROFILE === undefined
            ? fn
            : { ...fn, buildOptions: { ...fn.buildOptions, minify: false } };
        return named === fn
          ? buildFunction(fn)
          : buildFunction(named, `dist/bench/profiled/toolkit/${trigger}`);
      }),
    );
    return Object.fromEntries(triggerNames.map((name, index) => [name, toBundle(outputs[index]!)])) as Record<
      TriggerName,
      BenchBundle
    >;
  })();
  return bundles;
}

/**
 * Builds a baseline entry with the PreSignUp function's esbuild options (every function has the same), but
 * the toolkit's own `alias` of `node:crypto` (to shared/node-crypto-on-demand.ts, which defers loading it to
 * first use): that is the toolkit's engineering, not an option a team writing its handler by hand would set.
 * `BENCH_BASELINE_ALIAS=1` keeps it, to measure what it alone is worth to a hand-written handler.
 */
async function buildBaseline(entryPoint: string): Promise<BenchBundle> {
  const reference: FunctionDefinition = describeFunction(loadTemplate(), TRIGGER_FUNCTIONS['pre-sign-up']);
  const name = entryPoint.split('/').at(-1)!.replace(/\.ts$/, '');
  // Profiled runs (BENCH_COLD_START_PROFILE) use un-minified baselines too, so both sides carry names.
  const profiled = process.env.BENCH_COLD_START_PROFILE !== undefined;
  const { alias, ...templateOptions } = reference.buildOptions;
  const buildOptions = {
    ...templateOptions,
    ...(process.env.BENCH_BASELINE_ALIAS === '1' && { alias }),
    entryNames: 'index',
    ...(profiled && { minify: false }),
  };
  const outdir = profiled ? `dist/bench/profiled/hand/${name}` : `dist/bench/${name}`;
  return toBundle(await buildFunction({ ...reference, entryPoint, buildOptions }, outdir));
}

/** The environment a trigger's bundle runs with in the bench: `sam local invoke`'s, plus `extra`. */
export function benchEnvironment(
  trigger: TriggerName,
  envVars: EnvVarsFile | undefined,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const fn = describeFunction(loadTemplate(), TRIGGER_FUNCTIONS[trigger]);
  // Only PATH and HOME from the bench's own shell: no endpoint or credential of the caller leaks in.
  const caller = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...functionEnvironment(fn, envVars, caller), ...extra };
}

/** What the cold-start child sends back. */
export interface ColdStartMessage {
  readonly importedMs: number;
  readonly answeredMs: number;
  readonly startedImportMs: number;
  /** CPU (user + system, all threads) from process start to the answer. */
  readonly cpuMs: number;
  /** Minor page faults from process start to the answer (each a fresh page of memory touched). */
  readonly pageFaults: number;
  readonly ok: boolean;
  readonly summary: string;
}

// The child: read the fixture, import the bundle, answer once, report, exit (pools would keep it alive).
export const COLD_START_CHILD = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundlePath, eventPath] = process.argv.slice(1);
const event = JSON.parse(readFileSync(eventPath, 'utf8'));
const startedImportMs = performance.now();
const module = await import(pathToFileURL(bundlePath).href);
const importedMs = performance.now();
const startedAt = Date.now();
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench',
  functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
  memoryLimitInMB: '512', awsRequestId: 'cold-start-bench', logGroupName: '/aws/lambda/bench', logStreamName: 'bench',
  getRemainingTimeInMillis: () => 5000 - (Date.now() - startedAt), done() {}, fail() {}, succeed() {},
};
let ok = true;
let summary;
try {
  const response = (await module.handler(event, context)).response;
  summary = JSON.stringify(response).slice(0, 400);
} catch (error) {
  ok = false;
  summary = String(error && error.message).slice(0, 400);
}
const answeredMs = performance.now();
const cpu = process.cpuUsage();
const cpuMs = (cpu.user + cpu.system) / 1000;
const pageFaults = process.resourceUsage().minorPageFault;
process.send({ startedImportMs, importedMs, answeredMs, cpuMs, pageFaults, ok, summary }, () => process.exit(0));
`;

/** What a configuration's first answer needs, started by the bench and stopped after it. */
interface PreparedIo {
  /** `--env-vars` for the toolkit's function (template variables only). */
  readonly envVars?: EnvVarsFile;
  /** Further variables for both the toolkit and the hand-written handler (endpoints, lists). */
  readonly extra: Record<string, string>;
  readonly io: string;
  stop(): Promise<void>;
}

/** One row pair: a trigger in one configuration, its hand-written twin, and how to check the answer. */
interface ColdStartCase {
  readonly name: string;
  readonly trigger: TriggerName;
  readonly fixture: string;
  /** The hand-written baseline's entry (tools/bench/entries/cold-start/). */
  readonly baseline: string;
  /** What the baseline imports besides the Powertools Logger and middy. */
  readonly clients: string;
  prepare(): Promise<PreparedIo>;
  /** Whether an answer is the one this fixture should get (a broken run must not count). */
  answeredRight(summary: string): boolean;
  /** Set for a row printed for information, not held to the goal: says what it shows. */
  readonly informational?: string;
}

const ENTRIES = 'tools/bench/entries/cold-start';
const LEGACY_USER = 'alice.legacy@example.com';
const answeredSignUp = (summary: string) => summary.includes('"autoConfirmUser":false');
const answeredMigration = (summary: string) => summary.includes(LEGACY_USER) && summary.includes('SUPPRESS');
const nothingToStop = async () => undefined;

export const CASES: readonly ColdStartCase[] = [
  {
    name: 'pre-sign-up, inline lists',
    trigger: 'pre-sign-up',
    fixture: 'events/pre-sign-up/sign-up-allowed.json',
    baseline: `${ENTRIES}/pre-sign-up-inline.ts`,
    clients: 'no SDK client',
    prepare: async () => ({
      envVars: JSON.parse(readFileSync('events/pre-sign-up/env.json', 'utf8')) as EnvVarsFile,
      extra: {
        ALLOWED_EMAIL_DOMAINS: 'example.com *.example.org',
        DENIED_EMAIL_DOMAINS: 'blocked.example.org',
      },
      io: 'no I/O',
      stop: nothingToStop,
    }),
    answeredRight: answeredSignUp,
  },
  {
    name: 'pre-sign-up, lists in SSM',
    trigger: 'pre-sign-up',
    fixture: 'events/pre-sign-up/sign-up-allowed.json',
    baseline: `${ENTRIES}/pre-sign-up-ssm.ts`,
    clients: '@aws-sdk/client-ssm',
    prepare: prepareSsmLists,
    answeredRight: answeredSignUp,
  },
  {
    name: 'user-migration, postgres',
    trigger: 'user-migration',
    fixture: 'events/user-migration/forgot-password.json',
    baseline: `${ENTRIES}/user-migration-postgres.ts`,
    clients: 'pg',
    prepare: preparePostgres,
    answeredRight: answeredMigration,
  },
  {
    name: 'user-migration, mysql',
    trigger: 'user-migration',
    fixture: 'events/user-migration/forgot-password.json',
    baseline: `${ENTRIES}/user-migration-mysql.ts`,
    clients: 'mysql2',
    prepare: prepareMysql,
    answeredRight: answeredMigration,
  },
  {
    name: 'user-migration, http',
    trigger: 'user-migration',
    fixture: 'events/user-migration/forgot-password.json',
    baseline: `${ENTRIES}/user-migration-http.ts`,
    clients: "Node's fetch",
    prepare: prepareHttpStore,
    answeredRight: answeredMigration,
  },
  {
    // The goal row above compares against Node's fetch, the way a hand-written trigger calls an endpoint. The
    // toolkit posts with node:http instead (undici's first request costs a fresh process ~85-100 ms here): this
    // row shows what the toolkit itself costs over that same client.
    name: 'user-migration, http, against node:http by hand',
    trigger: 'user-migration',
    fixture: 'events/user-migration/forgot-password.json',
    baseline: `${ENTRIES}/user-migration-http-node.ts`,
    clients: 'node:http, the client the toolkit posts with',
    prepare: prepareHttpStore,
    answeredRight: answeredMigration,
    informational: "the toolkit's own cost over the HTTP client it uses",
  },
  {
    name: 'pre-token-generation',
    trigger: 'pre-token-generation',
    fixture: 'events/pre-token-generation/v2-authentication.json',
    baseline: `${ENTRIES}/pre-token-generation.ts`,
    clients: '@aws-sdk/client-dynamodb',
    prepare: prepareTenantTable,
    answeredRight: (summary) => summary.includes('"tenant_id":"acme"'),
  },
  {
    name: 'custom-message',
    trigger: 'custom-message',
    fixture: 'events/custom-message/sign-up.json',
    baseline: `${ENTRIES}/custom-message.ts`,
    clients: 'no SDK client; the same messages for every source and locale',
    prepare: async () => ({
      extra: { APP_NAME: 'Bench App', APP_URL: 'https://app.example.com' },
      io: 'no I/O',
      stop: nothingToStop,
    }),
    // Both render the shipped English sign-up message (the baseline answers as the toolkit does for every source
    // and locale: test/tools/bench-custom-message-baseline.test.ts).
    answeredRight: (summary) =>
      summary.includes('"smsMessage":"Bench App: your confirmation code is {####}"'),
  },
  {
    name: 'custom-sender, email',
    trigger: 'custom-sender',
    fixture: 'events/custom-sender/email-sign-up.json',
    baseline: `${ENTRIES}/custom-sender.ts`,
    clients: '@aws-crypto/client-node (raw AES keyring) + @aws-sdk/client-sesv2',
    prepare: prepareLocalSes,
    // Cognito ignores the sender's answer: the event comes back with an empty response, and nothing threw.
    answeredRight: (summary) => summary === '{}',
  },
  {
    name: 'post-confirmation',
    trigger: 'post-confirmation',
    fixture: 'events/post-confirmation/confirm-sign-up.json',
    baseline: `${ENTRIES}/post-confirmation.ts`,
    clients: '@aws-sdk/client-dynamodb (GetItem + conditional PutItem)',
    prepare: prepareDomainRule,
    // Answered or fallen back, PostConfirmation returns the event (response {}); the tests tell the two apart.
    answeredRight: (summary) => summary === '{}',
  },
];

/** aws-ses-v2-local for the sender's SendEmail; the fixture's code is decrypted with the test raw key. */
async function prepareLocalSes(): Promise<PreparedIo> {
  const { startLocalSes } = await import('../lib/local-ses.js');
  const ses = await startLocalSes();
  return {
    envVars: JSON.parse(readFileSync('events/custom-sender/env.json', 'utf8')) as EnvVarsFile,
    extra: { AWS_ENDPOINT_URL_SESV2: ses.endpoint },
    io: 'Encryption SDK decrypt (raw AES keyring) + one SES v2 SendEmail to aws-ses-v2-local; no idempotency table',
    stop: ses.stop,
  };
}

const TABLE = 'bench-tenants';
const FORGOT_PASSWORD_ROW = { email: LEGACY_USER, email_verified: true, disabled: false };

/** A local SSM endpoint holding the allowed list, so the first sign-up needs one GetParameter. */
async function prepareSsmLists(): Promise<PreparedIo> {
  const { startFakeSsmServer } = await import('../lib/local-ssm.js');
  const ssm = await startFakeSsmServer();
  ssm.answers.set('/bench/allowed-email-domains', { value: 'example.com,*.example.org' });
  return {
    extra: {
      ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/bench/allowed-email-domains',
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    },
    io: 'one GetParameter against a local SSM endpoint',
    stop: ssm.close,
  };
}

/** dynalite with the fixture user's membership, so the first token needs the Query and BatchGetItem. */
async function prepareTenantTable(): Promise<PreparedIo> {
  const support = await import('../lib/local-dynamodb.js');
  const db = await support.startDynalite();
  const client = support.createLocalDynamoDbClient(db.endpoint);
  await support.createTenantTable(client, TABLE);
  await support.seedTenantItems(client, TABLE, [
    support.tenantItem('acme', 'enterprise', 'active'),
    support.membershipItem('7c0a4e5e-2b1f-4d8e-9a53-0f6b1c2d3e4f', 'acme', 'admin', true),
  ]);
  client.destroy();
  return {
    envVars: { PreTokenGenerationFunction: { TENANT_TABLE_NAME: TABLE } },
    extra: { TENANT_TABLE_NAME: TABLE, AWS_ENDPOINT_URL_DYNAMODB: db.endpoint },
    io: 'Query + BatchGetItem against dynalite',
    stop: db.stop,
  };
}

/** dynalite with the fixture's domain rule, so the first confirmation needs the GetItem and the PutItem. */
async function prepareDomainRule(): Promise<PreparedIo> {
  const support = await import('../lib/local-dynamodb.js');
  const db = await support.startDynalite();
  const client = support.createLocalDynamoDbClient(db.endpoint);
  await support.createTenantTable(client, TABLE);
  await support.seedTenantItems(client, TABLE, [
    support.domainRuleItem('acme.example.com', 'acme', 'member'),
  ]);
  client.destroy();
  return {
    envVars: { PostConfirmationFunction: { TENANT_TABLE_NAME: TABLE } },
    extra: { TENANT_TABLE_NAME: TABLE, AWS_ENDPOINT_URL_DYNAMODB: db.endpoint },
    io: 'GetItem + conditional PutItem against dynalite on localhost (first run writes, later runs find the membership)',
    stop: db.stop,
  };
}

// A bcrypt hash of a throwaway password: forgot-password never verifies it.
const throwawayHash = (): string => bcrypt.hashSync(`throwaway-${process.pid}`, 4);

/** A legacy PostgreSQL (the local server, else PGlite) holding the fixture's user. */
async function preparePostgres(): Promise<PreparedIo> {
  const { startPostgres, runSql } = await import('../lib/local-postgres.js');
  const db = await startPostgres();
  const table = `bench_cold_pg_${process.pid}`;
  await runSql(
    db.url,
    `CREATE TABLE ${table} (email text PRIMARY KEY, password_hash text NOT NULL, email_verified boolean, disabled boolean)`,
  );
  await runSql(db.url, `INSERT INTO ${table} VALUES ($1, $2, true, false)`, [LEGACY_USER, throwawayHash()]);
  return {
    extra: {
      LEGACY_STORE: 'postgres',
      LEGACY_DB_URL: db.url,
      LEGACY_DB_TLS: 'off',
      LEGACY_USER_QUERY: `SELECT password_hash, email, email_verified, disabled FROM ${table} WHERE lower(email) = lower($1)`,
    },
    io: `one SELECT against ${db.kind === 'server' ? 'the local PostgreSQL' : 'PGlite over the wire protocol'}`,
    stop: async () => {
      await runSql(db.url, `DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await db.stop();
    },
  };
}

/** The machine's MariaDB (127.0.0.1:3306, or BENCH_MYSQL_URL) holding the fixture's user. */
async function prepareMysql(): Promise<PreparedIo> {
  const { default: mysql } = await import('mysql2/promise');
  const url = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const table = `bench_cold_my_${process.pid}`;
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 2_000 });
  try {
    await connection.query(
      `CREATE TABLE ${table} (email VARCHAR(190) PRIMARY KEY, password_hash TEXT NOT NULL, email_verified BOOLEAN, disabled BOOLEAN)`,
    );
    await connection.query(`INSERT INTO ${table} VALUES (?, ?, true, false)`, [LEGACY_USER, throwawayHash()]);
  } finally {
    await connection.end();
  }
  return {
    extra: {
      LEGACY_STORE: 'mysql',
      LEGACY_DB_URL: url,
      LEGACY_DB_TLS: 'off',
      // MariaDB's BOOLEAN is TINYINT: the query answers real booleans, as the contract's columns want.
      LEGACY_USER_QUERY: `SELECT password_hash, email, email_verified IS TRUE AS email_verified, disabled IS TRUE AS disabled FROM ${table} WHERE email = ?`,
    },
    io: 'one prepared SELECT against the local MariaDB',
    stop: async () => {
      const cleanup = await mysql.createConnection({ uri: url });
      await cleanup.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await cleanup.end();
    },
  };
}

/** A legacy HTTP endpoint on localhost answering the fixture's user in the toolkit's contract. */
async function prepareHttpStore(): Promise<PreparedIo> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { username } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        username?: string;
      };
      const user =
        username === LEGACY_USER ? { ...FORGOT_PASSWORD_ROW, password_hash: '$2b$04$unused' } : null;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ user }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    extra: { LEGACY_STORE: 'http', LEGACY_HTTP_URL: `http://127.0.0.1:${port}/auth/user` },
    io: 'one POST to a legacy HTTP endpoint on localhost',
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

type Variant = 'toolkit' | 'hand' | 'bare';
const VARIANTS: readonly Variant[] = ['toolkit', 'hand', 'bare'];
interface Sample {
  readonly round: number;
  readonly answeredMs: number;
  readonly cpuMs: number;
  readonly pageFaults: number;
  readonly importMs: number;
  readonly answerMs: number;
}

/** Cold start of every configuration against its hand-written twin and the bare handler. */
export async function benchColdStart(): Promise<BenchRow[]> {
  const built = await buildBenchBundles();
  const bare = await buildBaseline(`${ENTRIES}/bare.ts`);
  const baselines = new Map<string, BenchBundle>();
  // BENCH_COLD_START_CASES=custom-message,inline keeps only the cases whose name holds one of the words.
  const only = (process.env.BENCH_COLD_START_CASES ?? '').split(',').filter(Boolean);
  const cases = CASES.filter(
    (coldCase) => only.length === 0 || only.some((word) => coldCase.name.includes(word)),
  );
  for (const coldCase of cases) baselines.set(coldCase.name, await buildBaseline(coldCase.baseline));
  const prepared: { coldCase: ColdStartCase; io: PreparedIo; env: NodeJS.ProcessEnv }[] = [];
  try {
    for (const coldCase of cases) {
      const io = await coldCase.prepare();
      prepared.push({ coldCase, io, env: benchEnvironment(coldCase.trigger, io.envVars, io.extra) });
    }
    const bundleOf = (coldCase: ColdStartCase, variant: Variant): BenchBundle =>
      variant === 'toolkit'
        ? built[coldCase.trigger]
        : variant === 'hand'
          ? baselines.get(coldCase.name)!
          : bare;
    const items = prepared.flatMap(({ coldCase, env }) =>
      VARIANTS.map((variant) => ({ coldCase, variant, env, bundle: bundleOf(coldCase, variant) })),
    );
    const samples = new Map<string, Sample[]>();
    const failures = new Map<string, string>();
    const keyOf = (name: string, variant: Variant) => `${name}/${variant}`;

    const runOnce = async (item: (typeof items)[number], round: number): Promise<void> => {
      const key = keyOf(item.coldCase.name, item.variant);
      if (failures.has(key)) return;
      // BENCH_COLD_START_PROFILE=<dir>: a V8 CPU profile of every run, in <dir>/<case>/<variant>/ (to see
      // where a cold start goes; the profiler's overhead makes those runs' times meaningless).
      const profileDir = process.env.BENCH_COLD_START_PROFILE;
      const env =
        profileDir === undefined
          ? item.env
          : {
              ...item.env,
              NODE_OPTIONS: `--cpu-prof --cpu-prof-interval=100 --cpu-prof-dir=${resolve(profileDir, item.coldCase.name.replace(/[^\w-]+/g, '_'), item.variant)}`,
            };
      const result = await runChild<ColdStartMessage>(
        COLD_START_CHILD,
        [item.bundle.path, resolve(item.coldCase.fixture)],
        env,
        CHILD_TIMEOUT_MS,
      );
      const message = result.message;
      const wrong =
        message === undefined
          ? `the child gave no answer: ${result.stderrTail || 'no stderr'}`
          : !message.ok
            ? `the handler threw: ${message.summary}`
            : item.variant !== 'bare' && !item.coldCase.answeredRight(message.summary)
              ? `unexpected answer: ${message.summary}`
              : undefined;
      if (wrong !== undefined || message === undefined) {
        failures.set(key, wrong ?? 'no answer');
        return;
      }
      const list = samples.get(key) ?? [];
      list.push({
        round,
        answeredMs: message.answeredMs,
        cpuMs: message.cpuMs,
        pageFaults: message.pageFaults,
        importMs: message.importedMs - message.startedImportMs,
        answerMs: message.answeredMs - message.importedMs,
      });
      samples.set(key, list);
    };

    // One unmeasured round: file cache warm, and a broken variant shows before the long loop.
    for (const item of items) await runOnce(item, -1);
    samples.clear();
    for (let round = 0; round < RUNS; round += 1) {
      // Rotate the order every round, so no variant always runs after the same neighbour.
      const shift = (round * 7) % items.length;
      for (const item of [...items.slice(shift), ...items.slice(0, shift)]) await runOnce(item, round);
    }

    const rows = prepared.flatMap(({ coldCase, io }) =>
      coldStartRows(coldCase, io, samples, failures, keyOf, {
        toolkit: built[coldCase.trigger],
        hand: baselines.get(coldCase.name)!,
        bare,
      }),
    );
    if (process.env.BENCH_COLD_START_INSTRUCTIONS === '1') {
      for (const { coldCase, env } of prepared) {
        rows.push(
          await instructionsRow(coldCase, env, built[coldCase.trigger], baselines.get(coldCase.name)!),
        );
      }
    }
    return rows;
  } finally {
    for (const { io } of prepared) await io.stop().catch(() => undefined);
  }
}

function coldStartRows(
  coldCase: ColdStartCase,
  io: PreparedIo,
  samples: Map<string, Sample[]>,
  failures: Map<string, string>,
  keyOf: (name: string, variant: Variant) => string,
  bundlesOf: Record<Variant, BenchBundle>,
): BenchRow[] {
  const listOf = (variant: Variant) => samples.get(keyOf(coldCase.name, variant)) ?? [];
  const stats = (variant: Variant) => {
    const list = listOf(variant);
    return {
      total: median(list.map((s) => s.answeredMs)),
      cpu: median(list.map((s) => s.cpuMs)),
      pageFaults: median(list.map((s) => s.pageFaults)),
      importMs: median(list.map((s) => s.importMs)),
      answerMs: median(list.map((s) => s.answerMs)),
      runs: list.length,
    };
  };
  // Per-round ratio toolkit / hand-written, the same round's two runs side by side.
  const handByRound = new Map(listOf('hand').map((s) => [s.round, s.answeredMs]));
  const paired = listOf('toolkit')
    .filter((s) => handByRound.has(s.round))
    .map((s) => s.answeredMs / handByRound.get(s.round)!);
  const failure = VARIANTS.map((variant) => {
    const reason = failures.get(keyOf(coldCase.name, variant));
    return reason && `${variant}: ${reason}`;
  })
    .filter(Boolean)
    .join('; ');
  const [t, h, b] = [stats('toolkit'), stats('hand'), stats('bare')];
  const split = (label: string, x: ReturnType<typeof stats>) =>
    `${label} import ${x.importMs.toFixed(1)} + answer ${x.answerMs.toFixed(1)} ms`;
  const ratio = t.total / h.total;
  const bareRatio = t.total / b.total;
  const cpuRatio = t.cpu / h.cpu;
  return [
    {
      group: GROUP,
      name: `${coldCase.name}: fresh process to first answer vs hand-written (Logger + middy + ${coldCase.clients}); vs bare ${bareRatio.toFixed(2)}×`,
      measured: t.total,
      baseline: h.total,
      unit: 'ms',
      ratio,
      goal:
        coldCase.informational === undefined
          ? `≤ ${GOAL_RATIO}×`
          : `informational (${coldCase.informational})`,
      met: failure === '' && (coldCase.informational !== undefined || ratio <= GOAL_RATIO),
      note:
        `${coldCase.fixture}, ${io.io}; median of ${t.runs} interleaved runs (paired per-round ratio ` +
        `${paired.length > 0 ? median(paired).toFixed(2) : '-'}×); ms from process start to the first answer; ` +
        `${split('toolkit', t)}, ${split('hand-written', h)}, bare ${b.total.toFixed(1)} ms` +
        (failure ? `; FAILED: ${failure}` : ''),
    },
    {
      group: CPU_GROUP,
      name: `${coldCase.name}: CPU from process start to first answer vs hand-written; vs bare ${(t.cpu / b.cpu).toFixed(2)}×`,
      measured: t.cpu,
      baseline: h.cpu,
      unit: 'CPU ms',
      ratio: cpuRatio,
      goal: 'informational (steadier than wall time on a loaded machine)',
      met: failure === '',
    },
    {
      group: PAGE_FAULTS_GROUP,
      name: `${coldCase.name}: minor page faults from process start to first answer vs hand-written; bare ${b.pageFaults}`,
      measured: t.pageFaults,
      baseline: h.pageFaults,
      unit: 'page faults',
      ratio: t.pageFaults / h.pageFaults,
      goal: 'informational (each a fresh page of memory touched, which instruction counts do not show)',
      met: failure === '',
    },
    {
      group: SIZE_GROUP,
      name: `${coldCase.name}: bundle bytes parsed at cold start vs hand-written (${coldCase.clients})`,
      measured: bundlesOf.toolkit.bytes,
      baseline: bundlesOf.hand.bytes,
      unit: 'bytes',
      ratio: bundlesOf.toolkit.bytes / bundlesOf.hand.bytes,
      goal: 'informational',
      met: true,
      note: `bare handler bundle: ${bundlesOf.bare.bytes} bytes; same esbuild options (template.yaml Metadata) for all`,
    },
  ];
}

// The cold-start child, answering on stderr instead of over IPC (callgrind's runs have no IPC channel), with
// a Lambda context whose remaining time outlasts valgrind's slowness (the deadline stays the toolkit's own).
const COUNTED_CHILD = COLD_START_CHILD.replace(
  'getRemainingTimeInMillis: () => 5000 - (Date.now() - startedAt)',
  'getRemainingTimeInMillis: () => 600000 - (Date.now() - startedAt)',
).replace(
  'process.send({ startedImportMs, importedMs, answeredMs, cpuMs, pageFaults, ok, summary }, () => process.exit(0));',
  "process.stderr.write((ok ? 'ANSWERED ' : 'FAILED ') + summary + '\\n', () => process.exit(0));",
);

/** One configuration's toolkit and hand-written cold starts in instructions (BENCH_COLD_START_INSTRUCTIONS=1). */
async function instructionsRow(
  coldCase: ColdStartCase,
  env: NodeJS.ProcessEnv,
  toolkit: BenchBundle,
  hand: BenchBundle,
): Promise<BenchRow> {
  const name = `${coldCase.name}: instructions from process start to first answer vs hand-written (valgrind)`;
  const goal = 'informational (the same count whatever the load of the machine)';
  if (!canCountInstructions()) {
    return {
      group: INSTRUCTIONS_GROUP,
      name,
      measured: 0,
      baseline: 0,
      unit: 'M instructions',
      ratio: 0,
      goal,
      met: false,
      note: 'valgrind or setarch is not installed',
    };
  }
  // Under valgrind a run takes ~50x as long: the toolkit's budget is the most COGNITO_BUDGET_MS allows, and
  // the legacy store's timeouts (read by the toolkit and the hand-written HTTP handler alike) follow it.
  const countedEnv = {
    ...env,
    COGNITO_BUDGET_MS: '30000',
    LEGACY_HTTP_TIMEOUT_MS: '20000',
    LEGACY_DB_CONNECT_TIMEOUT_MS: '20000',
    LEGACY_DB_QUERY_TIMEOUT_MS: '20000',
  };
  const count = (bundle: BenchBundle) =>
    countInstructions(COUNTED_CHILD, [bundle.path, resolve(coldCase.fixture)], countedEnv, 240_000);
  const [t, h] = [await count(toolkit), await count(hand)];
  const wrong = [
    ['toolkit', t],
    ['hand-written', h],
  ].flatMap(([label, run]) => {
    const counted = run as Awaited<ReturnType<typeof count>>;
    return counted.ok && coldCase.answeredRight(counted.summary) && Number.isFinite(counted.instructions)
      ? []
      : [`${String(label)}: ${counted.summary.slice(0, 200)}`];
  });
  return {
    group: INSTRUCTIONS_GROUP,
    name,
    measured: t.instructions / 1e6,
    baseline: h.instructions / 1e6,
    unit: 'M instructions',
    ratio: t.instructions / h.instructions,
    goal,
    met: wrong.length === 0,
    note: `one run each under callgrind (--single-threaded, fixed seeds, no ASLR)${wrong.length > 0 ? `; FAILED: ${wrong.join('; ')}` : ''}`,
  };
}
