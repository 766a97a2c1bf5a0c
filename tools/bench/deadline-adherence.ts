/**
 * `npm run bench` section "deadline": with a dependency that accepts connections and never answers,
 * does every invocation of the real bundle still answer inside its budget? Each scenario runs in a
 * fresh process with the function's environment (`sam local invoke`'s), the dependency pointed at a
 * hung TCP server, and `COGNITO_BUDGET_MS` small so the section runs fast.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import type { EnvVarsFile } from '../lib/function-env.js';
import { benchEnvironment, buildBenchBundles, type TriggerName } from './cold-start.js';
import { runChild } from './measure.js';
import type { BenchRow } from './types.js';

const GROUP = 'deadline adherence';
const BUDGET_MS = 800;
const SEQUENTIAL = 6;
const CONCURRENT = 10;
const CHILD_TIMEOUT_MS = 60_000;

/** A TCP server that accepts every connection and never sends a byte: the worst dependency. */
async function startHungServer(): Promise<{ port: number; connections(): number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the hung server has no port');
  return {
    port: address.port,
    connections: () => connections,
    stop: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

interface Scenario {
  readonly trigger: TriggerName;
  /** What hangs, for the row's name. */
  readonly dependency: string;
  readonly fixture: string;
  /** A fail-open trigger must also answer every invocation (return the event), never throw. */
  readonly failOpen?: true;
  environment(hungPort: number): { envVars?: EnvVarsFile; extra: Record<string, string> };
}

const hungUrl = (scheme: string, port: number, path = '') => `${scheme}://127.0.0.1:${port}${path}`;
const LEGACY_QUERY = 'SELECT password_hash, email, email_verified, disabled FROM users WHERE email = ';

const SCENARIOS: readonly Scenario[] = [
  {
    trigger: 'pre-sign-up',
    dependency: 'SSM endpoint (domain list in Parameter Store)',
    fixture: 'events/pre-sign-up/sign-up-allowed.json',
    environment: (port) => ({
      extra: {
        ALLOWED_EMAIL_DOMAINS: '',
        ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/bench/allowed-email-domains',
        AWS_ENDPOINT_URL_SSM: hungUrl('http', port),
      },
    }),
  },
  {
    trigger: 'custom-message',
    dependency: 'SSM endpoint (domain list, email change)',
    fixture: 'events/custom-message/update-user-attribute.json',
    environment: (port) => ({
      extra: {
        ALLOWED_EMAIL_DOMAINS: '',
        ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/bench/allowed-email-domains',
        AWS_ENDPOINT_URL_SSM: hungUrl('http', port),
      },
    }),
  },
  {
    trigger: 'user-migration',
    dependency: 'legacy PostgreSQL host',
    fixture: 'events/user-migration/authentication.json',
    environment: (port) => ({
      envVars: {
        UserMigrationFunction: {
          LEGACY_STORE: 'postgres',
          LEGACY_DB_URL: hungUrl('postgres', port, '/legacy').replace('://', '://bench:bench@'),
          LEGACY_USER_QUERY: `${LEGACY_QUERY}$1`,
        },
      },
      extra: { LEGACY_DB_TLS: 'off' },
    }),
  },
  {
    trigger: 'user-migration',
    dependency: 'legacy MySQL host',
    fixture: 'events/user-migration/authentication.json',
    environment: (port) => ({
      envVars: {
        UserMigrationFunction: {
          LEGACY_STORE: 'mysql',
          LEGACY_DB_URL: hungUrl('mysql', port, '/legacy').replace('://', '://bench:bench@'),
          LEGACY_USER_QUERY: `${LEGACY_QUERY}?`,
        },
      },
      extra: { LEGACY_DB_TLS: 'off' },
    }),
  },
  {
    trigger: 'user-migration',
    dependency: 'Secrets Manager endpoint (RDS secret)',
    fixture: 'events/user-migration/authentication.json',
    environment: (port) => ({
      envVars: {
        UserMigrationFunction: {
          LEGACY_STORE: 'postgres',
          LEGACY_DB_URL: '',
          LEGACY_DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-legacy',
          LEGACY_USER_QUERY: `${LEGACY_QUERY}$1`,
        },
      },
      extra: { LEGACY_DB_TLS: 'off', AWS_ENDPOINT_URL_SECRETS_MANAGER: hungUrl('http', port) },
    }),
  },
  {
    trigger: 'user-migration',
    dependency: 'HTTP legacy store',
    fixture: 'events/user-migration/authentication.json',
    environment: (port) => ({
      envVars: { UserMigrationFunction: { LEGACY_STORE: 'http', LEGACY_DB_URL: '' } },
      extra: { LEGACY_HTTP_URL: hungUrl('http', port, '/legacy/user') },
    }),
  },
  {
    trigger: 'custom-sender',
    dependency: 'SES v2 endpoint (SendEmail)',
    fixture: 'events/custom-sender/email-sign-up.json',
    environment: (port) => ({
      envVars: JSON.parse(readFileSync('events/custom-sender/env.json', 'utf8')) as EnvVarsFile,
      extra: { AWS_ENDPOINT_URL_SESV2: hungUrl('http', port) },
    }),
  },
  {
    trigger: 'pre-token-generation',
    dependency: 'DynamoDB endpoint',
    fixture: 'events/pre-token-generation/v2-authentication.json',
    // The defaults (3 attempts × 1000 ms) do not fit an 800 ms budget, and the config refuses them.
    environment: (port) => ({
      extra: {
        AWS_ENDPOINT_URL_DYNAMODB: hungUrl('http', port),
        DYNAMODB_MAX_ATTEMPTS: '2',
        DYNAMODB_REQUEST_TIMEOUT_MS: '200',
      },
    }),
  },
  {
    trigger: 'post-confirmation',
    dependency: 'DynamoDB endpoint (fail-open)',
    fixture: 'events/post-confirmation/confirm-sign-up.json',
    failOpen: true,
    // The defaults (3 attempts × 1000 ms) do not fit an 800 ms budget, and the config refuses them.
    environment: (port) => ({
      extra: {
        AWS_ENDPOINT_URL_DYNAMODB: hungUrl('http', port),
        DYNAMODB_MAX_ATTEMPTS: '2',
        DYNAMODB_REQUEST_TIMEOUT_MS: '200',
      },
    }),
  },
];

/** One invocation as the child saw it: time from the handler call to its settling, and how it settled. */
interface Invocation {
  readonly phase: 'cold' | 'sequential' | 'concurrent';
  readonly ms: number;
  readonly outcome: string;
}

// The child: import the bundle (the cold start, not counted in the answer time), then one cold
// invocation, sequential warm ones, and a concurrent burst. Every invocation gets Lambda's 5 s.
const DEADLINE_CHILD = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundlePath, eventPath, sequential, concurrent] = process.argv.slice(1);
const fixture = readFileSync(eventPath, 'utf8');
const { handler } = await import(pathToFileURL(bundlePath).href);
const contextOf = (id) => {
  const startedAt = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true, functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench',
    functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '512', awsRequestId: 'deadline-' + id, logGroupName: '/aws/lambda/bench', logStreamName: 'bench',
    getRemainingTimeInMillis: () => 5000 - (Date.now() - startedAt), done() {}, fail() {}, succeed() {},
  };
};
const invoke = async (phase, id) => {
  const started = performance.now();
  let outcome;
  try {
    await handler(JSON.parse(fixture), contextOf(id));
    outcome = 'answered';
  } catch (error) {
    const code = /^\\[([A-Z_]+)\\]/.exec(String(error && error.message));
    outcome = code ? code[1] : 'threw ' + String(error && error.name);
  }
  return { phase, ms: performance.now() - started, outcome };
};
const results = [await invoke('cold', 0)];
for (let i = 1; i <= Number(sequential); i += 1) results.push(await invoke('sequential', i));
results.push(...(await Promise.all(Array.from({ length: Number(concurrent) }, (_, i) => invoke('concurrent', 100 + i)))));
process.send(results, () => process.exit(0));
`;

/** The share of invocations answered inside the budget, per trigger and hung dependency. */
export async function benchDeadlineAdherence(): Promise<BenchRow[]> {
  const built = await buildBenchBundles();
  const rows: BenchRow[] = [];
  for (const scenario of SCENARIOS) {
    const hung = await startHungServer();
    try {
      const { envVars, extra } = scenario.environment(hung.port);
      const env = benchEnvironment(scenario.trigger, envVars, {
        ...extra,
        COGNITO_BUDGET_MS: String(BUDGET_MS),
      });
      const result = await runChild<Invocation[]>(
        DEADLINE_CHILD,
        [built[scenario.trigger].path, resolve(scenario.fixture), String(SEQUENTIAL), String(CONCURRENT)],
        env,
        CHILD_TIMEOUT_MS,
      );
      rows.push(toRow(scenario, result.message, result.stderrTail, hung.connections()));
    } finally {
      await hung.stop();
    }
  }
  return rows;
}

function toRow(
  scenario: Scenario,
  invocations: Invocation[] | undefined,
  stderrTail: string,
  connections: number,
): BenchRow {
  const name = `${scenario.trigger}: ${scenario.dependency} hung`;
  const total = 1 + SEQUENTIAL + CONCURRENT;
  if (invocations === undefined) {
    return {
      group: GROUP,
      name,
      measured: 0,
      baseline: 100,
      unit: '% inside budget',
      ratio: 0,
      goal: '100%',
      met: false,
      note: `the child gave no answer (cold start failed or hung): ${stderrTail.slice(-400) || 'no stderr'}`,
    };
  }
  const inside = invocations.filter((invocation) => invocation.ms <= BUDGET_MS).length;
  const share = (inside / total) * 100;
  const slowest = Math.max(...invocations.map((invocation) => invocation.ms));
  const outcomes = new Map<string, number>();
  for (const { outcome } of invocations) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  const outcomeText = [...outcomes].map(([outcome, count]) => `${count} × ${outcome}`).join(', ');
  return {
    group: GROUP,
    name,
    measured: share,
    baseline: 100,
    unit: '% inside budget',
    ratio: share / 100,
    goal: '100%',
    // No connection means the dependency was never asked: the row would prove nothing.
    met:
      inside === total &&
      connections > 0 &&
      (scenario.failOpen !== true || invocations.every((invocation) => invocation.outcome === 'answered')),
    note: `${scenario.failOpen ? 'fail-open: every invocation must answer with the event; ' : ''}${connections} connection(s) to the hung server; ${inside}/${total} invocations (1 cold, ${SEQUENTIAL} sequential, ${CONCURRENT} concurrent) settled within COGNITO_BUDGET_MS=${BUDGET_MS}; slowest ${slowest.toFixed(0)} ms, handler call to settle, bundle import excluded; outcomes: ${outcomeText}`,
  };
}
