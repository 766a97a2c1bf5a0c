import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VERIFY_LIMITS,
  HASH_SCHEMES,
  createDummyHash,
  detectHashScheme,
  inspectLegacyHash,
  verifyLegacyPassword,
  type HashScheme,
  type VerifyLimits,
} from '../../../../triggers/user-migration/password/verify-legacy-password.js';
import { VECTORS, referenceHash } from './vectors.js';

// Limits under which nothing a random string can describe costs real time (for the property tests).
const TINY_LIMITS: VerifyLimits = {
  ...DEFAULT_VERIFY_LIMITS,
  maxPbkdf2Iterations: 2000,
  maxBcryptCost: 5,
  maxPhpassLog2Rounds: 9,
  maxScryptMemoryBytes: 2 * 1024 * 1024,
  maxArgon2MemoryKiB: 1024,
  maxArgon2Time: 2,
  maxArgon2Parallelism: 2,
};

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

describe('verifyLegacyPassword: reference vectors', () => {
  it('covers every scheme with vectors from outside this code', () => {
    // Assess
    expect(new Set(VECTORS.map((vector) => vector.scheme))).toEqual(new Set(HASH_SCHEMES));
  });

  it.each(VECTORS.map((vector) => [vector.scheme, vector.generator, vector] as const))(
    'verifies the %s vector written by %s',
    async (_scheme, _generator, vector) => {
      // Act
      const result = await verifyLegacyPassword(vector.password, vector.hash);
      // Assess
      expect(result).toEqual({ ok: true, scheme: vector.scheme });
    },
  );

  const checks = VECTORS.flatMap((vector) =>
    vector.checks.map(
      (check) =>
        [
          vector.scheme,
          check.verifies ? 'accepts' : 'refuses',
          JSON.stringify(check.password).slice(0, 40),
          vector,
          check,
        ] as const,
    ),
  );
  it.each(checks)(
    'for %s, %s the nearby password %s as the reference does',
    async (_scheme, _verdict, _label, vector, check) => {
      // Act
      const result = await verifyLegacyPassword(check.password, vector.hash);
      // Assess
      expect(result.ok).toBe(check.verifies);
      if (!result.ok) expect(result.reason).toBe('mismatch');
    },
  );
});

