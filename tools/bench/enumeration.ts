/**
 * `npm run bench` section "enumeration": does an unknown username answer as fast as a wrong password?
 * Each goes through the real core (`decideMigration`) and the real password verifier, with an in-memory
 * store holding one bcrypt cost-10 user (the common WordPress/PHP cost) and one with an unsupported hash:
 * with the dummy configured at that cost, and with nothing configured (the dummy follows the store).
 */
import { randomBytes } from 'node:crypto';
import { NO_DEADLINE } from '../../shared/deadline.js';
import {
  decideMigration,
  type MigrationDependencies,
} from '../../triggers/user-migration/decide-migration.js';
import { createLegacyPasswordVerifier } from '../../triggers/user-migration/password/password-verifier.js';
import { COGNITO_DEFAULT_POLICY } from '../../triggers/user-migration/password/password-policy.js';
import { createDummyHash } from '../../triggers/user-migration/password/verify-legacy-password.js';
import { measureInterleaved } from './measure.js';
import type { BenchRow } from './types.js';

const COST = 10;
const ROUNDS = { rounds: 15, opsPerRound: 1, warmupRounds: 2 };
const GOAL = '0.9–1.1×';

function ratioRow(name: string, measured: number, baseline: number, note: string): BenchRow {
  const ratio = measured / baseline;
  return {
    group: 'user enumeration',
    name,
    measured,
    baseline,
    unit: 'ms/op',
    ratio,
    goal: GOAL,
    met: ratio >= 0.9 && ratio <= 1.1,
    note,
  };
}

function storeWith(storedHash: string): MigrationDependencies['store'] {
  return {
    findUser: async (username) =>
      username === 'known'
        ? { passwordHash: storedHash, disabled: false, attributes: { email: 'k@example.com' } }
        : username === 'odd'
          ? // A hash format no module verifies: refused before any hashing, then paid for with the dummy.
            {
              passwordHash: '$md5-crypt-of-some-app$abcdef',
              disabled: false,
              attributes: { email: 'o@example.com' },
            }
          : undefined,
  };
}

export async function benchEnumerationTiming(): Promise<BenchRow[]> {
  // The stored user's hash is one the toolkit did not make for this purpose: a fresh random password.
  const storedHash = await createDummyHash('bcrypt', { cost: COST });
  const password = `Wrong-${randomBytes(6).toString('hex')}!`;
  const signIn = (deps: MigrationDependencies, username: string) => () =>
    decideMigration({ source: 'authentication', username, password }, deps, NO_DEADLINE.signal);

  // Configured: LEGACY_HASH_SCHEME=bcrypt, LEGACY_HASH_COST=10.
  const configured: MigrationDependencies = {
    store: storeWith(storedHash),
    verifier: createLegacyPasswordVerifier({ dummyScheme: 'bcrypt', dummyCost: COST }),
    policy: COGNITO_DEFAULT_POLICY,
  };
  await configured.verifier.dummyHash();
  const medians = await measureInterleaved(
    {
      unknownUser: signIn(configured, 'unknown'),
      wrongPassword: signIn(configured, 'known'),
      unsupportedHash: signIn(configured, 'odd'),
    },
    ROUNDS,
  );

  // Defaults: nothing configured, the store's cost (10) is not the default dummy's (12). The container
  // has seen one real hash (the warm-up's sign-in of the known user) before the rounds begin.
  const defaults: MigrationDependencies = {
    store: storeWith(storedHash),
    verifier: createLegacyPasswordVerifier({ dummyScheme: 'bcrypt', dummyFollowsStore: true }),
    policy: COGNITO_DEFAULT_POLICY,
  };
  await signIn(defaults, 'known')();
  const atDefaults = await measureInterleaved(
    { unknownUser: signIn(defaults, 'unknown'), wrongPassword: signIn(defaults, 'known') },
    ROUNDS,
  );

  const wrong = medians.wrongPassword ?? Number.NaN;
  return [
    ratioRow(
      `unknown user vs wrong password (bcrypt cost ${COST}, core + real verifier)`,
      medians.unknownUser ?? Number.NaN,
      wrong,
      'median of 15 interleaved rounds; LEGACY_HASH_COST=10: the unknown user is verified against a dummy of the same cost',
    ),
    ratioRow(
      `unsupported stored hash vs wrong password (bcrypt cost ${COST}, core + real verifier)`,
      medians.unsupportedHash ?? Number.NaN,
      wrong,
      'median of 15 interleaved rounds; a hash refused before hashing pays for a dummy verification',
    ),
    ratioRow(
      `unknown vs wrong password at defaults, store cost ${COST} ≠ default cost 12`,
      atDefaults.unknownUser ?? Number.NaN,
      atDefaults.wrongPassword ?? Number.NaN,
      'median of 15 interleaved rounds; nothing configured: the dummy follows the real hash the container has seen',
    ),
  ];
}
