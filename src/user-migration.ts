/**
 * `cognito-trigger-kit/user-migration`: the UserMigration trigger as a factory, the legacy store port
 * and the legacy password verification.
 *
 * @example
 * ```ts
 * import { createUserMigrationHandler, type LegacyUserStore } from 'cognito-trigger-kit/user-migration';
 * export const handler = createUserMigrationHandler({ store: myLegacyStore });
 * ```
 */
export { createUserMigrationHandler } from '../triggers/user-migration/create-user-migration-handler.js';
export { verifyLegacyPassword } from '../triggers/user-migration/password/verify-legacy-password.js';
export type { UserMigrationHandlerOptions } from '../triggers/user-migration/create-user-migration-handler.js';
export type { LegacyUser, LegacyUserStore } from '../triggers/user-migration/stores/legacy-user-store.js';
export type { PasswordCheck, PasswordVerifier } from '../triggers/user-migration/decide-migration.js';
export type {
  HashScheme,
  VerifyFailureReason,
  VerifyResult,
} from '../triggers/user-migration/password/verify-legacy-password.js';
export type { LegacyStoreError } from '../triggers/user-migration/errors.js';
