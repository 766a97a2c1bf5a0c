import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { createEnvReader, type Env } from './config.js';
import { startDeadline, type Deadline } from './deadline.js';
import { ConfigError, DeadlineExceededError } from './errors.js';
import { correlationMiddleware } from './middleware/correlation-middleware.js';
import { computeBudgetMs, type DeadlineSettings } from './middleware/deadline-budget.js';
import { eventShapeMiddleware } from './middleware/event-shape-middleware.js';
import {
  answerWithFallback,
  fallbackMiddleware,
  fallbackOutcome,
  type FailMode,
} from './middleware/fallback-middleware.js';
import { metricsMiddleware, publishInvocationMetrics } from './middleware/metrics-middleware.js';
import { countersOf, sharedMetrics, type TriggerMetrics } from './metrics.js';
import { createLogHashKeyLoader, createLogHashKeyReader, readLogHashKeyReference } from './log-hash-key.js';
import {
  attachInvocationState,
  invocationStateOf,
  type InvocationState,
} from './middleware/invocation-state.js';
import loadTracer from './load-tracer.cjs';
import {
  logger as sharedLogger,
  tracer as sharedTracer,
  tracerMiddleware as sharedTracerMiddleware,
} from './observability.js';

export type { FailMode } from './middleware/fallback-middleware.js';
export type { DeadlineSettings } from './middleware/deadline-budget.js';
export type { CounterName, TriggerMetrics } from './metrics.js';

/** What a trigger's `handle` receives besides the event. */
export interface TriggerContext {
  /** The invocation's budget: pass `deadline.signal` to every I/O. */
  readonly deadline: Deadline;
  /** The shared Powertools Logger, with this invocation's correlation keys. */
  readonly logger: Logger;
  /** Counters (stale serves, cache hits, ...) written with the invocation's metrics, inside its deadline. */
  readonly metrics: TriggerMetrics;
  /** The Lambda context as Lambda gave it. */
  readonly lambdaContext: Context;
}

/** A trigger: its name, its fallback, the trigger sources it accepts, and what it does. */
export interface TriggerDefinition<E> {
  /** Kebab-case trigger name, e.g. `pre-sign-up`; the `trigger` key of every log line. */
  readonly name: string;
  /** What Cognito gets when the trigger cannot decide (a fault or the deadline). */
  readonly failMode: FailMode;
  /** The exact trigger sources accepted, e.g. `['PreSignUp_SignUp']`; any other event is malformed (a fault). */
  readonly triggerSources: readonly string[];
  /** Decides and returns the event with its response set. Throw a `RejectionError` to refuse. */
  handle(event: E, context: TriggerContext): Promise<E>;
}

/** What `createTriggerHandler` takes besides the definition; everything is optional. */
export interface TriggerHandlerOptions {
  /** The deadline settings; by default read from `env` (`COGNITO_BUDGET_MS`, `DEADLINE_MARGIN_MS`). */
  readonly deadlineSettings?: DeadlineSettings;
  /** The environment the deadline settings are read from (default `process.env`). */
  readonly env?: Env;
  /** A Powertools Logger of your own (default: the toolkit's, with its redaction). */
  readonly logger?: Logger;
  /** A Powertools Tracer of your own; its handler middleware is used, responses never captured. */
  readonly tracer?: Tracer;
  /** A Powertools Metrics instance of your own (default: the toolkit's, made on first use; EMF on stdout). */
  readonly metrics?: Metrics;
}

/** A Lambda handler as Cognito calls it. */
export type TriggerHandler<E> = (event: E, context: Context) => Promise<E>;

/**
 * Reads `COGNITO_BUDGET_MS` (default 4500) and `DEADLINE_MARGIN_MS` (default 300) once.
 *
 * @example
 * ```ts
 * readDeadlineSettings({ COGNITO_BUDGET_MS: '3000' }); // { cognitoBudgetMs: 3000, marginMs: 300 }
 * ```
 */
export function readDeadlineSettings(env: Env = process.env): DeadlineSettings {
  const reader = createEnvReader(env);
  const cognitoBudgetMs = reader.number('COGNITO_BUDGET_MS', {
    default: 4500,
    min: 100,
    max: 30_000,
    integer: true,
  });
  const marginMs = reader.number('DEADLINE_MARGIN_MS', { default: 300, min: 0, max: 5_000, integer: true });
  if (marginMs >= cognitoBudgetMs)
    reader.problem('DEADLINE_MARGIN_MS', 'must be less than COGNITO_BUDGET_MS');
  reader.done();
  return Object.freeze({ cognitoBudgetMs, marginMs });
}

/**
 * Reads a trigger's configuration, the shared deadline settings and the log hash key reference together,
 * so a cold start with bad variables in several fails with one `ConfigError` that names every one of them.
 *
 * @example
 * ```ts
 * const { config, deadline } = readTriggerConfig(() => readPreSignUpConfig());
 * export const handler = createTriggerHandler({ ... }, deadline);
 * ```
 */
