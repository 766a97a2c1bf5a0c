// The Lambda entry point (template.yaml Handler: index.handler); the wiring lives in handler.ts.
export { handler } from './handler.js';
// The factory and its public types (side-effect free in create-post-confirmation-handler.ts).
export {
  createPostConfirmationHandler,
  type PostConfirmationHandlerOptions,
  type TenantProvisioningStore,
  type DomainRule,
  type MembershipGrant,
  type ProvisioningOutcome,
  type GroupTarget,
  type UserGroups,
} from './create-post-confirmation-handler.js';
