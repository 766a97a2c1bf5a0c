import type { Metrics } from '@aws-lambda-powertools/metrics';

/** The namespace when `POWERTOOLS_METRICS_NAMESPACE` is not set (the template sets it to the same). */
export const DEFAULT_METRICS_NAMESPACE = 'CognitoTriggerKit';

/** Powertools' service dimension when `POWERTOOLS_SERVICE_NAME` is not set. */
export const DEFAULT_SERVICE_NAME = 'service_undefined';

/** How an invocation ended, as the `outcome` dimension of the `Outcome` metric says it. */
export type Outcome = 'answered' | 'rejected' | 'fallback';

/**
 * The metrics the toolkit writes (CloudWatch embedded metric format, no API calls), each with the
 * dimensions `service` (Powertools' default, `POWERTOOLS_SERVICE_NAME`) and `trigger`:
 * - `Outcome` (one per invocation, plus dimension `outcome`), `Rejection` (plus dimension `code`),
 * - `Fault` and `DeadlineHit` (a fallback's two causes), written by the shared middleware;
 * - the counters a trigger writes through {@link TriggerMetrics.count}.
 */
export const METRIC_NAMES = {
  outcome: 'Outcome',
  rejection: 'Rejection',
  fault: 'Fault',
  deadlineHit: 'DeadlineHit',
} as const;

/** Counters a trigger or its adapters write; see docs/operating.md for what each means. */
export type CounterName =
  'StaleServe' | 'CacheHit' | 'CacheMiss' | 'LookupFailure' | 'SsmRefreshFailure' | 'CustomMessageFallback';

/** What a trigger may write: counters, flushed with the invocation's other metrics inside its deadline. */
export interface TriggerMetrics {
  /** Adds `value` (default 1) to the counter `name` of this invocation. */
  count(name: CounterName, value?: number): void;
}

/**
 * What the composition needs of a metrics writer: the part of Powertools' `Metrics` it calls. A Powertools
 * `Metrics` instance is one (pass yours as `options.metrics`); the toolkit's default is {@link EmfMetrics}.
 */
export interface MetricsWriter {
  /** Stores a Count until {@link MetricsWriter.publishStoredMetrics} (a single-metric writer writes it at once). */
  addMetric(name: string, unit: 'Count', value: number): unknown;
  addDimension(name: string, value: string): unknown;
  addDimensions(dimensions: Record<string, string>): unknown;
  hasStoredMetrics(): boolean;
  /** Writes the stored metrics as one EMF line, then clears them and the dimensions. */
  publishStoredMetrics(): void;
  /** A writer of its own that writes one line per `addMetric`, with the dimensions added before it. */
  singleMetric(): MetricsWriter;
}

/** Where {@link EmfMetrics} writes, and what it reads from the environment. */
export interface EmfMetricsOptions {
  /** `POWERTOOLS_METRICS_NAMESPACE`, else {@link DEFAULT_METRICS_NAMESPACE}. */
  readonly namespace?: string;
  /** The `service` dimension: `POWERTOOLS_SERVICE_NAME`, else {@link DEFAULT_SERVICE_NAME}. */
  readonly serviceName?: string;
  /** No line at all (Powertools' rule: `POWERTOOLS_METRICS_DISABLED`, else `POWERTOOLS_DEV`). */
  readonly disabled?: boolean;
  /** Writes one line (default: to stdout, where Lambda sends it to CloudWatch Logs). */
  readonly write?: (line: string) => void;
}

const TRUE_VALUES = new Set(['1', 'y', 'yes', 't', 'true', 'on']);
const isTrue = (value: string | undefined): boolean => TRUE_VALUES.has((value ?? '').trim().toLowerCase());
const writeToStdout = (line: string): void => {
  process.stdout.write(line);
};

/**
 * The toolkit's default metrics writer: the EMF lines Powertools Metrics writes for the toolkit's
 * fixed set of Counts (same namespace, `service` dimension, switches and line shape), in a few dozen
 * lines of its own. Powertools Metrics cost ~2 ms of every cold start here (its stores, validation and
 * console, compiled on first use), a fifth of what the toolkit may add over a hand-written trigger;
 * a Powertools `Metrics` passed as `options.metrics` is used as it is.
 *
 * @example
 * ```ts
 * const metrics = new EmfMetrics({ namespace: 'Accounts' });
 * metrics.addDimension('trigger', 'pre-sign-up');
 * metrics.addMetric('CacheHit', 'Count', 1);
 * metrics.publishStoredMetrics(); // {"_aws":{...},"service":"service_undefined","trigger":"pre-sign-up","CacheHit":1}
 * ```
 */
