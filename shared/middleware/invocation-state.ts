import type { Context } from 'aws-lambda';
import type { InvocationDeadline } from '../deadline.js';

/** What one invocation carries through the middleware: its deadline and, for fail-open triggers, the untouched event. */
export interface InvocationState {
  readonly deadline: InvocationDeadline;
  readonly startedAt: number;
  /** A copy of the event as it arrived, returned unchanged when a fail-open trigger falls back. */
  readonly originalEvent: unknown;
}

// Keyed by the per-invocation context copy the composition makes, so concurrent invocations never share state.
const states = new WeakMap<object, InvocationState>();

export function attachInvocationState(context: Context, state: InvocationState): void {
  states.set(context, state);
}

export function invocationStateOf(context: Context): InvocationState {
  const state = states.get(context);
  if (state === undefined)
    throw new Error('No invocation state: the handler was not called through createTriggerHandler');
  return state;
}
