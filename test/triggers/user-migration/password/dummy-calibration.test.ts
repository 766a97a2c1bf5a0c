import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createStoreFollowingDummy,
  describeParameterSet,
} from '../../../../triggers/user-migration/password/dummy-calibration.js';
import { inspectLegacyHash } from '../../../../triggers/user-migration/password/verify-legacy-password.js';

// Shapes only: the tracker reads parameters, it never verifies. Salts and checksums are arbitrary.
const bcrypt = (cost: number, tag = 'a'): string =>
  `$2b$${String(cost).padStart(2, '0')}$${tag.repeat(22).slice(0, 22)}${'b'.repeat(31)}`;

describe('createStoreFollowingDummy', () => {
  it('has no dummy before any real hash was seen (the configured default applies)', () => {
    expect(createStoreFollowingDummy({ inspect: inspectLegacyHash }).current()).toBeUndefined();
  });

  it('follows the first real hash it is shown', () => {
    const dummy = createStoreFollowingDummy({ inspect: inspectLegacyHash });

    dummy.observe('alice', bcrypt(10));

    expect(dummy.current()).toBe(bcrypt(10));
  });

  it('lets two real users outvote one row at a cheaper cost that came first', () => {
    const dummy = createStoreFollowingDummy({ inspect: inspectLegacyHash });

    dummy.observe('mallory', bcrypt(4));
    dummy.observe('alice', bcrypt(10, 'c'));
    expect(dummy.current()).toBe(bcrypt(4));
    dummy.observe('bob', bcrypt(10, 'd'));

    expect(inspectLegacyHash(dummy.current()!)?.params).toEqual({ bcryptCost: 10 });
  });

  it('counts a user who signs in again once', () => {
    const dummy = createStoreFollowingDummy({ inspect: inspectLegacyHash });

    dummy.observe('alice', bcrypt(10));
    for (let attempt = 0; attempt < 20; attempt += 1) dummy.observe('mallory', bcrypt(4));

    expect(dummy.current()).toBe(bcrypt(10));
  });

  it('ignores what it cannot read', () => {
    const dummy = createStoreFollowingDummy({ inspect: inspectLegacyHash });

    dummy.observe('alice', 'not a hash');

    expect(dummy.current()).toBeUndefined();
  });

  it('names a parameter set the same whatever order its fields come in', () => {
    expect(describeParameterSet('argon2id', { argon2Time: 3, argon2MemoryKiB: 65536 })).toBe(
      describeParameterSet('argon2id', { argon2MemoryKiB: 65536, argon2Time: 3 }),
    );
  });

  it('follows the set with the most distinct users whatever the order of sign-ins (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (hostile, real, seed) => {
          fc.pre(real > hostile);
          const events = [
            ...Array.from({ length: hostile }, (_, i) => [`mallory${i}`, bcrypt(4)] as const),
            ...Array.from({ length: real }, (_, i) => [`user${i}`, bcrypt(10)] as const),
          ];
          // A deterministic shuffle from the seed.
          const order = events
            .map((event, i) => ({ event, key: (seed * (i + 7919)) % 104729 }))
            .sort((a, b) => a.key - b.key);
          const dummy = createStoreFollowingDummy({ inspect: inspectLegacyHash });
          for (const { event } of order) dummy.observe(event[0], event[1]);
          expect(dummy.current()).toBe(bcrypt(10));
        },
      ),
      { numRuns: 300 },
    );
  });
});
