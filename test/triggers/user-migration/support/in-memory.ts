import type {
  PasswordCheck,
  PasswordVerifier,
} from '../../../../triggers/user-migration/decide-migration.js';
import type {
  LegacyUser,
  LegacyUserStore,
} from '../../../../triggers/user-migration/stores/legacy-user-store.js';

/** A legacy store in a Map, recording what was asked of it. */
export function createInMemoryStore(users: Record<string, LegacyUser>): LegacyUserStore & {
  readonly lookups: string[];
  readonly recorded: string[];
} {
  const lookups: string[] = [];
  const recorded: string[] = [];
  return {
    lookups,
    recorded,
    async findUser(username) {
      lookups.push(username);
      return users[username];
    },
    async recordMigrated(username) {
      if (!recorded.includes(username)) recorded.push(username);
    },
  };
}

export const FAKE_DUMMY_HASH = 'fake$dummy-of-a-random-secret';

/**
 * A verifier for stored hashes of the form `fake$<password>`; records every (password, hash) pair so
 * tests can see that unknown users were checked against the dummy too.
 */
export function createFakeVerifier(): PasswordVerifier & { readonly calls: [string, string][] } {
  const calls: [string, string][] = [];
  return {
    calls,
    async verify(password, storedHash): Promise<PasswordCheck> {
      calls.push([password, storedHash]);
      if (!storedHash.startsWith('fake$')) return { ok: false, reason: 'unsupported' };
      return storedHash === `fake$${password}`
        ? { ok: true, scheme: 'fake' }
        : { ok: false, scheme: 'fake', reason: 'mismatch' };
    },
    async dummyHash() {
      return FAKE_DUMMY_HASH;
    },
  };
}
