import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { METRIC_NAMES, type MetricsWriter } from '../metrics.js';
import { invocationStateOf, type InvocationState } from './invocation-state.js';

/**
 * Writes an invocation's metrics as EMF lines: `Outcome` (dimensions trigger, outcome), `Rejection`
 * (trigger, code) for a rejection, `Fault` or `DeadlineHit` (trigger) for a fallback, and the counters
 * the trigger stored. Once per invocation: a second call (a late chain after the hard stop) does nothing.
 *
 * @example
 * ```ts
 * publishInvocationMetrics(metrics, 'pre-sign-up', invocationStateOf(context));
 * ```
 */
export function publishInvocationMetrics(
  metrics: MetricsWriter,
  trigger: string,
  state: InvocationState,
): void {
  if (state.metricsPublished === true) return;
  state.metricsPublished = true;
  const outcome = state.outcome ?? { outcome: 'fallback', cause: 'fault' };
  publishSingleLine(metrics, { trigger, outcome: outcome.outcome }, METRIC_NAMES.outcome);
  // The lines of a rejection or a fallback, apart: an answered invocation (a cold start) never compiles them.
  if (outcome.outcome !== 'answered') publishRejectionOrFault(metrics, trigger, outcome);
  if (metrics.hasStoredMetrics()) {
    metrics.addDimension('trigger', trigger);
    metrics.publishStoredMetrics();
  }
}

/** One metric on a line of its own, with `dimensions`. */
function publishSingleLine(metrics: MetricsWriter, dimensions: Record<string, string>, name: string): void {
  const line = singleLineOf(metrics);
  line.addDimensions(dimensions);
  // A single-metric instance publishes on addMetric, then clears its dimensions for the next line.
  line.addMetric(name, 'Count', 1);
}

/** The rejection line of a rejected invocation; the fault or deadline count of a fallback. */
function publishRejectionOrFault(
  metrics: MetricsWriter,
  trigger: string,
  outcome: NonNullable<InvocationState['outcome']>,
): void {
  if (outcome.outcome === 'rejected' && outcome.rejectionCode !== undefined) {
    publishSingleLine(metrics, { trigger, code: outcome.rejectionCode }, METRIC_NAMES.rejection);
  }
  if (outcome.outcome === 'fallback') {
    metrics.addMetric(
      outcome.cause === 'deadline' ? METRIC_NAMES.deadlineHit : METRIC_NAMES.fault,
      'Count',
      1,
    );
  }
}

// Powertools makes a new instance per singleMetric() (its console, its env reads): ~150 µs an invocation.
// One per writer, reused, writes the same lines; Lambda runs one invocation at a time per process.
const singleLines = new WeakMap<MetricsWriter, MetricsWriter>();
function singleLineOf(metrics: MetricsWriter): MetricsWriter {
  let line = singleLines.get(metrics);
  if (line === undefined) {
    line = metrics.singleMetric();
    singleLines.set(metrics, line);
  }
  return line;
}

/**
 * Publishes the invocation's metrics once its answer is decided, on the answered, rejected and fallback
 * paths alike; used outside the fallback middleware so that its `after`/`onError` run last.
 *
 * @example
 * ```ts
 * middy(handler).use(metricsMiddleware({ metrics, trigger: 'pre-sign-up' })).use(fallbackMiddleware(...));
 * ```
 */
export function metricsMiddleware(deps: {
  readonly metrics: MetricsWriter;
  readonly trigger: string;
}): MiddlewareObj<unknown, unknown, Error, Context> {
  const publish = (request: Request<unknown, unknown, Error, Context>): void =>
    publishInvocationMetrics(deps.metrics, deps.trigger, invocationStateOf(request.context));
  return { after: publish, onError: publish };
}
