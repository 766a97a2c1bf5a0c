import type { MiddlewareObj, Request } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { DeadlineExceededError, RejectionError, isRejection } from '../errors.js';
import { invocationStateOf, type InvocationOutcome } from './invocation-state.js';

/**
 * How a trigger answers when it cannot decide: a fail-closed trigger refuses (Cognito stops the flow
 * with `[TEMPORARY_FAILURE]`), a fail-open trigger returns the event unchanged (Cognito does its default).
 */
export type FailMode = 'closed' | 'open';

/** The answer of a trigger that could not decide, and the log line that says why. */
export function answerWithFallback(
  failMode: FailMode,
  originalEvent: unknown,
  fault: unknown,
  logger: Logger,
): { response: unknown } | { error: RejectionError } {
  const deadline = fault instanceof DeadlineExceededError;
  logger.error(
    deadline ? 'Deadline passed; answering with the fallback' : 'Trigger fault; answering with the fallback',
    {
      failMode,
      outcome: 'fallback',
      error: fault,
    },
  );
  if (failMode === 'open') return { response: originalEvent };
  return { error: new RejectionError('TEMPORARY_FAILURE', { cause: fault }) };
}

/** The outcome of a fallback answer for `fault`: the deadline, or any other fault. */
export function fallbackOutcome(fault: unknown): InvocationOutcome {
  return { outcome: 'fallback', cause: fault instanceof DeadlineExceededError ? 'deadline' : 'fault' };
}

/**
 * Maps the end of an invocation onto the contract: a rejection passes through with its message; any
 * other error is a fault, logged with its cause and answered by the trigger's declared fallback.
 *
 * @example
 * ```ts
 * middy(handler).use(fallbackMiddleware({ failMode: 'closed', logger }));
 * ```
 */
export function fallbackMiddleware(deps: {
  readonly failMode: FailMode;
  readonly logger: Logger;
}): MiddlewareObj<unknown, unknown, Error, Context> {
  const logOutcomeAfter = (request: Request<unknown, unknown, Error, Context>): void => {
    const state = invocationStateOf(request.context);
    const { startedAt } = state;
    state.outcome ??= { outcome: 'answered' };
    deps.logger.info('Trigger answered', { outcome: 'answered', durationMs: Date.now() - startedAt });
  };
  const answerErrorOnError = (request: Request<unknown, unknown, Error, Context>): void => {
    const error = request.error;
    const state = invocationStateOf(request.context);
    const { originalEvent, startedAt, failMode = deps.failMode } = state;
    if (isRejection(error) && error.code !== 'TEMPORARY_FAILURE') {
      state.outcome ??= { outcome: 'rejected', rejectionCode: error.code };
      deps.logger.info('Trigger rejected the request', {
        outcome: 'rejected',
        rejectionCode: error.code,
        durationMs: Date.now() - startedAt,
      });
      return;
    }
    state.outcome ??= fallbackOutcome(error);
    const answer = answerWithFallback(failMode, originalEvent, error, deps.logger);
    if ('response' in answer) {
      request.response = answer.response;
      request.error = null;
    } else {
      request.error = answer.error;
    }
  };
  return { after: logOutcomeAfter, onError: answerErrorOnError };
}
