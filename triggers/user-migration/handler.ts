import { createUserMigrationHandler } from './create-user-migration-handler.js';

/**
 * The UserMigration trigger (`UserMigrationFunction`): lazy migration from the legacy store that
 * `LEGACY_STORE` names. For a custom store, write your own entry with `createUserMigrationHandler({ store })`.
 */
export const handler = createUserMigrationHandler();
