/**
 * `cognito-trigger-kit/post-confirmation`: the PostConfirmation trigger (tenant provisioning from
 * email-domain rules, optional groups; fail-open) as a factory, and its ports.
 *
 * @example
 * ```ts
 * import { createPostConfirmationHandler } from 'cognito-trigger-kit/post-confirmation';
 * export const handler = createPostConfirmationHandler();
 * ```
 */
export { createPostConfirmationHandler } from '../triggers/post-confirmation/create-post-confirmation-handler.js';
export type {
  DomainRule,
  GrantResult,
  GroupTarget,
  MembershipGrant,
  PostConfirmationHandlerOptions,
  ProvisioningOutcome,
  TenantProvisioningStore,
  UserGroups,
} from '../triggers/post-confirmation/create-post-confirmation-handler.js';
