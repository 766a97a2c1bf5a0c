import type { Context } from 'aws-lambda';
import type { InvocationDeadline } from '../deadline.js';
import { InvocationStateError } from '../errors.js';
import type { FailMode } from './fallback-middleware.js';
import type { Outcome } from '../metrics.js';

/** How the invocation ended, recorded once by whoever answered (the fallback middleware or the hard stop). */
export interface InvocationOutcome {
  readonly outcome: Outcome;
  /** The rejection's code, for `rejected`. */
  readonly rejectionCode?: string;
  /** Why a fallback answered: a fault, or the deadline. */
  readonly cause?: 'fault' | 'deadline';
}

/** What one invocation carries through the middleware: its deadline and, for fail-open triggers, the untouched event. */
export interface InvocationState {
  readonly deadline: InvocationDeadline;
  readonly startedAt: number;
  /** A copy of the event as it arrived, returned unchanged when a fail-open trigger falls back. */
  readonly originalEvent: unknown;
  /** This invocation's fail mode, when the trigger's differs by event (see `TriggerDefinition.failModeFor`). */
  readonly failMode?: FailMode;
  /** Set when the invocation's answer is decided; read when its metrics are published. */
  outcome?: InvocationOutcome;
  /** True once the invocation's metrics are out, so the hard stop and a late chain never both publish. */
  metricsPublished?: boolean;
}

// Kept on the per-invocation copy of the context that the composition makes, under a symbol no one
// else knows: concurrent invocations never share it, and it goes when the copy goes (no WeakMap churn).
const STATE = Symbol('cognito-trigger-kit.invocation-state');

type ContextWithState = Context & { [STATE]?: InvocationState };

export function attachInvocationState(context: Context, state: InvocationState): void {
  (context as ContextWithState)[STATE] = state;
}

export function invocationStateOf(context: Context): InvocationState {
  const state = (context as ContextWithState)[STATE];
  if (state === undefined)
    throw new InvocationStateError(
      'No invocation state: the handler was not called through createTriggerHandler',
    );
  return state;
}
