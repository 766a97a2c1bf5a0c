import { createUserMigrationHandler } from 'cognito-trigger-kit/user-migration';
import exportedUsers from '../legacy-users.json' with { type: 'json' };
import { createExportedUsersStore } from './exported-users-store.js';

// The cold start: the store is built and the configuration read once, here.
export const handler = createUserMigrationHandler({ store: createExportedUsersStore(exportedUsers) });
