/**
 * `npm run bench` section "cold-start": per trigger, the bundle's bytes and the time a fresh Node
 * process takes to import it and answer its first fixture, against two baselines bundled with the
 * same esbuild options (`buildFunction` on the function's template definition): a bare handler, and
 * a hand-written handler with only the AWS SDK clients and drivers the trigger imports.
 *
 * Timing: the child reports `performance.now()` when the handler has answered, i.e. milliseconds
 * since its own process began (Node's bootstrap included, the parent's spawn and IPC not). The
 * median of interleaved runs is the claim; the import/answer split goes into the note.
 */
import { readFileSync, statSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { resolve } from 'node:path';
import { buildFunction } from '../build.js';
import { functionEnvironment, type EnvVarsFile } from '../lib/function-env.js';
import { describeFunction, loadTemplate, type FunctionDefinition } from '../lib/template.js';
import { median, runChild } from './measure.js';
import type { BenchRow } from './types.js';

const GROUP = 'cold start';
const GOAL_RATIO = 1.1;
/** Runs per variant; every variant runs once per round, in a rotating order. */
const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 15);
const CHILD_TIMEOUT_MS = 20_000;

/** The four functions of template.yaml, by the trigger folder their bundle is named after. */
export const TRIGGER_FUNCTIONS = {
  'pre-sign-up': 'PreSignUpFunction',
  'user-migration': 'UserMigrationFunction',
  'pre-token-generation': 'PreTokenGenerationFunction',
  'custom-message': 'CustomMessageFunction',
} as const;
export type TriggerName = keyof typeof TRIGGER_FUNCTIONS;

const BASELINES = {
  bare: 'tools/bench/baselines/bench-bare/index.ts',
  ssm: 'tools/bench/baselines/bench-sdk-ssm/index.ts',
  dynamodb: 'tools/bench/baselines/bench-sdk-dynamodb/index.ts',
  legacyDb: 'tools/bench/baselines/bench-sdk-legacy-db/index.ts',
} as const;
type BaselineName = keyof typeof BASELINES;

/** A bundle built for the bench: the trigger's own (`dist/<trigger>/index.mjs`) or a baseline's. */
export interface BenchBundle {
  readonly path: string;
  readonly bytes: number;
}

let bundles: Promise<Record<TriggerName | BaselineName, BenchBundle>> | undefined;

/**
 * Builds the four trigger bundles exactly as `npm run build` does, and the baselines with the same
 * function definition (so the same esbuild options) pointed at the baseline's entry. Once per process.
 */
