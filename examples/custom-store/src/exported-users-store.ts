import type { LegacyUser, LegacyUserStore } from 'cognito-trigger-kit/user-migration';

/** One user as the old system exported them. */
export interface ExportedUser {
  readonly username: string;
  readonly bcrypt: string;
  readonly email: string;
  readonly locked?: boolean;
}

/**
 * A legacy store of our own: the old system's users, exported to JSON and bundled with the function.
 * Any store works the same way: implement `findUser` (and optionally `recordMigrated`).
 */
export function createExportedUsersStore(exported: readonly ExportedUser[]): LegacyUserStore {
  const users = new Map(exported.map((user) => [user.username, user]));
  return {
    async findUser(username: string): Promise<LegacyUser | undefined> {
      const user = users.get(username);
      if (user === undefined) return undefined;
      return {
        passwordHash: user.bcrypt,
        disabled: user.locked === true,
        attributes: { email: user.email, email_verified: 'true' },
      };
    },
  };
}