describe('detectHashScheme', () => {
  it.each<[string, HashScheme | undefined]>([
    ['$2a$10$abcdefghijklmnopqrstuuAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'bcrypt'],
    ['$2y$10$...', 'bcrypt'],
    ['$wp$2y$10$...', 'wordpress-bcrypt'],
    ['$P$B12345678', 'phpass'],
    ['$H$9abc', 'phpass'],
    ['$argon2id$v=19$...', 'argon2id'],
    ['$argon2i$v=19$...', 'argon2i'],
    ['argon2$argon2id$v=19$...', 'django-argon2'],
    ['pbkdf2_sha256$260000$salt$hash', 'django-pbkdf2-sha256'],
    ['pbkdf2_sha1$260000$salt$hash', 'django-pbkdf2-sha1'],
    ['bcrypt_sha256$$2b$12$...', 'django-bcrypt-sha256'],
    ['bcrypt$$2b$12$...', 'django-bcrypt'],
    ['pbkdf2:sha256:600000$salt$hex', 'werkzeug-pbkdf2'],
    ['pbkdf2$salt$hex', 'werkzeug-pbkdf2'],
    ['scrypt:32768:8:1$salt$hex', 'werkzeug-scrypt'],
    ['$pbkdf2-sha256$29000$salt$sum', 'passlib-pbkdf2-sha256'],
    ['$pbkdf2-sha512$25000$salt$sum', 'passlib-pbkdf2-sha512'],
    ['$pbkdf2$131000$salt$sum', 'passlib-pbkdf2-sha1'],
    ['$scrypt$ln=16,r=8,p=1$salt$sum', 'passlib-scrypt'],
    ['AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJg==', 'aspnet-identity-v2'],
    [
      'AQAAAAEAACcQAAAAEAABAgMEBQYHCAkKCwwNDg+yWU7rLgUwPZb1Itsmra7cbxw2EFpwpVFIEtP+JIuUEw==',
      'aspnet-identity-v3',
    ],
    ['$1$saltsalt$hash', undefined],
    ['$6$rounds=5000$salt$hash', undefined],
    ['$2x$10$...', undefined],
    ['$argon2d$v=19$...', undefined],
    ['sha1$salt$hash', undefined],
    ['5f4dcc3b5aa765d61d8327deb882cf99', undefined],
    ['', undefined],
  ])('classifies %s as %s', (stored, expected) => {
    // Act / Assess
    expect(detectHashScheme(stored)).toBe(expected);
  });
});

describe('verifyLegacyPassword: hashes it will not verify', () => {
  const bcrypt = referenceHash('bcrypt', 'python3-bcrypt');
  const django = referenceHash('django-pbkdf2-sha256');
  const werkzeug = referenceHash('werkzeug-pbkdf2', 'pbkdf2:sha256:1000');
  const passlib = referenceHash('passlib-pbkdf2-sha256', 'rounds=1000');
  const argon2 = referenceHash('argon2id', 't=1');
  const scrypt = referenceHash('werkzeug-scrypt', 'scrypt:1024');
  const passlibScrypt = referenceHash('passlib-scrypt', 'rounds=10');
  const phpass = referenceHash('phpass', 'PasswordHash(4');
  const aspnetV3 = Buffer.from(referenceHash('aspnet-identity-v3', 'SHA256, 10000'), 'base64');

  function aspnetV3With(prf: number, iterations: number, saltLength: number, subkeyLength: number): string {
    const header = Buffer.alloc(13);
    header.writeUInt8(1, 0);
    header.writeUInt32BE(prf, 1);
    header.writeUInt32BE(iterations, 5);
    header.writeUInt32BE(saltLength, 9);
    return Buffer.concat([header, Buffer.alloc(saltLength, 7), Buffer.alloc(subkeyLength, 9)]).toString(
      'base64',
    );
  }

  function withSaltLength(base64: string, saltLength: number): string {
    const bytes = Buffer.from(base64, 'base64');
    bytes.writeUInt32BE(saltLength, 9);
    return bytes.toString('base64');
  }

  it.each<[string, string]>([
    ['bcrypt cost 31', bcrypt.replace(/^\$2b\$04\$/, () => '$2b$31$')],
    ['WordPress bcrypt cost 31', `$wp${bcrypt.replace(/^\$2b\$04\$/, () => '$2y$31$')}`],
    ['Django bcrypt_sha256 cost 30', `bcrypt_sha256$${bcrypt.replace(/^\$2b\$04\$/, () => '$2b$30$')}`],
    ['phpass 2^30 rounds', phpass.replace(/^\$P\$./, () => '$P$S')],
    ['Django PBKDF2 with 4 billion iterations', django.replace(/\$1000\$/, () => '$4000000000$')],
    [
      'Django PBKDF2 with a 30-digit iteration count',
      django.replace(/\$1000\$/, () => '$999999999999999999999999999999$'),
    ],
    ['Werkzeug PBKDF2 with 4 billion iterations', werkzeug.replace(':1000$', () => ':4000000000$')],
    ['passlib PBKDF2 with 4 billion iterations', passlib.replace('$1000$', () => '$4000000000$')],
    ['ASP.NET Identity v3 with 2^32-1 iterations', aspnetV3With(1, 0xffffffff, 16, 32)],
    ['ASP.NET Identity v3 asking 30 SHA-1 blocks of 100,000 iterations', aspnetV3With(0, 100_000, 16, 600)],
    ['Werkzeug scrypt N=2^30', scrypt.replace(/^scrypt:1024:/, () => 'scrypt:1073741824:')],
    ['Werkzeug scrypt p=2^20', scrypt.replace(/^scrypt:1024:8:1/, () => 'scrypt:1024:8:1048576')],
    ['passlib scrypt ln=30', passlibScrypt.replace('ln=10', () => 'ln=30')],
    ['passlib scrypt ln=999', passlibScrypt.replace('ln=10', () => 'ln=999')],
    ['argon2id m=4 GiB', argon2.replace('m=256', () => 'm=4194304')],
    ['argon2id t=1,000,000', argon2.replace('t=1', () => 't=1000000')],
    ['argon2id p=255', argon2.replace('m=256,t=1,p=1', () => 'm=65536,t=1,p=255')],
  ])('refuses %s as hostile before any work', async (_label, stored) => {
    // Act
    const { value, ms } = await timed(() => verifyLegacyPassword('correct horse battery staple', stored));
    // Assess
    expect(value).toMatchObject({ ok: false, reason: 'hostile' });
    expect(ms).toBeLessThan(500);
  });

  it.each<[string, string, string]>([
    ['bcrypt cost 03', bcrypt.replace(/^\$2b\$04\$/, () => '$2b$03$'), 'malformed'],
    ['bcrypt with a character outside its alphabet', `${bcrypt.slice(0, -1)}!`, 'malformed'],
    ['bcrypt one character short', bcrypt.slice(0, -1), 'malformed'],
    ['phpass with 2^0 rounds', phpass.replace(/^\$P\$./, () => '$P$.'), 'malformed'],
    ['phpass one character short', phpass.slice(0, -1), 'malformed'],
    ['Django PBKDF2 with broken base64', django.replace(/\$[^$]+$/, () => '$!!!!'), 'malformed'],
    ['Django PBKDF2 without its padding', django.replace(/=$/, () => ''), 'malformed'],
    [
      'Django PBKDF2 with a digest one byte short',
      django.replace(/\$[^$]+$/, () => `$${Buffer.alloc(31).toString('base64')}`),
      'malformed',
    ],
    ['Django PBKDF2 with 0 iterations', django.replace(/\$1000\$/, () => '$0$'), 'malformed'],
    ['Django PBKDF2 with an empty salt', django.replace(/\$1000\$[^$]*\$/, () => '$1000$$'), 'malformed'],
    [
      'Django PBKDF2 with a negative iteration count',
      django.replace(/\$1000\$/, () => '$-1000$'),
      'malformed',
    ],
    [
      'Werkzeug PBKDF2 with uppercase hex',
      werkzeug.replace(/\$[0-9a-f]+$/, (hex) => hex.toUpperCase()),
      'malformed',
    ],
    ['Werkzeug PBKDF2 with an odd-length hex digest', werkzeug.slice(0, -1), 'malformed'],
    ['Werkzeug PBKDF2 with md5', werkzeug.replace('pbkdf2:sha256:', () => 'pbkdf2:md5:'), 'unsupported'],
    [
      'Werkzeug scrypt with N not a power of two',
      scrypt.replace(/^scrypt:1024:/, () => 'scrypt:1000:'),
      'malformed',
    ],
    [
      'passlib PBKDF2 with a checksum in standard base64',
      passlib.replace(/\$[^$]+$/, () => '$+++'),
      'malformed',
    ],
    [
      'argon2id with an empty salt',
      argon2.replace(/\$[^$]+\$([^$]+)$/, (_all, hash: string) => `$$${hash}`),
      'malformed',
    ],
    ['argon2id with padded base64', `${argon2}=`, 'malformed'],
    ['argon2id with m below 8·p', argon2.replace('m=256,t=1,p=1', () => 'm=8,t=1,p=2'), 'malformed'],
    [
      'argon2id with parameters out of order',
      argon2.replace('m=256,t=1,p=1', () => 't=1,m=256,p=1'),
      'malformed',
    ],
    ['argon2id version 1.0', argon2.replace('v=19', () => 'v=16'), 'unsupported'],
    [
      'argon2i without a version field (1.0)',
      referenceHash('argon2i').replace('v=19$', () => ''),
      'unsupported',
    ],
    ['argon2id with a keyid parameter', argon2.replace('p=1$', () => 'p=1,keyid=abc$'), 'unsupported'],
    ['argon2d', argon2.replace('$argon2id$', () => '$argon2d$'), 'unsupported'],
    [
      'ASP.NET Identity v2 one byte short',
      Buffer.from(referenceHash('aspnet-identity-v2'), 'base64').subarray(0, 48).toString('base64'),
      'malformed',
    ],
    ['ASP.NET Identity v3 with PRF 3', aspnetV3With(3, 1000, 16, 32), 'malformed'],
    ['ASP.NET Identity v3 with a 15-byte subkey', aspnetV3With(1, 1000, 16, 15), 'malformed'],
    [
      'ASP.NET Identity v3 with a salt length past the end',
      withSaltLength(aspnetV3With(1, 1000, 16, 32), 40),
      'malformed',
    ],
    [
      'ASP.NET Identity v3 with a salt length of 2^32-1',
      withSaltLength(aspnetV3With(1, 1000, 16, 32), 0xffffffff),
      'malformed',
    ],
    [
      'ASP.NET Identity v3 truncated inside the salt',
      aspnetV3.subarray(0, 44).toString('base64'),
      'malformed',
    ],
    ['a stored hash longer than the cap', `${django}${'A'.repeat(2000)}`, 'malformed'],
    ['md5-crypt', '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/', 'unsupported'],
    ['a plain MD5', '5f4dcc3b5aa765d61d8327deb882cf99', 'unsupported'],
    ['Django unsalted SHA-1', 'sha1$$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8', 'unsupported'],
    ['an empty string', '', 'unsupported'],
  ])('refuses %s as %s', async (_label, stored, reason) => {
    // Act
    const result = await verifyLegacyPassword('correct horse battery staple', stored);
    // Assess
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('verifies an ASP.NET Identity v3 hash whose subkey is cut to 16 bytes, as Microsoft’s VerifyHashedPasswordV3 does', async () => {
    // Prepare: the subkey length is whatever follows the salt, and PBKDF2's output is a prefix of a longer one.
    const cut = aspnetV3.subarray(0, 13 + 16 + 16).toString('base64');
    // Act
    const result = await verifyLegacyPassword('correct horse battery staple', cut);
    // Assess
    expect(result).toEqual({ ok: true, scheme: 'aspnet-identity-v3' });
  });

  it.each(VECTORS.filter((_, index) => index % 3 === 0).map((vector) => [vector.scheme, vector] as const))(
    'answers ok: false, without throwing, for a truncated %s hash',
    async (_scheme, vector) => {
      // Act
      const results = await Promise.all(
        [1, 2, Math.floor(vector.hash.length / 2)].map((cut) =>
          verifyLegacyPassword(vector.password, vector.hash.slice(0, -cut), TINY_LIMITS),
        ),
      );
      // Assess
      for (const result of results) expect(result.ok).toBe(false);
    },
  );
});

describe('verifyLegacyPassword: the password', () => {
  const django = referenceHash('django-pbkdf2-sha256');

  it.each<[string, string, string]>([
    ['1025 ASCII bytes', 'a'.repeat(1025), 'password-too-long'],
    ['513 two-byte characters (1026 bytes)', 'é'.repeat(513), 'password-too-long'],
    ['an empty password', '', 'mismatch'],
  ])('refuses %s before hashing', async (_label, password, reason) => {
    // Act
    const { value, ms } = await timed(() => verifyLegacyPassword(password, django));
    // Assess
    expect(value).toMatchObject({ ok: false, scheme: 'django-pbkdf2-sha256', reason });
    expect(ms).toBeLessThan(500);
  });

  it('hashes a password of exactly the byte cap', async () => {
    // Act
    const result = await verifyLegacyPassword('é'.repeat(512), django);
    // Assess
    expect(result).toEqual({ ok: false, scheme: 'django-pbkdf2-sha256', reason: 'mismatch' });
  });

  it('refuses a password with NUL for plain bcrypt, which no reference hashes', async () => {
    // Act
    const result = await verifyLegacyPassword('correct horse\u0000battery staple', referenceHash('bcrypt'));
    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('honours a caller-provided password cap', async () => {
    // Act
    const result = await verifyLegacyPassword('correct horse battery staple', django, {
      ...DEFAULT_VERIFY_LIMITS,
      maxPasswordBytes: 8,
    });
    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'password-too-long' });
  });
});

describe('verifyLegacyPassword: properties', () => {
  const prefixes = [
    '$2b$04$',
    '$wp$2y$04$',
    '$P$',
    '$H$',
    '$argon2id$v=19$',
    '$argon2i$',
    'argon2$argon2id$v=19$',
    'pbkdf2_sha256$',
    'pbkdf2_sha1$',
    'bcrypt_sha256$$2b$04$',
    'bcrypt$$2b$',
    'pbkdf2:sha256:',
    'pbkdf2$',
    'scrypt:',
    '$pbkdf2-sha256$',
    '$pbkdf2$',
    '$scrypt$ln=',
    'AQAAAA',
    'AA',
  ];

  it('never throws and never accepts for a random string as the stored hash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc
            .tuple(fc.constantFrom(...prefixes), fc.string({ maxLength: 120 }))
            .map(([prefix, rest]) => prefix + rest),
        ),
        fc.string({ minLength: 1 }),
        async (stored, password) => {
          // Act
          const result = await verifyLegacyPassword(password, stored, TINY_LIMITS);
          // Assess
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws for a reference hash with one character replaced', async () => {
    const cheap = VECTORS.filter((vector) =>
      /rounds=4|1000|t=1,|scrypt:1024|rounds=10|cost=4|PasswordHash\(4|Microsoft|v2\)/.test(vector.generator),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cheap),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 3 }),
        async (vector, position, replacement) => {
          // Prepare
          const at = position % vector.hash.length;
          const stored = vector.hash.slice(0, at) + replacement + vector.hash.slice(at + 1);
          // Act
          const result = await verifyLegacyPassword(vector.password, stored, TINY_LIMITS);
          // Assess
          expect(typeof result.ok).toBe('boolean');
          if (stored !== vector.hash && result.ok) expect(result.scheme).toBe(vector.scheme);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('createDummyHash', () => {
  const cheapParams = {
    bcryptCost: 4,
    phpassLog2Rounds: 7,
    pbkdf2Iterations: 1000,
    scryptN: 1024,
    argon2MemoryKiB: 64,
    argon2Time: 1,
    argon2Parallelism: 1,
  };

  it.each(HASH_SCHEMES.map((scheme) => [scheme] as const))(
    'writes a %s hash that parses and costs a full verification',
    async (scheme) => {
      // Act
      const dummy = await createDummyHash(scheme, cheapParams);
      const result = await verifyLegacyPassword('correct horse battery staple', dummy);
      // Assess
      expect(detectHashScheme(dummy)).toBe(scheme);
      expect(result).toEqual({ ok: false, scheme, reason: 'mismatch' });
    },
  );

  it.each<[HashScheme, number, RegExp]>([
    ['bcrypt', 5, /^\$2b\$05\$/],
    ['wordpress-bcrypt', 5, /^\$wp\$2y\$05\$/],
    ['phpass', 8, /^\$P\$6/],
    ['django-pbkdf2-sha256', 1234, /^pbkdf2_sha256\$1234\$/],
    ['werkzeug-pbkdf2', 1234, /^pbkdf2:sha256:1234\$/],
    ['aspnet-identity-v3', 1000, /^AQAAAAIAAAPoAAAAE/],
    ['werkzeug-scrypt', 10, /^scrypt:1024:8:1\$/],
    ['passlib-scrypt', 10, /^\$scrypt\$ln=10,r=8,p=1\$/],
    ['argon2id', 2, /^\$argon2id\$v=19\$m=65536,t=2,p=4\$/],
  ])('reads the single cost knob for %s as its own work factor', async (scheme, cost, pattern) => {
    // Act
    const dummy = await createDummyHash(scheme, { cost });
    // Assess
    expect(dummy).toMatch(pattern);
  });

  it('matches a real hash’s cost when given what inspectLegacyHash read from it', async () => {
    // Prepare
    const real = referenceHash('argon2id', 'OWASP');
    const inspected = inspectLegacyHash(real);
    // Act
    const dummy = await createDummyHash(inspected?.scheme ?? 'bcrypt', inspected?.params);
    // Assess
    expect(inspected).toEqual({
      scheme: 'argon2id',
      params: { argon2MemoryKiB: 19456, argon2Time: 2, argon2Parallelism: 1 },
    });
    expect(dummy).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it.each<[HashScheme, object]>([
    ['bcrypt', { bcryptCost: 31 }],
    ['werkzeug-pbkdf2', { cost: 4_000_000_000 }],
    ['argon2id', { argon2MemoryKiB: 4 * 1024 * 1024 }],
  ])('refuses %s parameters the verifier would refuse, before hashing', async (scheme, params) => {
    // Act
    const { value, ms } = await timed(() =>
      createDummyHash(scheme, params).then(
        () => 'created',
        (error: Error) => error.message,
      ),
    );
    // Assess
    expect(value).toMatch(/exceed the verify limits/);
    expect(ms).toBeLessThan(500);
  });
});
