import { randomBytes } from 'node:crypto';
import { PBKDF2_DIGEST_BYTES, derivePbkdf2, isPbkdf2Digest, type Pbkdf2Digest } from './digests.js';
import { decodeAdaptedBase64, decodeBase64Padded, decodeLowerHex, encodeAdaptedBase64 } from './encodings.js';
import {
  fail,
  isParseFailure,
  parseDecimal,
  type HashParams,
  type HashScheme,
  type ParsedHash,
  type ParseFailure,
  type SchemeCodec,
} from './hash-scheme.js';
import { HashSchemeError } from '../errors.js';

// Werkzeug's DEFAULT_PBKDF2_ITERATIONS in 3.1, used when a stored method names no iteration count.
const WERKZEUG_DEFAULT_ITERATIONS = 1_000_000;
const SALT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const DJANGO = /^pbkdf2_(sha256|sha1)\$([^$]*)\$([^$]*)\$([^$]*)$/;
const WERKZEUG = /^pbkdf2(?::([^:$]*))?(?::([^:$]*))?\$([^$]*)\$([^$]*)$/;
const PASSLIB = /^\$pbkdf2(-sha256|-sha512)?\$([^$]*)\$([^$]*)\$([^$]*)$/;

const PASSLIB_DIGEST: Readonly<Record<string, { scheme: HashScheme; digest: Pbkdf2Digest }>> = {
  '-sha256': { scheme: 'passlib-pbkdf2-sha256', digest: 'sha256' },
  '-sha512': { scheme: 'passlib-pbkdf2-sha512', digest: 'sha512' },
  '': { scheme: 'passlib-pbkdf2-sha1', digest: 'sha1' },
};

/** A PBKDF2 hash whose key length is its digest's length (one block), the case of every format here. */
function pbkdf2Hash(
  scheme: HashScheme,
  digest: Pbkdf2Digest,
  iterationsText: string | undefined,
  salt: Uint8Array,
  expected: Uint8Array | undefined,
  defaultIterations?: number,
): ParsedHash | ParseFailure {
  const iterations =
    iterationsText === undefined && defaultIterations !== undefined
      ? defaultIterations
      : parseDecimal(iterationsText, 'PBKDF2 iterations');
  if (isParseFailure(iterations)) return iterations;
  if (iterations < 1) return fail('malformed', 'PBKDF2 iterations must be at least 1');
  if (expected === undefined) return fail('malformed', 'PBKDF2 hash is not in the format’s encoding');
  if (expected.length !== PBKDF2_DIGEST_BYTES[digest])
    return fail('malformed', `PBKDF2 hash is not ${PBKDF2_DIGEST_BYTES[digest]} bytes`);
  return {
    scheme,
    cost: { primitive: 'pbkdf2', iterations, blocks: 1 },
    params: { pbkdf2Iterations: iterations, pbkdf2Digest: digest },
    expected,
    derive: (password) => derivePbkdf2(password, salt, iterations, expected.length, digest),
  };
}

function parseDjango(stored: string, scheme: HashScheme): ParsedHash | ParseFailure {
  const match = DJANGO.exec(stored);
  if (match === null) return fail('malformed', 'Django PBKDF2 hash does not have four $-separated fields');
  const [, digest = '', iterations, salt = '', hash = ''] = match;
  if (`django-pbkdf2-${digest}` !== scheme)
    return fail('malformed', 'Django PBKDF2 digest does not match the scheme');
  // Django refuses an empty salt when it writes a hash, so none exists in a real store.
  if (salt === '') return fail('malformed', 'Django PBKDF2 salt is empty');
  return pbkdf2Hash(
    scheme,
    digest as Pbkdf2Digest,
    iterations,
    Buffer.from(salt, 'utf8'),
    decodeBase64Padded(hash),
  );
}

function parseWerkzeug(stored: string): ParsedHash | ParseFailure {
  const match = WERKZEUG.exec(stored);
  if (match === null)
    return fail('malformed', 'Werkzeug PBKDF2 hash is not pbkdf2[:digest[:iterations]]$salt$hex');
  const [, digestName, iterations, salt = '', hash = ''] = match;
  const digest = digestName ?? 'sha256';
  if (!isPbkdf2Digest(digest))
    return fail('unsupported', `Werkzeug PBKDF2 digest ${digest.slice(0, 16)} is not supported`);
  return pbkdf2Hash(
    'werkzeug-pbkdf2',
    digest,
    iterations,
    Buffer.from(salt, 'utf8'),
    decodeLowerHex(hash),
    WERKZEUG_DEFAULT_ITERATIONS,
  );
}

