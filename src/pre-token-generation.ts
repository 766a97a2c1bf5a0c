/**
 * `cognito-trigger-kit/pre-token-generation`: the PreTokenGeneration trigger (V1, V2, V3 events) as a
 * factory, and the tenant directory port.
 *
 * @example
 * ```ts
 * import { createPreTokenGenerationHandler } from 'cognito-trigger-kit/pre-token-generation';
 * export const handler = createPreTokenGenerationHandler();
 * ```
 */
export { createPreTokenGenerationHandler } from '../triggers/pre-token-generation/create-pre-token-generation-handler.js';
export type {
  PreTokenGenerationEvent,
  PreTokenGenerationHandlerOptions,
} from '../triggers/pre-token-generation/create-pre-token-generation-handler.js';
export type {
  Tenant,
  TenantDirectory,
  TenantLookup,
  TenantMembership,
  TenantPrincipal,
} from '../triggers/pre-token-generation/directory/tenant-directory.js';
// The provisioning port of ON_MISSING_TENANT=provision (the same as PostConfirmation's).
export type {
  GrantResult,
  TenantProvisioningStore,
} from '../shared/tenant-provisioning/provisioning-store.js';
export type { DomainRule, MembershipGrant } from '../shared/tenant-provisioning/decide-provisioning.js';
