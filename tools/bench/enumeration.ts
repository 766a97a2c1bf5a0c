/**
 * `npm run bench` section "enumeration": does an unknown username answer as fast as a wrong password?
 * Both go through the real core (`decideMigration`) and the real password verifier, with an in-memory
 * store holding one bcrypt cost-10 user (the common WordPress/PHP cost), and the dummy made at that cost.
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

export async function benchEnumerationTiming(): Promise<BenchRow[]> {
  // The stored user's hash is one the toolkit did not make for this purpose: a fresh random password.
  const storedHash = await createDummyHash('bcrypt', { cost: COST });
  const deps: MigrationDependencies = {
    store: {
      findUser: async (username) =>
        username === 'known'
          ? { passwordHash: storedHash, disabled: false, attributes: { email: 'k@example.com' } }
          : undefined,
    },
    verifier: createLegacyPasswordVerifier({ dummyScheme: 'bcrypt', dummyCost: COST }),
    policy: COGNITO_DEFAULT_POLICY,
  };
  await deps.verifier.dummyHash();
  const password = `Wrong-${randomBytes(6).toString('hex')}!`;

  const medians = await measureInterleaved(
    {
      unknownUser: () =>
        decideMigration(
          { source: 'authentication', username: 'unknown', password },
          deps,
          NO_DEADLINE.signal,
        ),
      wrongPassword: () =>
        decideMigration({ source: 'authentication', username: 'known', password }, deps, NO_DEADLINE.signal),
    },
    { rounds: 15, opsPerRound: 1, warmupRounds: 2 },
  );
  const measured = medians.unknownUser ?? Number.NaN;
  const baseline = medians.wrongPassword ?? Number.NaN;
  const ratio = measured / baseline;
  return [
    {
      group: 'user enumeration',
      name: `unknown user vs wrong password (bcrypt cost ${COST}, core + real verifier)`,
      measured,
      baseline,
      unit: 'ms/op',
      ratio,
      goal: '0.9–1.1×',
      met: ratio >= 0.9 && ratio <= 1.1,
      note: 'median of 15 interleaved rounds; the unknown user is verified against a dummy hash of the same cost',
    },
  ];
}
