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
import {
  computeBudgetMs,
  DEFAULT_DEADLINE_SETTINGS,
  type DeadlineSettings,
} from './middleware/deadline-budget.js';
import { eventShapeMiddleware } from './middleware/event-shape-middleware.js';
import {
  answerWithFallback,
  fallbackMiddleware,
  fallbackOutcome,
  type FailMode,
} from './middleware/fallback-middleware.js';
import {
  attachInvocationState,
  invocationStateOf,
  type InvocationState,
} from './middleware/invocation-state.js';
import { metricsMiddleware, publishInvocationMetrics } from './middleware/metrics-middleware.js';
import { countersOf, sharedMetrics, type MetricsWriter, type TriggerMetrics } from './metrics.js';
import { createLogHashKeyLoader, createLogHashKeyReader, readLogHashKeyReference } from './log-hash-key.js';
import type { LogHashKeyReference } from './log-hash-key-reference.js';
import {
  correlationSlotOf,
  createUsernameHasher,
  getDefaultLogger,
  resolveTracing,
  type UsernameHasher,
} from './observability.js';

export type { FailMode } from './middleware/fallback-middleware.js';
export type { DeadlineSettings } from './middleware/deadline-budget.js';
export type { CounterName, MetricsWriter, TriggerMetrics } from './metrics.js';

/** What a trigger's `handle` receives besides the event. */
export interface TriggerContext {
  /** The invocation's budget: pass `deadline.signal` to every I/O. */
  readonly deadline: Deadline;
  /** The handler's Powertools Logger, with this invocation's correlation keys. */
  readonly logger: Logger;
  /** The keyed hash of usernames the correlation keys use (`LOG_HASH_KEY`): log `hashUsername(name)`, never the name. */
  readonly hashUsername: UsernameHasher;
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
  /**
   * Optional: the fail mode of one event where it differs from `failMode` (CustomMessage fails closed on
   * the email-change sources). Read once per invocation, before anything else; if it throws, `failMode` applies.
   */
  readonly failModeFor?: (event: E) => FailMode;
  /** The exact trigger sources accepted, e.g. `['PreSignUp_SignUp']`; any other event is malformed (a fault). */
  readonly triggerSources: readonly string[];
  /** Decides and returns the event with its response set. Throw a `RejectionError` to refuse. */
  handle(event: E, context: TriggerContext): Promise<E>;
}

/** What `createTriggerHandler` takes besides the definition; everything is optional. */
export interface TriggerHandlerOptions {
  /** The deadline settings; by default read from `env` (`COGNITO_BUDGET_MS`, `DEADLINE_MARGIN_MS`). */
  readonly deadlineSettings?: DeadlineSettings;
  /**
   * The environment read when `createTriggerHandler` is called (default `process.env`): the deadline
   * settings, `LOG_HASH_KEY`, and whether the default Tracer traces here.
   */
  readonly env?: Env;
  /** A Powertools Logger of your own (default: the toolkit's, with its redaction, created on first use). */
  readonly logger?: Logger;
  /**
   * A Powertools Tracer of your own; its handler middleware is used, responses never captured. By
   * default the toolkit's Tracer, created only where it traces (in Lambda).
   */
  readonly tracer?: Tracer;
  /**
   * A Powertools Metrics instance of your own (default: the toolkit's EMF writer, made on first use, which
   * writes the same lines to stdout; see `EmfMetrics`).
   */
  readonly metrics?: Metrics | MetricsWriter;
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
    default: DEFAULT_DEADLINE_SETTINGS.cognitoBudgetMs,
    min: 100,
    max: 30_000,
    integer: true,
    doc: 'The Cognito budget per invocation in ms (Cognito waits 5 s)',
  });
  const marginMs = reader.number('DEADLINE_MARGIN_MS', {
    default: DEFAULT_DEADLINE_SETTINGS.marginMs,
    min: 0,
    max: 5_000,
    integer: true,
    doc: 'Kept back from the budget to answer with the fallback and flush logs; less than `COGNITO_BUDGET_MS`',
  });
  if (marginMs >= cognitoBudgetMs)
    reader.problem('DEADLINE_MARGIN_MS', 'must be less than COGNITO_BUDGET_MS');
  reader.done();
  return Object.freeze({ cognitoBudgetMs, marginMs });
}

/**
 * Reads a trigger's configuration, the shared deadline settings and the log hash key reference together,
 * so a cold start with bad variables in several fails with one `ConfigError` that names every one of them. The deadline
 * settings in force (`deadlineSettings` when given, else those read from `env`) are passed to
 * `readConfig`, for checks such as "the retries fit the budget"; `undefined` when they are invalid.
 *
 * @example
 * ```ts
 * const { config, deadline } = readTriggerConfig((settings) => readTenantClaimsConfig(env, settings), env);
 * return createTriggerHandler({ ... }, { deadlineSettings: deadline, env });
 * ```
 */
export function readTriggerConfig<C>(
  readConfig: (deadline: DeadlineSettings | undefined) => C,
  env: Env = process.env,
  deadlineSettings?: DeadlineSettings,
): { config: C; deadline: DeadlineSettings } {
  const { config, settings } = readTriggerConfigAndSettings(readConfig, env, deadlineSettings);
  return { config, deadline: settings.deadline };
}

/** The variables every trigger reads besides its own: the deadline settings and the log hash key reference. */
export interface SharedSettings {
  readonly deadline: DeadlineSettings;
  readonly logHashKeyReference: LogHashKeyReference | undefined;
}