export function buildBenchBundles(): Promise<Record<TriggerName | BaselineName, BenchBundle>> {
  bundles ??= (async () => {
    const template = loadTemplate();
    const functionOf = (trigger: TriggerName): FunctionDefinition =>
      describeFunction(template, TRIGGER_FUNCTIONS[trigger]);
    const toBundle = (path: string): BenchBundle => ({ path: resolve(path), bytes: statSync(path).size });
    const triggerNames = Object.keys(TRIGGER_FUNCTIONS) as TriggerName[];
    const baselineNames = Object.keys(BASELINES) as BaselineName[];
    // Baselines take the PreSignUp definition's options: every function in the template has the same.
    const reference = functionOf('pre-sign-up');
    const outputs = await Promise.all([
      ...triggerNames.map((trigger) => buildFunction(functionOf(trigger))),
      ...baselineNames.map((name) => buildFunction({ ...reference, entryPoint: BASELINES[name] })),
    ]);
    return Object.fromEntries(
      [...triggerNames, ...baselineNames].map((name, index) => [name, toBundle(outputs[index]!)]),
    ) as Record<TriggerName | BaselineName, BenchBundle>;
  })();
  return bundles;
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
process.send({ startedImportMs, importedMs, answeredMs, ok, summary }, () => process.exit(0));
`;

/** A trigger's cold-start case: its fixture, its SDK-only baseline, and the I/O its first answer needs. */
interface ColdStartCase {
  readonly trigger: TriggerName;
  readonly fixture: string;
  readonly sdkBaseline: BaselineName;
  readonly sdkDescription: string;
  /** Starts what the first answer needs; returns the env-vars file, extra variables, and a stop. */
  prepare(): Promise<{
    envVars?: EnvVarsFile;
    extra?: Record<string, string>;
    io: string;
    stop(): Promise<void>;
  }>;
  /** Whether the toolkit's answer is the one this fixture should get (a broken run must not count). */
  answeredRight(summary: string): boolean;
}

const CASES: readonly ColdStartCase[] = [
  {
    trigger: 'pre-sign-up',
    fixture: 'events/pre-sign-up/sign-up-allowed.json',
    sdkBaseline: 'ssm',
    sdkDescription: '@aws-sdk/client-ssm (imported by shared/email-domain/email-domain-guard.ts)',
    prepare: async () => ({
      envVars: JSON.parse(readFileSync('events/pre-sign-up/env.json', 'utf8')) as EnvVarsFile,
      io: 'no I/O (inline domain lists)',
      stop: async () => undefined,
    }),
    answeredRight: (summary) => summary.includes('"autoConfirmUser":false'),
  },
  {
    trigger: 'user-migration',
    fixture: 'events/user-migration/forgot-password.json',
    sdkBaseline: 'legacyDb',
    sdkDescription: 'pg + mysql2 + @aws-sdk/client-secrets-manager',
    prepare: prepareLegacyDatabase,
    answeredRight: (summary) => summary.includes('alice.legacy@example.com'),
  },
  {
    trigger: 'pre-token-generation',
    fixture: 'events/pre-token-generation/v2-authentication.json',
    sdkBaseline: 'dynamodb',
    sdkDescription: '@aws-sdk/client-dynamodb',
    prepare: prepareTenantTable,
    answeredRight: (summary) => summary.includes('"tenant_id":"acme"'),
  },
  {
    trigger: 'custom-message',
    fixture: 'events/custom-message/sign-up.json',
    sdkBaseline: 'ssm',
    sdkDescription: '@aws-sdk/client-ssm (imported by shared/email-domain/email-domain-guard.ts)',
    prepare: async () => ({ io: 'no I/O', stop: async () => undefined }),
    answeredRight: (summary) => summary.includes('emailMessage'),
  },
];

const TABLE = 'bench-tenants';

/** dynalite with the fixture user's membership, so the first token needs the Query and BatchGetItem. */
async function prepareTenantTable() {
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
    extra: { AWS_ENDPOINT_URL_DYNAMODB: db.endpoint },
    io: 'Query + BatchGetItem against dynalite on localhost',
    stop: db.stop,
  };
}

/** A legacy PostgreSQL (the local server, else PGlite) holding the fixture's user. */
async function prepareLegacyDatabase() {
  const { startPostgres, runSql } = await import('../lib/local-postgres.js');
  const db = await startPostgres();
  const table = `bench_users_${process.pid}`;
  await runSql(
    db.url,
    `CREATE TABLE ${table} (email text PRIMARY KEY, password_hash text NOT NULL, email_verified boolean, disabled boolean)`,
  );
  // A bcrypt hash of a throwaway password: forgot-password never verifies it.
  await runSql(db.url, `INSERT INTO ${table} VALUES ($1, $2, true, false)`, [
    'alice.legacy@example.com',
    bcrypt.hashSync(`throwaway-${process.pid}`, 4),
  ]);
  return {
    envVars: {
      UserMigrationFunction: {
        LEGACY_STORE: 'postgres',
        LEGACY_DB_URL: db.url,
        LEGACY_USER_QUERY: `SELECT password_hash, email, email_verified, disabled FROM ${table} WHERE lower(email) = lower($1)`,
      },
    },
    extra: { LEGACY_DB_TLS: 'off' },
    io: `one SELECT against ${db.kind === 'server' ? 'the local PostgreSQL' : 'PGlite over the wire protocol'} (forgot-password: no password check)`,
    stop: async () => {
      await runSql(db.url, `DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await db.stop();
    },
  };
}

type Variant = 'toolkit' | 'sdk' | 'bare';
interface Sample {
  readonly answeredMs: number;
  readonly importMs: number;
  readonly answerMs: number;
}