export function readTriggerConfig<C>(
  readConfig: () => C,
  env: Env = process.env,
): { config: C; deadline: DeadlineSettings } {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = attempt(readConfig);
  const deadline = attempt(() => readDeadlineSettings(env));
  // Read again by createTriggerHandler; checked here so that its problems join the others in one error.
  attempt(() => readLogHashKeyReference(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return { config: config as C, deadline: deadline as DeadlineSettings };
}

/**
 * The one composition every trigger runs in, in this order: Powertools Logger (context, correlation
 * keys, redaction), Tracer (responses never captured), Metrics (EMF, published once the answer is decided,
 * on every path), fallback mapping, event-shape check, and the Cognito deadline. No invocation outlives its budget: the handler is raced against the deadline, and
 * the whole chain against a hard stop half a margin later, whatever a dependency does.
 *
 * @example
 * ```ts
 * export const handler = createTriggerHandler<PreSignUpTriggerEvent>({
 *   name: 'pre-sign-up',
 *   failMode: 'closed',
 *   triggerSources: ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'],
 *   handle: async (event, { deadline }) => applySignUpDecision(event, await decide(event, deadline)),
 * }, { logger: myLogger });
 * ```
 */
export function createTriggerHandler<E>(
  definition: TriggerDefinition<E>,
  options: TriggerHandlerOptions = {},
): TriggerHandler<E> {
  const settings = options.deadlineSettings ?? readDeadlineSettings(options.env);
  const logger = options.logger ?? sharedLogger;
  const tracer = options.tracer ?? sharedTracer;
  const metrics = options.metrics ?? sharedMetrics();
  const logHashKeyReference = readLogHashKeyReference(options.env);
  const logHashKey =
    logHashKeyReference && createLogHashKeyLoader(createLogHashKeyReader(logHashKeyReference), logger);
  const counters = countersOf(metrics);
  const tracerMiddleware =
    options.tracer === undefined
      ? sharedTracerMiddleware
      : () => loadTracer().captureLambdaHandler(options.tracer as Tracer, { captureResponse: false });
  // The handler is raced against the deadline: whatever it awaits, its answer is dropped once the budget has run out.
  const runHandle = (event: E, context: Context): Promise<E> => {
    const { deadline } = invocationStateOf(context);
    return new Promise<E>((resolve, reject) => {
      deadline.onExpiry(() => reject(new DeadlineExceededError()));
      definition
        .handle(event, { deadline, logger, metrics: counters, lambdaContext: context })
        .then(resolve, reject);
    });
  };

  const chain = middy<unknown, unknown, Error, Context>({ timeoutEarlyInMillis: 0 }).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
  // Outside Lambda (tests, `npm run invoke`, SAM local) there is no tracer: nothing to wrap.
  if (tracerMiddleware !== undefined) chain.use(tracerMiddleware());
  chain
    .use(
      correlationMiddleware({ logger, tracer, trigger: definition.name, ...(logHashKey && { logHashKey }) }),
    )
    .use(metricsMiddleware({ metrics, trigger: definition.name }))
    .use(fallbackMiddleware({ failMode: definition.failMode, logger }))
    .use(eventShapeMiddleware({ triggerSources: definition.triggerSources }))
    .handler(runHandle as (event: unknown, context: Context) => Promise<unknown>);

  const graceMs = Math.floor(settings.marginMs / 2);
  return (event: E, context: Context): Promise<E> => {
    const startedAt = Date.now();
    const budgetMs = computeBudgetMs(settings, context?.getRemainingTimeInMillis?.());
    const deadline = startDeadline(budgetMs);
    // A copy per invocation carries its state, so concurrent invocations never share it.
    const invocationContext = { ...context } as Context;
    const originalEvent = definition.failMode === 'open' ? safeClone(event) : undefined;
    const state: InvocationState = { deadline, startedAt, originalEvent };
    attachInvocationState(invocationContext, state);

    return new Promise<E>((resolve, reject) => {
      let hardStop: NodeJS.Timeout | undefined;
      // The hard stop: once the deadline passes, the chain gets half the margin to answer with its own
      // fallback; past that this answers without it. Its timer exists only after the deadline has passed.
      deadline.onExpiry(() => {
        hardStop = setTimeout(() => {
          const fault = new DeadlineExceededError('Hard stop: the middleware chain did not settle');
          state.outcome = fallbackOutcome(fault);
          publishInvocationMetrics(metrics, definition.name, state);
          const answer = answerWithFallback(definition.failMode, originalEvent, fault, logger);
          if ('error' in answer) reject(answer.error);
          else resolve(answer.response as E);
        }, graceMs);
      });
      chain(event, invocationContext).then(
        (response) => {
          clearTimeout(hardStop);
          deadline.dispose();
          // The metrics middleware has published already; this covers a chain that failed around it.
          publishInvocationMetrics(metrics, definition.name, state);
          resolve(response as E);
        },
        (error: unknown) => {
          clearTimeout(hardStop);
          deadline.dispose();
          publishInvocationMetrics(metrics, definition.name, state);
          reject(error);
        },
      );
    });
  };
}

function safeClone(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
