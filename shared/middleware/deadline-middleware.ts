import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { invocationStateOf } from './invocation-state.js';

/**
 * The Cognito budget in milliseconds. Cognito waits 5 s per attempt whatever the Lambda timeout says,
 * so an invocation gets the lesser of the Lambda's remaining time and `cognitoBudgetMs`, less a margin.
 */
export interface DeadlineSettings {
  /** Cognito's wait, less what the network needs (default 4,500 ms). */
  readonly cognitoBudgetMs: number;
  /** Kept back to answer with the fallback and flush logs (default 300 ms). */
  readonly marginMs: number;
}

/**
 * The budget of one invocation in milliseconds: `min(lambdaRemainingMs, cognitoBudgetMs) - marginMs`.
 *
 * @example
 * ```ts
 * computeBudgetMs({ cognitoBudgetMs: 4500, marginMs: 300 }, 3000); // 2700
 * ```
 */
export function computeBudgetMs(settings: DeadlineSettings, lambdaRemainingMs?: number): number {
  const remaining =
    typeof lambdaRemainingMs === 'number' && Number.isFinite(lambdaRemainingMs)
      ? lambdaRemainingMs
      : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(remaining, settings.cognitoBudgetMs) - settings.marginMs);
}

/**
 * Releases the invocation's deadline timer when the invocation ends, however it ends. The deadline
 * itself is started by the composition before any middleware runs, so it counts from the start of
 * the invocation, and the base handler is raced against it there.
 *
 * @example
 * ```ts
 * middy(handler).use(deadlineMiddleware());
 * ```
 */
export function deadlineMiddleware(): MiddlewareObj<unknown, unknown, Error, Context> {
  const releaseDeadline = (request: Request<unknown, unknown, Error, Context>): void => {
    invocationStateOf(request.context).deadline.dispose();
  };
  return { after: releaseDeadline, onError: releaseDeadline };
}
