import { describe, expect, it } from 'vitest';
import { createLegacyPasswordVerifier } from '../../../../triggers/user-migration/password/password-verifier.js';
import { inspectLegacyHash } from '../../../../triggers/user-migration/password/verify-legacy-password.js';

describe('createLegacyPasswordVerifier: the dummy hash for unknown users', () => {
  it('serves a ready-made bcrypt hash at cost 12 for the default scheme, with no work at cold start', async () => {
    const verifier = createLegacyPasswordVerifier({ dummyScheme: 'bcrypt' });

    const dummy = await verifier.dummyHash();

    expect(inspectLegacyHash(dummy)).toEqual({ scheme: 'bcrypt', params: { bcryptCost: 12 } });
    expect(await verifier.dummyHash()).toBe(dummy);
  });

  it.each([
    [
      'bcrypt at another cost',
      { dummyScheme: 'bcrypt', dummyCost: 4 },
      { scheme: 'bcrypt', params: { bcryptCost: 4 } },
    ],
    ['phpass', { dummyScheme: 'phpass', dummyCost: 8 }, { scheme: 'phpass' }],
  ] as const)('makes a dummy of %s when configured', async (_name, hashing, expected) => {
    const verifier = createLegacyPasswordVerifier(hashing);

    const dummy = await verifier.dummyHash();

    expect(inspectLegacyHash(dummy)).toMatchObject(expected);
  });

  it('uses LEGACY_DUMMY_HASH as given', async () => {
    const own = '$2b$04$ogfXHQdDE5eE3M7Gl2ETxOhWU6aXZbO3s1WtX6hlwMbnF1gH4y6lq';
    const verifier = createLegacyPasswordVerifier({ dummyScheme: 'bcrypt', dummyHash: own });

    expect(await verifier.dummyHash()).toBe(own);
  });

  it('never verifies a password against the default dummy it was not made from', async () => {
    const verifier = createLegacyPasswordVerifier({ dummyScheme: 'bcrypt' });

    const result = await verifier.verify('correct horse battery staple', await verifier.dummyHash());

    expect(result.ok).toBe(false);
  });
});

describe('createLegacyPasswordVerifier: the dummy follows the store when nothing is configured', () => {
  // The bcrypt cost-4 hash of the LEGACY_DUMMY_HASH case above: a store cost ≠ the default 12.
  const STORE_HASH = '$2b$04$ogfXHQdDE5eE3M7Gl2ETxOhWU6aXZbO3s1WtX6hlwMbnF1gH4y6lq';

  it('answers unknown users at the store’s cost once a real user was verified', async () => {
    // Prepare
    const verifier = createLegacyPasswordVerifier({ dummyScheme: 'bcrypt', dummyFollowsStore: true });
    const before = await verifier.dummyHash();

    // Act
    await verifier.verify('a-wrong-password-1', STORE_HASH);
    verifier.observe?.('alice', STORE_HASH);
    const after = await verifier.dummyHash();

    // Assess
    expect(inspectLegacyHash(before)?.params).toEqual({ bcryptCost: 12 });
    expect(inspectLegacyHash(after)?.params).toEqual({ bcryptCost: 4 });
  });

  it.each([
    ['LEGACY_HASH_COST', { dummyScheme: 'bcrypt', dummyCost: 5, dummyFollowsStore: false }, 5],
    [
      'LEGACY_DUMMY_HASH',
      {
        dummyScheme: 'bcrypt',
        dummyHash: '$2b$06$OBuLTaGb4sbNVKveAtKvSuYJ3g7I9po9wRvAX2959tNhYhg8SzHs6',
        dummyFollowsStore: false,
      },
      6,
    ],
  ] as const)('keeps a configured dummy (%s) whatever the store holds', async (_case, hashing, cost) => {
    const verifier = createLegacyPasswordVerifier(hashing);

    verifier.observe?.('alice', STORE_HASH);
    verifier.observe?.('bob', STORE_HASH);

    expect(inspectLegacyHash(await verifier.dummyHash())?.params).toEqual({ bcryptCost: cost });
  });
});
