/**
 * `cognito-trigger-kit`: the shared middleware for a Cognito trigger of your own, and the errors and
 * types every trigger uses. The bundled triggers have their own entries (`cognito-trigger-kit/pre-sign-up`,
 * ...). Importing this module reads no variable and opens no connection.
 *
 * @example
 * ```ts
 * import { createTriggerHandler, RejectionError } from 'cognito-trigger-kit';
 * export const handler = createTriggerHandler<PostAuthenticationTriggerEvent>({
 *   name: 'post-authentication',
 *   failMode: 'open',
 *   triggerSources: ['PostAuthentication_Authentication'],
 *   handle: async (event, { logger }) => event,
 * });
 * ```
 */
export { createTriggerHandler } from '../shared/trigger-handler.js';
export { ConfigError, RejectionError } from '../shared/errors.js';
export type {
  DeadlineSettings,
  FailMode,
  TriggerContext,
  TriggerDefinition,
  TriggerHandler,
  TriggerHandlerOptions,
} from '../shared/trigger-handler.js';
export type { Deadline } from '../shared/deadline.js';
export type { RejectionCode, TriggerKitError } from '../shared/errors.js';
export type { Env } from '../shared/config.js';
export type { UsernameHasher } from '../shared/observability.js';
