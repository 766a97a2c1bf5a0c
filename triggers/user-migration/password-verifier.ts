import { ConfigError } from '../../shared/errors.js';
import type { HashingConfig } from './config.js';
import type { PasswordVerifier } from './decide-migration.js';
import {
  createDummyHash,
  detectHashScheme,
  verifyLegacyPassword,
} from './password/verify-legacy-password.js';

/**
 * The {@link PasswordVerifier} over the toolkit's password module. The dummy hash (for unknown users)
 * is `LEGACY_DUMMY_HASH` when set, else made once per container in `LEGACY_HASH_SCHEME` at
 * `LEGACY_HASH_COST`.
 */
export function createLegacyPasswordVerifier(hashing: HashingConfig): PasswordVerifier {
  if (hashing.dummyHash !== undefined && detectHashScheme(hashing.dummyHash) === undefined) {
    throw new ConfigError(['LEGACY_DUMMY_HASH: is not a hash format the toolkit verifies']);
  }
  let dummy: Promise<string> | undefined;
  return {
    verify: (password, storedHash) => verifyLegacyPassword(password, storedHash),
    dummyHash() {
      const pending = (dummy ??=
        hashing.dummyHash !== undefined
          ? Promise.resolve(hashing.dummyHash)
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
