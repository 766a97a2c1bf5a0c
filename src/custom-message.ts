/**
 * `cognito-trigger-kit/custom-message`: the CustomMessage trigger as a factory, and the template
 * catalog port.
 *
 * @example
 * ```ts
 * import { createCustomMessageHandler } from 'cognito-trigger-kit/custom-message';
 * export const handler = createCustomMessageHandler();
 * ```
 */
export { createCustomMessageHandler } from '../triggers/custom-message/create-custom-message-handler.js';
export type { CustomMessageHandlerOptions } from '../triggers/custom-message/create-custom-message-handler.js';
export type { TemplateCatalog } from '../triggers/custom-message/template-catalog.js';
export type {
  EmailDomainLists,
  EmailDomainListSource,
} from '../shared/email-domain/email-domain-list-source.js';
