import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { MalformedEventError } from '../errors.js';

export { MalformedEventError } from '../errors.js';

/**
 * Refuses an event that is not a Cognito trigger event of this family, before any work. Checks only
 * what every trigger uses (tolerant parsing: unknown fields are fine).
 *
 * @example
 * ```ts
 * middy(handler).use(eventShapeMiddleware({ triggerSources: ['PreSignUp_SignUp'] }));
 * ```
 */
export function eventShapeMiddleware(options: {
  readonly triggerSources: readonly string[];
}): MiddlewareObj<unknown, unknown, Error, Context> {
  const accepted = new Set(options.triggerSources);
  const checkEventShapeBefore = (request: { event: unknown }): void => {
    const event = request.event as Record<string, unknown> | null;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new MalformedEventError('The event is not an object');
    }
    const source = event.triggerSource;
    // Exact membership, never a prefix: `TokenGeneration_Bogus` is not a token event.
    if (typeof source !== 'string' || !accepted.has(source)) {
      throw new MalformedEventError(unexpectedSourceMessage(source));
    }
    if (typeof event.request !== 'object' || event.request === null) {
      throw new MalformedEventError('The event has no request object');
    }
    if (event.response === undefined || event.response === null) event.response = {};
    if (typeof event.response !== 'object')
      throw new MalformedEventError('The event response is not an object');
  };
  return { before: checkEventShapeBefore };
}

// Apart from the check, which a cold start compiles: only a malformed event needs its message built.
function unexpectedSourceMessage(source: unknown): string {
  return `Unexpected triggerSource ${JSON.stringify(typeof source === 'string' ? source.slice(0, 64) : typeof source)}`;
}
