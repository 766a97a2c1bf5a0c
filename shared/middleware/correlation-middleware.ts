import type { MiddlewareObj, Request } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import type { LogHashKeyLoader } from '../log-hash-key.js';
import type { ToolkitLogFormatter, UsernameHasher } from '../observability.js';
import { invocationStateOf } from './invocation-state.js';

/**
 * Adds the correlation keys to every log line of the invocation: trigger name, trigger source, user
 * pool id, app client id and the username as a keyed hash, computed off the handler's path (see
 * `deferredHash`; Powertools adds the request id). With a `slot` (the toolkit's own formatter, see
 * `correlationSlotOf`) they are set there and cleared after the invocation; otherwise they are the Logger's
 * temporary keys, which `injectLambdaContext({ resetKeys: true })` clears.
 *
 * @example
 * ```ts
 * middy(handler).use(injectLambdaContext(logger, { resetKeys: true })).use(correlationMiddleware({ logger, tracer, hashUsername, trigger: 'pre-sign-up' }));
 * ```
 */
export function correlationMiddleware(deps: {
  readonly logger: Logger;
  readonly tracer?: Tracer;
  /** The keyed username hash (see `createUsernameHasher`). */
  readonly hashUsername: UsernameHasher;
  readonly trigger: string;
  /** Reads the log hash key by reference before the first username is hashed (when one is configured). */
  readonly logHashKey?: LogHashKeyLoader;
  /** The formatter that writes the keys into the Logger's lines (`correlationSlotOf`); else `appendKeys`. */
  readonly slot?: ToolkitLogFormatter;
}): MiddlewareObj<unknown, unknown, Error, Context> {
  const { slot } = deps;
  const appendCorrelationKeysBefore = (request: { event: unknown }): void => {
    const event = (
      typeof request.event === 'object' && request.event !== null ? request.event : {}
    ) as Record<string, unknown>;
    const callerContext = (event.callerContext ?? {}) as Record<string, unknown>;
    const keys: Record<string, string> = { trigger: deps.trigger };
    if (typeof event.triggerSource === 'string') keys.trigger_source = event.triggerSource.slice(0, 64);
    if (typeof event.userPoolId === 'string') keys.user_pool_id = event.userPoolId.slice(0, 64);
    if (typeof callerContext.clientId === 'string') keys.client_id = callerContext.clientId.slice(0, 128);
    if (typeof event.userName === 'string') keys.user = deferredHash(deps.hashUsername, event.userName);
    if (slot === undefined) deps.logger.appendKeys(keys);
    else slot.correlationKeys = keys;
    if (keys.trigger_source !== undefined) deps.tracer?.putAnnotation('triggerSource', keys.trigger_source);
  };
  // The keys in a slot are cleared once the invocation has answered, on every path (no onError answers early).
  const clearKeys = (): void => {
    if (slot !== undefined) slot.correlationKeys = undefined;
  };
  const clear = slot === undefined ? {} : { after: clearKeys, onError: clearKeys };
  const { logHashKey } = deps;
  if (logHashKey === undefined) return { before: appendCorrelationKeysBefore, ...clear };
  // Only a function with a key reference pays for the await (once the key is in, ensure() returns at once).
  const loadHashKeyThenAppendKeysBefore = async (request: Request<unknown, unknown, Error, Context>) => {
    await logHashKey.ensure(invocationStateOf(request.context).deadline);
    appendCorrelationKeysBefore(request);
  };
  return { before: loadHashKeyThenAppendKeysBefore, ...clear };
}

/**
 * The username's hash as a log value, computed when a line first writes it or as soon as the event loop
 * turns, whichever comes first: the handler's first I/O (a query, a request) is then already on its way, and
 * the first HMAC of a process (~0.8 ms here, the crypto machinery's first use) runs while it waits instead of
 * before it. Only the process's first hash is scheduled: after it an HMAC costs ~1-2 µs, which the line that
 * writes it pays, where an immediate per invocation cost more than that and held the invocation's keys until
 * the loop turned. Every line gets the same string; only `JSON.stringify` sees the value, through `toJSON`.
 */
function deferredHash(hash: UsernameHasher, username: string): string {
  let value: string | undefined;
  const toJSON = (): string => (value ??= hash(username));
  if (!firstHashScheduled) {
    firstHashScheduled = true;
    setImmediate(toJSON);
  }
  return { toJSON } as unknown as string;
}

let firstHashScheduled = false;
