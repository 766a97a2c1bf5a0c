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