function parsePasslib(stored: string, scheme: HashScheme): ParsedHash | ParseFailure {
  const match = PASSLIB.exec(stored);
  if (match === null)
    return fail(
      'malformed',
      'passlib PBKDF2 hash does not have the $pbkdf2-<digest>$rounds$salt$checksum shape',
    );
  const [, suffix = '', iterations, saltText = '', hash = ''] = match;
  const variant = PASSLIB_DIGEST[suffix];
  if (variant === undefined || variant.scheme !== scheme)
    return fail('malformed', 'passlib PBKDF2 digest does not match the scheme');
  const salt = decodeAdaptedBase64(saltText);
  if (salt === undefined) return fail('malformed', 'passlib PBKDF2 salt is not adapted base64');
  return pbkdf2Hash(scheme, variant.digest, iterations, salt, decodeAdaptedBase64(hash));
}

function randomSaltText(length: number): string {
  return Array.from(randomBytes(length), (byte) => SALT_ALPHABET.charAt(byte % SALT_ALPHABET.length)).join(
    '',
  );
}

export const pbkdf2Codec: SchemeCodec = {
  detect(stored) {
    if (stored.startsWith('pbkdf2_sha256$')) return 'django-pbkdf2-sha256';
    if (stored.startsWith('pbkdf2_sha1$')) return 'django-pbkdf2-sha1';
    if (stored.startsWith('pbkdf2:') || stored.startsWith('pbkdf2$')) return 'werkzeug-pbkdf2';
    if (stored.startsWith('$pbkdf2-sha256$')) return 'passlib-pbkdf2-sha256';
    if (stored.startsWith('$pbkdf2-sha512$')) return 'passlib-pbkdf2-sha512';
    if (stored.startsWith('$pbkdf2$')) return 'passlib-pbkdf2-sha1';
    return undefined;
  },
  parse(stored, scheme) {
    if (scheme === 'werkzeug-pbkdf2') return parseWerkzeug(stored);
    if (scheme.startsWith('django-')) return parseDjango(stored, scheme);
    return parsePasslib(stored, scheme);
  },
  async hash(scheme: HashScheme, password: Uint8Array, params: HashParams) {
    switch (scheme) {
      case 'django-pbkdf2-sha256':
      case 'django-pbkdf2-sha1': {
        const digest: Pbkdf2Digest = scheme === 'django-pbkdf2-sha256' ? 'sha256' : 'sha1';
        // Django 5.2's default iteration count.
        const iterations = params.pbkdf2Iterations ?? 1_000_000;
        const salt = randomSaltText(22);
        const key = await derivePbkdf2(
          password,
          Buffer.from(salt),
          iterations,
          PBKDF2_DIGEST_BYTES[digest],
          digest,
        );
        return `pbkdf2_${digest}$${iterations}$${salt}$${key.toString('base64')}`;
      }
      case 'werkzeug-pbkdf2': {
        const digest = params.pbkdf2Digest ?? 'sha256';
        const iterations = params.pbkdf2Iterations ?? WERKZEUG_DEFAULT_ITERATIONS;
        const salt = randomSaltText(16);
        const key = await derivePbkdf2(
          password,
          Buffer.from(salt),
          iterations,
          PBKDF2_DIGEST_BYTES[digest],
          digest,
        );
        return `pbkdf2:${digest}:${iterations}$${salt}$${key.toString('hex')}`;
      }
      default: {
        const variant = Object.entries(PASSLIB_DIGEST).find(([, value]) => value.scheme === scheme);
        if (variant === undefined) throw new HashSchemeError(`not a PBKDF2 scheme: ${scheme}`);
        const [suffix, { digest }] = variant;
        // passlib 1.7's defaults: 29000 rounds for SHA-256, 25000 for SHA-512, 131000 for SHA-1.
        const iterations =
          params.pbkdf2Iterations ?? { sha256: 29000, sha512: 25000, sha1: 131000 }[digest as 'sha1'];
        const salt = randomBytes(16);
        const key = await derivePbkdf2(password, salt, iterations, PBKDF2_DIGEST_BYTES[digest], digest);
        return `$pbkdf2${suffix}$${iterations}$${encodeAdaptedBase64(salt)}$${encodeAdaptedBase64(key)}`;
      }
    }
  },
};