export class EmfMetrics implements MetricsWriter {
  readonly #namespace: string;
  readonly #service: string;
  /** Whether it writes nothing (see {@link EmfMetricsOptions.disabled}). */
  readonly disabled: boolean;
  readonly #write: (line: string) => void;
  readonly #single: boolean;
  #dimensions: Record<string, string> = {};
  #values = new Map<string, number | number[]>();

  constructor(options: EmfMetricsOptions = {}, single = false) {
    this.#namespace = options.namespace?.trim() || DEFAULT_METRICS_NAMESPACE;
    this.#service = options.serviceName?.trim() || DEFAULT_SERVICE_NAME;
    this.disabled = options.disabled === true;
    this.#write = options.write ?? writeToStdout;
    this.#single = single;
  }

  addMetric(name: string, _unit: 'Count', value: number): void {
    // As Powertools: a metric added again in the same line becomes a list of values (EMF takes either).
    const previous = this.#values.get(name);
    this.#values.set(
      name,
      previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value],
    );
    if (this.#single) this.publishStoredMetrics();
  }

  addDimension(name: string, value: string): void {
    // Powertools skips an empty name or value (CloudWatch refuses them), and so does this writer.
    if (name !== '' && value !== '') this.#dimensions[name] = value;
  }

  addDimensions(dimensions: Record<string, string>): void {
    for (const [name, value] of Object.entries(dimensions)) this.addDimension(name, value);
  }

  hasStoredMetrics(): boolean {
    return this.#values.size > 0;
  }

  publishStoredMetrics(): void {
    const values = this.#values;
    const dimensions = { service: this.#service, ...this.#dimensions };
    this.#values = new Map();
    this.#dimensions = {};
    if (this.disabled || values.size === 0) return;
    const line: Record<string, unknown> = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: this.#namespace,
            Dimensions: [Object.keys(dimensions)],
            Metrics: [...values.keys()].map((name) => ({ Name: name, Unit: 'Count' })),
          },
        ],
      },
      ...dimensions,
    };
    for (const [name, value] of values) line[name] = value;
    this.#write(`${JSON.stringify(line)}\n`);
  }

  singleMetric(): EmfMetrics {
    return new EmfMetrics(
      { namespace: this.#namespace, serviceName: this.#service, disabled: this.disabled, write: this.#write },
      true,
    );
  }
}

/**
 * {@link EmfMetrics} as the environment configures it, Powertools' variables and rules: namespace
 * `POWERTOOLS_METRICS_NAMESPACE` (default `CognitoTriggerKit`), service `POWERTOOLS_SERVICE_NAME`, off with
 * `POWERTOOLS_METRICS_DISABLED=true`, or with `POWERTOOLS_DEV=true` when that one is not set.
 *
 * @example
 * ```ts
 * createEmfMetrics({ POWERTOOLS_METRICS_NAMESPACE: 'Accounts' }).singleMetric().addMetric('Outcome', 'Count', 1);
 * ```
 */
export function createEmfMetrics(
  env: Readonly<Record<string, string | undefined>> = process.env,
): EmfMetrics {
  const disabledSetting = env.POWERTOOLS_METRICS_DISABLED;
  return new EmfMetrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE,
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    disabled: disabledSetting !== undefined ? isTrue(disabledSetting) : isTrue(env.POWERTOOLS_DEV),
  });
}

let shared: EmfMetrics | undefined;

/**
 * The toolkit's one metrics writer, made on first use (never at import) from `process.env`
 * (see {@link createEmfMetrics}).
 *
 * @example
 * ```ts
 * const handler = createTriggerHandler(definition, { metrics: sharedMetrics() });
 * ```
 */
export function sharedMetrics(): EmfMetrics {
  shared ??= createEmfMetrics(process.env);
  return shared;
}

/**
 * The counters of `metrics` as a trigger sees them: every counter is a Count, stored until the
 * composition publishes the invocation's metrics.
 *
 * @example
 * ```ts
 * countersOf(sharedMetrics()).count('CacheHit');
 * ```
 */
export function countersOf(metrics: MetricsWriter | Metrics): TriggerMetrics {
  return {
    count: (name, value = 1) => metrics.addMetric(name, 'Count', value),
  };
}
