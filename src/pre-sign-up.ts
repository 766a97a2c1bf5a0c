/**
 * `cognito-trigger-kit/pre-sign-up`: the PreSignUp trigger as a factory.
 *
 * @example
 * ```ts
 * import { createPreSignUpHandler } from 'cognito-trigger-kit/pre-sign-up';
 * export const handler = createPreSignUpHandler();
 * ```
 */
export { createPreSignUpHandler } from '../triggers/pre-sign-up/create-pre-sign-up-handler.js';
export type { PreSignUpHandlerOptions } from '../triggers/pre-sign-up/create-pre-sign-up-handler.js';
export type {
  EmailDomainLists,
  EmailDomainListSource,
} from '../shared/email-domain/email-domain-list-source.js';
