import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmfMetrics, EmfMetrics, type MetricsWriter } from '../../shared/metrics.js';
import { emfProblems } from '../support/emf.js';
import { captureLogs, type CapturedLogs } from '../support/logs.js';

// The toolkit's default writer stands in for Powertools Metrics: each case runs the same calls on both and
// compares the lines they write (Powertools' own output is the reference; only the timestamp may differ).
type Steps = (metrics: MetricsWriter) => void;

const CASES: readonly (readonly [string, Steps])[] = [
  [
    'one single-metric line with its dimensions',
    (metrics) => {
      const line = metrics.singleMetric();
      line.addDimensions({ trigger: 'pre-sign-up', outcome: 'answered' });
      line.addMetric('Outcome', 'Count', 1);
    },
  ],
  [
    'two single-metric lines from one writer, each with only its own dimensions',
    (metrics) => {
      const line = metrics.singleMetric();
      line.addDimensions({ trigger: 'pre-sign-up', outcome: 'rejected' });
      line.addMetric('Outcome', 'Count', 1);
      line.addDimensions({ trigger: 'pre-sign-up', code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
      line.addMetric('Rejection', 'Count', 1);
    },
  ],
  [
    'stored counters, a repeated one as a list of values, published with a dimension added last',
    (metrics) => {
      metrics.addMetric('CacheHit', 'Count', 1);
      metrics.addMetric('StaleServe', 'Count', 2);
      metrics.addMetric('CacheHit', 'Count', 1);
      metrics.addMetric('CacheHit', 'Count', 3);
      metrics.addDimension('trigger', 'pre-token-generation');
      metrics.publishStoredMetrics();
    },
  ],
  [
    'an empty dimension value skipped',
    (metrics) => {
      metrics.addDimension('trigger', '');
      metrics.addDimension('code', 'X');
      metrics.addMetric('Fault', 'Count', 1);
      metrics.publishStoredMetrics();
    },
  ],
  [
    'nothing stored: nothing written',
    (metrics) => {
      metrics.addDimension('trigger', 'custom-message');
      expect(metrics.hasStoredMetrics()).toBe(false);
      metrics.publishStoredMetrics();
    },
  ],
];

let logs: CapturedLogs | undefined;
afterEach(() => logs?.restore());

/** The lines `steps` writes through the writer `make` returns. */
function linesWrittenBy(make: () => MetricsWriter, steps: Steps): Record<string, unknown>[] {
  // Made while capturing: Powertools' console holds on to the stream it was given.
  logs = captureLogs();
  steps(make());
  const lines = logs.lines();
  logs.restore();
  return lines;
}

const withoutTimestamps = (lines: Record<string, unknown>[]) =>
  lines.map((line) => ({ ...line, _aws: { ...(line._aws as object), Timestamp: 0 } }));

describe('EmfMetrics (the default metrics writer)', () => {
  it.each(CASES)('writes what Powertools Metrics writes: %s', (_name, steps) => {
    const options = { namespace: 'TestNamespace', serviceName: 'test-service' };
    const reference = linesWrittenBy(() => new Metrics(options), steps);

    const ours = linesWrittenBy(() => new EmfMetrics(options), steps);

    expect(withoutTimestamps(ours)).toEqual(withoutTimestamps(reference));
    for (const line of ours) expect(emfProblems(line)).toEqual([]);
  });

  it.each([
    ['defaults', {}, 'CognitoTriggerKit', 'service_undefined'],
    [
      'the Powertools variables',
      { POWERTOOLS_METRICS_NAMESPACE: 'Accounts', POWERTOOLS_SERVICE_NAME: 'accounts' },
      'Accounts',
      'accounts',
    ],
  ])('takes its namespace and service from %s', (_name, env, namespace, service) => {
    const [line] = withEnv(env, () =>
      linesWrittenBy(
        () => createEmfMetrics(process.env),
        (metrics) => metrics.singleMetric().addMetric('Outcome', 'Count', 1),
      ),
    );

    expect(
      (line!._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]!.Namespace,
    ).toBe(namespace);
    expect(line!.service).toBe(service);
  });

  it.each([
    ['POWERTOOLS_METRICS_DISABLED=true', { POWERTOOLS_METRICS_DISABLED: 'true' }],
    ['POWERTOOLS_METRICS_DISABLED=1', { POWERTOOLS_METRICS_DISABLED: '1' }],
    ['POWERTOOLS_DEV=true', { POWERTOOLS_DEV: 'true' }],
    [
      'POWERTOOLS_METRICS_DISABLED=false over POWERTOOLS_DEV=true',
      { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_DEV: 'true' },
    ],
    ['POWERTOOLS_DEV=false', { POWERTOOLS_DEV: 'false' }],
    ['nothing set', {}],
  ])('is turned off exactly where Powertools Metrics is: %s', (_name, env) => {
    // Powertools' own switch (a private field in its types): with POWERTOOLS_DEV on it would write through the
    // global console, which the test runner takes over, so its lines cannot be counted here.
    const reference = withEnv(
      env,
      () => (new Metrics({ namespace: 'N' }) as unknown as { disabled: boolean }).disabled,
    );

    const ours = withEnv(env, () => createEmfMetrics(process.env));
    const written = withEnv(env, () =>
      linesWrittenBy(
        () => createEmfMetrics(process.env),
        (metrics) => metrics.singleMetric().addMetric('Outcome', 'Count', 1),
      ),
    );

    expect(ours.disabled).toBe(reference);
    expect(written).toHaveLength(reference ? 0 : 1);
  });
});

function withEnv<T>(env: Record<string, string>, run: () => T): T {
  const keys = ['POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_DEV', ...Object.keys(env)];
  const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));
  for (const key of keys) delete process.env[key];
  Object.assign(process.env, env);
  try {
    return run();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
