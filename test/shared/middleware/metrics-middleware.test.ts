import { spawnSync } from 'node:child_process';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { startDeadline } from '../../../shared/deadline.js';
import { DeadlineExceededError, RejectionError } from '../../../shared/errors.js';
import { fallbackOutcome } from '../../../shared/middleware/fallback-middleware.js';
import type { InvocationState } from '../../../shared/middleware/invocation-state.js';
import { publishInvocationMetrics } from '../../../shared/middleware/metrics-middleware.js';
import { createTriggerHandler, type FailMode, type TriggerContext } from '../../../shared/trigger-handler.js';
import { emfLines, emfProblems } from '../../support/emf.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';

interface TestEvent {
  triggerSource: string;
  userName: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

const SETTINGS = { cognitoBudgetMs: 600, marginMs: 100 }; // budget 500 ms
const GENEROUS_LIMIT_MS = 1_500;

function makeEvent(): TestEvent {
  return {
    triggerSource: 'PreSignUp_SignUp',
    userName: 'alice@example.com',
    request: { userAttributes: { email: 'alice@example.com' } },
    response: {},
  };
}

function makeHandler(
  failMode: FailMode,
  handle: (event: TestEvent, context: TriggerContext) => Promise<TestEvent>,
  metrics = new Metrics({ namespace: 'TestNamespace', serviceName: 'test-service' }),
) {
  return createTriggerHandler<TestEvent>(
    { name: 'test-trigger', failMode, triggerSources: ['PreSignUp_SignUp'], handle },
    { deadlineSettings: SETTINGS, metrics },
  );
}

/** Runs one invocation and returns the EMF lines written by the time its answer came back. */
async function invoke(handler: ReturnType<typeof makeHandler>) {
  logs = captureLogs();
  const started = Date.now();
  const outcome = await handler(makeEvent(), fakeLambdaContext()).then(
    (result) => ({ result, error: undefined }),
    (error: Error) => ({ result: undefined, error }),
  );
  const elapsedMs = Date.now() - started;
  const lines = logs.lines();
  logs.restore();
  return { ...outcome, elapsedMs, lines, emf: emfLines(lines) };
}

let logs: CapturedLogs | undefined;
afterEach(() => logs?.restore());

describe('the metrics of an invocation (EMF)', () => {
  it('writes one valid Outcome line with dimensions service, trigger and outcome=answered', async () => {
    const { emf, lines } = await invoke(makeHandler('closed', async (event) => event));

    const outcomes = emf.filter((entry) => 'Outcome' in entry.metrics);
    expect(outcomes).toHaveLength(1);
    expect(emfProblems(outcomes[0]!.line)).toEqual([]);
    expect(outcomes[0]!.namespace).toBe('TestNamespace');
    expect(outcomes[0]!.dimensions).toEqual({
      service: 'test-service',
      trigger: 'test-trigger',
      outcome: 'answered',
    });
    expect(outcomes[0]!.metrics).toEqual({ Outcome: 1 });
    expect(
      (outcomes[0]!.line._aws as { CloudWatchMetrics: { Metrics: unknown[] }[] }).CloudWatchMetrics[0]!
        .Metrics,
    ).toEqual([{ Name: 'Outcome', Unit: 'Count' }]);
    // Nothing else on a quiet invocation: no empty-metrics warning either.
    expect(emf).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('No application metrics');
  });

  it('writes outcome=rejected and a Rejection line with the code', async () => {
    const { emf, error } = await invoke(
      makeHandler('closed', () => Promise.reject(new RejectionError('EMAIL_DOMAIN_NOT_ALLOWED'))),
    );

    expect(error?.message).toMatch(/^\[EMAIL_DOMAIN_NOT_ALLOWED\]/);
    for (const entry of emf) expect(emfProblems(entry.line)).toEqual([]);
    expect(emf.map((entry) => ({ ...entry.dimensions, ...entry.metrics }))).toEqual([
      { service: 'test-service', trigger: 'test-trigger', outcome: 'rejected', Outcome: 1 },
      { service: 'test-service', trigger: 'test-trigger', code: 'EMAIL_DOMAIN_NOT_ALLOWED', Rejection: 1 },
    ]);
  });

  it.each<[FailMode]>([['closed'], ['open']])(
    'writes outcome=fallback and Fault on a fault of a fail-%s trigger',
    async (failMode) => {
      const { emf } = await invoke(
        makeHandler(failMode, () => Promise.reject(new TypeError('the directory is down'))),
      );

      for (const entry of emf) expect(emfProblems(entry.line)).toEqual([]);
      expect(emf.map((entry) => ({ ...entry.dimensions, ...entry.metrics }))).toEqual([
        { service: 'test-service', trigger: 'test-trigger', outcome: 'fallback', Outcome: 1 },
        { service: 'test-service', trigger: 'test-trigger', Fault: 1 },
      ]);
    },
  );

  it.each<[FailMode]>([['closed'], ['open']])(
    'writes outcome=fallback and DeadlineHit inside the deadline when a fail-%s trigger hangs',
    async (failMode) => {
      const { emf, elapsedMs } = await invoke(makeHandler(failMode, () => new Promise(() => undefined)));

      expect(elapsedMs).toBeLessThan(GENEROUS_LIMIT_MS);
      for (const entry of emf) expect(emfProblems(entry.line)).toEqual([]);
      expect(emf.map((entry) => ({ ...entry.dimensions, ...entry.metrics }))).toEqual([
        { service: 'test-service', trigger: 'test-trigger', outcome: 'fallback', Outcome: 1 },
        { service: 'test-service', trigger: 'test-trigger', DeadlineHit: 1 },
      ]);
    },
  );

  it("flushes a trigger's counters with the invocation, under the trigger dimension", async () => {
    const { emf } = await invoke(
      makeHandler('closed', async (event, { metrics }) => {
        metrics.count('CacheHit');
        metrics.count('StaleServe', 2);
        return event;
      }),
    );

    const counters = emf.find((entry) => 'CacheHit' in entry.metrics);
    expect(counters && emfProblems(counters.line)).toEqual([]);
    expect(counters?.dimensions).toEqual({ service: 'test-service', trigger: 'test-trigger' });
    expect(counters?.metrics).toEqual({ CacheHit: 1, StaleServe: 2 });
  });

  it('flushes the counters of a trigger that failed too, with its Fault', async () => {
    const { emf } = await invoke(
      makeHandler('open', async (_event, { metrics }) => {
        metrics.count('LookupFailure');
        throw new TypeError('boom');
      }),
    );

    expect(emf.find((entry) => 'Fault' in entry.metrics)?.metrics).toEqual({ LookupFailure: 1, Fault: 1 });
  });

  it('uses the toolkit’s shared instance by default, namespace from POWERTOOLS_METRICS_NAMESPACE', async () => {
    const handler = createTriggerHandler<TestEvent>(
      {
        name: 'default-metrics',
        failMode: 'closed',
        triggerSources: ['PreSignUp_SignUp'],
        handle: async (e) => e,
      },
      { deadlineSettings: SETTINGS },
    );

    const { emf } = await invoke(handler);

    expect(emf).toHaveLength(1);
    expect(emf[0]!.namespace).toBe(process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CognitoTriggerKit');
    expect(emf[0]!.dimensions).toMatchObject({ trigger: 'default-metrics', outcome: 'answered' });
  });

  /** The environment variables a fresh process reads while running `steps` (after its imports of node:). */
  function variablesReadBy(steps: string): string[] {
    const script = [
      'const read = new Set();',
      'const env = process.env;',
      "process.env = new Proxy(env, { get: (target, key) => { if (typeof key === 'string') read.add(key); return Reflect.get(target, key); } });",
      steps,
      'process.env = env;',
      'console.log(JSON.stringify([...read].sort()));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      encoding: 'utf8',
      env: { ...process.env, POWERTOOLS_DEV: 'false' },
    });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
  }

  // Metrics is imported from its ESM build (one copy of Powertools commons with the Logger's); importing
  // it defines classes only. An instance reads its variables when it is made, so none read means none made.
  it('makes no Metrics instance (and reads no setting) when the toolkit is imported', () => {
    // tsx reads NODE_V8_COVERAGE and WATCH_REPORT_DEPENDENCIES when it compiles a .ts file: not ours.
    const ours = (names: string[]) =>
      names.filter((name) => !/^(NODE_V8_COVERAGE|WATCH_REPORT_DEPENDENCIES)$/.test(name));
    const readByImport = ours(variablesReadBy("await import('./shared/trigger-handler.ts');"));
    // What Powertools commons reads when the Logger alone is imported (its user agent and invoke store)...
    expect(readByImport).toEqual(ours(variablesReadBy("await import('@aws-lambda-powertools/logger');")));
    // ...and no setting of Metrics (or of any Powertools utility): no instance was made.
    expect(readByImport.filter((name) => name.startsWith('POWERTOOLS_'))).toEqual([]);
    // The probe sees an instance when there is one: the first sharedMetrics() call makes it.
    expect(
      variablesReadBy("const { sharedMetrics } = await import('./shared/metrics.ts'); sharedMetrics();"),
    ).toContain('POWERTOOLS_METRICS_NAMESPACE');
  });
});

describe('publishInvocationMetrics (what the middleware and the hard stop call)', () => {
  it('publishes once per invocation: a late chain after the hard stop writes nothing more', () => {
    const metrics = new Metrics({ namespace: 'TestNamespace', serviceName: 'test-service' });
    const state: InvocationState = {
      deadline: startDeadline(1_000),
      startedAt: Date.now(),
      originalEvent: undefined,
      outcome: fallbackOutcome(new DeadlineExceededError('Hard stop')),
    };
    logs = captureLogs();

    publishInvocationMetrics(metrics, 'hard-stop', state);
    state.outcome = { outcome: 'answered' };
    publishInvocationMetrics(metrics, 'hard-stop', state);
    const emf = emfLines(logs.lines());
    logs.restore();
    state.deadline.dispose();

    expect(emf.map((entry) => ({ ...entry.dimensions, ...entry.metrics }))).toEqual([
      { service: 'test-service', trigger: 'hard-stop', outcome: 'fallback', Outcome: 1 },
      { service: 'test-service', trigger: 'hard-stop', DeadlineHit: 1 },
    ]);
  });
});