/**
 * {@link readTriggerConfig} for the toolkit's own factories: the shared settings come back too, for
 * {@link createTriggerHandlerWithSettings}, so that a cold start reads and checks them once.
 *
 * @example
 * ```ts
 * const { config, settings } = readTriggerConfigAndSettings(() => readPreSignUpConfig(env), env);
 * return createTriggerHandlerWithSettings({ ... }, { env }, settings);
 * ```
 */
export function readTriggerConfigAndSettings<C>(
  readConfig: (deadline: DeadlineSettings | undefined) => C,
  env: Env = process.env,
  deadlineSettings?: DeadlineSettings,
): { config: C; settings: SharedSettings } {
  const { config, deadline, logHashKeyReference } = readConfigAndSharedSettings(
    readConfig,
    env,
    deadlineSettings,
  );
  return { config, settings: { deadline, logHashKeyReference } };
}

/**
 * {@link readTriggerConfig} plus the log hash key reference it checks, read together so that their problems
 * make one error.
 */
function readConfigAndSharedSettings<C>(
  readConfig: (deadline: DeadlineSettings | undefined) => C,
  env: Env,
  deadlineSettings: DeadlineSettings | undefined,
): {
  config: C;
  deadline: DeadlineSettings;
  logHashKeyReference: LogHashKeyReference | undefined;
} {
  const deadlineProblems: string[] = [];
  const configProblems: string[] = [];
  const attempt = <T>(read: () => T, problems: string[]): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const deadline = deadlineSettings ?? attempt(() => readDeadlineSettings(env), deadlineProblems);
  const config = attempt(() => readConfig(deadline), configProblems);
  // Checked with the others, so that its problems join theirs in one error.
  const sharedProblems: string[] = [];
  const logHashKeyReference = attempt(() => readLogHashKeyReference(env), sharedProblems);
  // The trigger's own variables first: they are what a reader of the error looks for.
  const problems = [...configProblems, ...deadlineProblems, ...sharedProblems];
  if (problems.length > 0) throw new ConfigError(problems);
  return { config: config as C, deadline: deadline as DeadlineSettings, logHashKeyReference };
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
  const env = options.env ?? process.env;
  // The shared variables, read together: a bad deadline setting and a bad key reference fail in one error.
  const { deadline, logHashKeyReference } = readConfigAndSharedSettings(
    () => undefined,
    env,
    options.deadlineSettings,
  );
  return createTriggerHandlerWithSettings(definition, options, { deadline, logHashKeyReference });
}

/**
 * {@link createTriggerHandler} with the shared settings its factory read already, with its config
 * ({@link readTriggerConfigAndSettings}), which already took `options.deadlineSettings` into account.
 *
 * @example
 * ```ts
 * const { config, settings } = readTriggerConfigAndSettings(() => readPreSignUpConfig(env), env);
 * return createTriggerHandlerWithSettings({ ... }, { env }, settings);
 * ```
 */
export function createTriggerHandlerWithSettings<E>(
  definition: TriggerDefinition<E>,
  options: TriggerHandlerOptions,
  shared: SharedSettings,
): TriggerHandler<E> {
  const env = options.env ?? process.env;
  const { deadline: settings, logHashKeyReference } = shared;
  const logger = options.logger ?? getDefaultLogger();
  const slot = correlationSlotOf(logger, env);
  const tracing = resolveTracing(env, options.tracer);
  const tracer = tracing?.tracer;
  const hashUsername = createUsernameHasher(env);
  const metrics: MetricsWriter = options.metrics ?? sharedMetrics();
  const counters = countersOf(metrics);
  const logHashKey =
    logHashKeyReference &&
    createLogHashKeyLoader(createLogHashKeyReader(logHashKeyReference), logger, hashUsername.useKey);
  // The handler is raced against the deadline: whatever it awaits, its answer is dropped once the budget has run out.
  const runHandle = (event: E, context: Context): Promise<E> => {
    const { deadline } = invocationStateOf(context);
    return new Promise<E>((resolve, reject) => {
      deadline.onExpiry(() => reject(new DeadlineExceededError()));
      definition
        .handle(event, { deadline, logger, hashUsername, metrics: counters, lambdaContext: context })
        .then(resolve, reject);
    });
  };

  const chain = middy<unknown, unknown, Error, Context>({ timeoutEarlyInMillis: 0 }).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
  // Outside Lambda (tests, `npm run invoke`, SAM local) there is no tracer: nothing to wrap.
  if (tracing !== undefined) chain.use(tracing.middleware());
  chain
    .use(
      correlationMiddleware({
        logger,
        tracer,
        hashUsername,
        trigger: definition.name,
        ...(logHashKey && { logHashKey }),
        ...(slot && { slot }),
      }),
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
    const failMode = failModeOf(definition, event);
    const originalEvent = failMode === 'open' ? safeClone(event) : undefined;
    const state: InvocationState = { deadline, startedAt, originalEvent, failMode };
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
          const answer = answerWithFallback(failMode, originalEvent, fault, logger);
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

function failModeOf<E>(definition: TriggerDefinition<E>, event: E): FailMode {
  if (definition.failModeFor === undefined) return definition.failMode;
  try {
    return definition.failModeFor(event) === 'closed' ? 'closed' : 'open';
  } catch {
    return definition.failMode;
  }
}

function safeClone(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
