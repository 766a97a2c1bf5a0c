// The ESM build, as the Logger's: the two share one copy of Powertools commons in a bundle (its CommonJS
// build, loaded on demand before, brought a second copy of commons and cost ~6 ms of cold start).
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The namespace when `POWERTOOLS_METRICS_NAMESPACE` is not set (the template sets it to the same). */
export const DEFAULT_METRICS_NAMESPACE = 'CognitoTriggerKit';

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

let shared: Metrics | undefined;

/**
 * The toolkit's one Powertools Metrics instance, made on first use (never at import). Namespace from
 * `POWERTOOLS_METRICS_NAMESPACE` (default `CognitoTriggerKit`), service from `POWERTOOLS_SERVICE_NAME`.
 *
 * @example
 * ```ts
 * const handler = createTriggerHandler(definition, { metrics: sharedMetrics() });
 * ```
 */
export function sharedMetrics(): Metrics {
  if (shared === undefined) {
    shared = new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE,
    });
  }
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
export function countersOf(metrics: Metrics): TriggerMetrics {
  return {
    count: (name, value = 1) => metrics.addMetric(name, 'Count', value),
  };
}
