import { ConfigError } from '../../../shared/errors.js';
import type { HashingConfig } from '../config.js';
import type { PasswordVerifier } from '../decide-migration.js';
import { createStoreFollowingDummy } from './dummy-calibration.js';
import {
  createDummyHash,
  detectHashScheme,
  inspectLegacyHash,
  verifyLegacyPassword,
} from './verify-legacy-password.js';

/**
 * The default dummy: a bcrypt hash (cost 12, the default scheme and cost) of a random password that
 * was thrown away, so no cold start spends ~250 ms making one. It is only ever verified against, and an
 * unknown user is refused whatever that verification says. Made with Debian's python3-bcrypt:
 * `python3 -c "import bcrypt,secrets; print(bcrypt.hashpw(secrets.token_bytes(32).hex().encode(), bcrypt.gensalt(12)).decode())"`
 */
export const DEFAULT_DUMMY_HASH = '$2b$12$pcA.CHc3n3.JtXB3unWCEuuCQVXl5OtHHhWxZsT3KQu9s5nJdTHCK';
const DEFAULT_DUMMY_COST = 12;

/**
 * The {@link PasswordVerifier} over the toolkit's password module. The dummy hash (for unknown users)
 * is `LEGACY_DUMMY_HASH` when set, else made once per container in `LEGACY_HASH_SCHEME` at
 * `LEGACY_HASH_COST` when either is set. With none of the three set, it follows the store: the real hash
 * of the parameter set most distinct verified users have (see `dummy-calibration.ts`), and
 * {@link DEFAULT_DUMMY_HASH} (bcrypt cost 12) until the container has verified a real user.
 */
export function createLegacyPasswordVerifier(hashing: HashingConfig): PasswordVerifier {
  if (hashing.dummyHash !== undefined && detectHashScheme(hashing.dummyHash) === undefined) {
    throw new ConfigError(['LEGACY_DUMMY_HASH: is not a hash format the toolkit verifies']);
  }
  let dummy: Promise<string> | undefined;
  const following =
    hashing.dummyFollowsStore === true
      ? createStoreFollowingDummy({ inspect: inspectLegacyHash })
      : undefined;
  return {
    verify: (password, storedHash, options) =>
      verifyLegacyPassword(password, storedHash, undefined, { budgetMs: options?.budgetMs }),
    observe:
      following === undefined ? undefined : (username, storedHash) => following.observe(username, storedHash),
    dummyHash() {
      const seen = following?.current();
      if (seen !== undefined) return Promise.resolve(seen);
      const pending = (dummy ??=
        hashing.dummyHash !== undefined
          ? Promise.resolve(hashing.dummyHash)
          : hashing.dummyScheme === 'bcrypt' &&
              (hashing.dummyCost ?? DEFAULT_DUMMY_COST) === DEFAULT_DUMMY_COST
            ? Promise.resolve(DEFAULT_DUMMY_HASH)
            : createDummyHash(
                hashing.dummyScheme,
                hashing.dummyCost === undefined ? {} : { cost: hashing.dummyCost },
              ));
      pending.catch(() => {
        if (dummy === pending) dummy = undefined;
      });
      return pending;
    },
  };
}