/** Cold start of every trigger against its bare and SDK-only baselines. */
export async function benchColdStart(): Promise<BenchRow[]> {
  const built = await buildBenchBundles();
  const prepared = [];
  try {
    for (const coldCase of CASES) {
      const setup = await coldCase.prepare();
      prepared.push({ coldCase, setup, env: benchEnvironment(coldCase.trigger, setup.envVars, setup.extra) });
    }
    const variants = prepared.flatMap(({ coldCase, env }) =>
      (['toolkit', 'sdk', 'bare'] as const).map((variant) => ({
        coldCase,
        variant,
        env,
        bundle:
          variant === 'toolkit'
            ? built[coldCase.trigger]
            : variant === 'sdk'
              ? built[coldCase.sdkBaseline]
              : built.bare,
      })),
    );
    const samples = new Map<string, Sample[]>();
    const failures = new Map<string, string>();
    const keyOf = (trigger: string, variant: Variant) => `${trigger}/${variant}`;

    const runOnce = async (item: (typeof variants)[number]): Promise<void> => {
      const key = keyOf(item.coldCase.trigger, item.variant);
      if (failures.has(key)) return;
      const result = await runChild<ColdStartMessage>(
        COLD_START_CHILD,
        [item.bundle.path, resolve(item.coldCase.fixture)],
        item.env,
        CHILD_TIMEOUT_MS,
      );
      const message = result.message;
      const wrong =
        message === undefined
          ? `the child gave no answer: ${result.stderrTail || 'no stderr'}`
          : !message.ok
            ? `the handler threw: ${message.summary}`
            : item.variant === 'toolkit' && !item.coldCase.answeredRight(message.summary)
              ? `unexpected answer: ${message.summary}`
              : undefined;
      if (wrong !== undefined || message === undefined) {
        failures.set(key, wrong ?? 'no answer');
        return;
      }
      const list = samples.get(key) ?? [];
      list.push({
        answeredMs: message.answeredMs,
        importMs: message.importedMs - message.startedImportMs,
        answerMs: message.answeredMs - message.importedMs,
      });
      samples.set(key, list);
    };

    // One unmeasured round: file cache warm, and a broken variant shows before the long loop.
    for (const item of variants) await runOnce(item);
    samples.clear();
    for (let round = 0; round < RUNS; round += 1) {
      // Rotate the order every round, so no variant always runs after the same neighbour.
      const shift = round % variants.length;
      for (const item of [...variants.slice(shift), ...variants.slice(0, shift)]) await runOnce(item);
    }

    return prepared.flatMap(({ coldCase, setup }) => {
      const stats = (variant: Variant) => {
        const list = samples.get(keyOf(coldCase.trigger, variant)) ?? [];
        return {
          total: median(list.map((s) => s.answeredMs)),
          importMs: median(list.map((s) => s.importMs)),
          answerMs: median(list.map((s) => s.answerMs)),
          runs: list.length,
        };
      };
      const failure = (['toolkit', 'sdk', 'bare'] as const)
        .map(
          (variant) =>
            failures.get(keyOf(coldCase.trigger, variant)) &&
            `${variant}: ${failures.get(keyOf(coldCase.trigger, variant))}`,
        )
        .filter(Boolean)
        .join('; ');
      const toolkit = built[coldCase.trigger];
      const sdk = built[coldCase.sdkBaseline];
      const [t, s, b] = [stats('toolkit'), stats('sdk'), stats('bare')];
      const split = (label: string, x: ReturnType<typeof stats>) =>
        `${label} import ${x.importMs.toFixed(1)} + answer ${x.answerMs.toFixed(1)} ms`;
      const timeNote =
        `${coldCase.fixture}, ${setup.io}; median of ${t.runs} interleaved runs; ms from process start to the ` +
        `first answer (child's performance.now()); ${split('toolkit', t)}, ${split('SDK-only', s)}, ${split('bare', b)}` +
        (failure ? `; FAILED: ${failure}` : '');
      const name = coldCase.trigger;
      return [
        {
          group: GROUP,
          name: `${name}: bundle bytes vs SDK-only baseline (${coldCase.sdkDescription})`,
          measured: toolkit.bytes,
          baseline: sdk.bytes,
          unit: 'bytes',
          ratio: toolkit.bytes / sdk.bytes,
          goal: 'informational',
          met: true,
          note: `bare handler bundle: ${built.bare.bytes} bytes; same esbuild options (template.yaml Metadata) for all`,
        },
        {
          group: GROUP,
          name: `${name}: fresh process to first answer vs SDK-only baseline`,
          measured: t.total,
          baseline: s.total,
          unit: 'ms',
          ratio: t.total / s.total,
          goal: `≤ ${GOAL_RATIO}×`,
          met: failure === '' && t.total / s.total <= GOAL_RATIO,
          note: timeNote,
        },
        {
          group: GROUP,
          name: `${name}: fresh process to first answer vs bare handler`,
          measured: t.total,
          baseline: b.total,
          unit: 'ms',
          ratio: t.total / b.total,
          goal: 'informational',
          met: failure === '',
        },
      ];
    });
  } finally {
    for (const { setup } of prepared) await setup.stop().catch(() => undefined);
  }
}
