import { randomBytes } from 'node:crypto';
import { deriveScrypt } from './digests.js';
import { decodeBase64Unpadded, decodeLowerHex, encodeBase64Unpadded } from './encodings.js';
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

// Werkzeug 3: scrypt:N:r:p$salt$hex (64-byte key; the salt is used as its UTF-8 text).
const WERKZEUG = /^scrypt(?::([^:$]*):([^:$]*):([^:$]*))?\$([^$]*)\$([^$]*)$/;
const WERKZEUG_KEY_BYTES = 64;
// passlib: $scrypt$ln=16,r=8,p=1$salt$checksum, unpadded standard base64, 32-byte key.
const PASSLIB = /^\$scrypt\$ln=([^,$]*),r=([^,$]*),p=([^,$]*)\$([^$]*)\$([^$]*)$/;
const PASSLIB_KEY_BYTES = 32;
const SALT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function scryptHash(
  scheme: HashScheme,
  n: number,
  r: number,
  p: number,
  salt: Uint8Array,
  expected: Uint8Array | undefined,
  keyBytes: number,
): ParsedHash | ParseFailure {
  if (n < 2 || !Number.isInteger(Math.log2(n)))
    return fail('malformed', 'scrypt N is not a power of two above 1');
  if (r < 1 || p < 1) return fail('malformed', 'scrypt r and p must be at least 1');
  if (expected === undefined || expected.length !== keyBytes)
    return fail('malformed', `scrypt hash is not ${keyBytes} bytes in the format's encoding`);
  return {
    scheme,
    cost: { primitive: 'scrypt', n, r, p },
    params: { scryptN: n, scryptR: r, scryptP: p },
    expected,
    derive: (password) => deriveScrypt(password, salt, { n, r, p }, keyBytes),
  };
}

function parseNumbers(
  texts: ReadonlyArray<string | undefined>,
  names: readonly string[],
): number[] | ParseFailure {
  const numbers: number[] = [];
  for (const [index, text] of texts.entries()) {
    const value = parseDecimal(text, names[index] ?? 'scrypt parameter');
    if (isParseFailure(value)) return value;
    numbers.push(value);
  }
  return numbers;
}

function parseWerkzeug(stored: string): ParsedHash | ParseFailure {
  const match = WERKZEUG.exec(stored);
  if (match === null) return fail('malformed', 'Werkzeug scrypt hash is not scrypt[:N:r:p]$salt$hex');
  const [, nText, rText, pText, salt = '', hash = ''] = match;
  const numbers =
    nText === undefined
      ? [2 ** 15, 8, 1]
      : parseNumbers([nText, rText, pText], ['scrypt N', 'scrypt r', 'scrypt p']);
  if (isParseFailure(numbers)) return numbers;
  const [n = 0, r = 0, p = 0] = numbers;
  return scryptHash(
    'werkzeug-scrypt',
    n,
    r,
    p,
    Buffer.from(salt, 'utf8'),
    decodeLowerHex(hash),
    WERKZEUG_KEY_BYTES,
  );
}

function parsePasslib(stored: string): ParsedHash | ParseFailure {
  const match = PASSLIB.exec(stored);
  if (match === null) return fail('malformed', 'passlib scrypt hash is not $scrypt$ln=,r=,p=$salt$checksum');
  const [, lnText, rText, pText, saltText = '', hash = ''] = match;
  const numbers = parseNumbers([lnText, rText, pText], ['scrypt ln', 'scrypt r', 'scrypt p']);
  if (isParseFailure(numbers)) return numbers;
  const [ln = 0, r = 0, p = 0] = numbers;
  // Checked here so that 2^ln never overflows: anything beyond 2^40 is far past every limit.
  if (ln > 40) return fail('hostile', `scrypt ln ${ln}`);
  const salt = decodeBase64Unpadded(saltText);
  if (salt === undefined) return fail('malformed', 'passlib scrypt salt is not unpadded base64');
  return scryptHash('passlib-scrypt', 2 ** ln, r, p, salt, decodeBase64Unpadded(hash), PASSLIB_KEY_BYTES);
}

export const scryptCodec: SchemeCodec = {
  detect(stored) {
    if (stored.startsWith('scrypt:') || stored.startsWith('scrypt$')) return 'werkzeug-scrypt';
    if (stored.startsWith('$scrypt$')) return 'passlib-scrypt';
    return undefined;
  },
  parse: (stored, scheme) => (scheme === 'werkzeug-scrypt' ? parseWerkzeug(stored) : parsePasslib(stored)),
  async hash(scheme: HashScheme, password: Uint8Array, params: HashParams) {
    // Defaults: Werkzeug 3 (N=2^15, r=8, p=1) and passlib 1.7 (ln=16, r=8, p=1).
    const werkzeug = scheme === 'werkzeug-scrypt';
    const n = params.scryptN ?? (werkzeug ? 2 ** 15 : 2 ** 16);
    const r = params.scryptR ?? 8;
    const p = params.scryptP ?? 1;
    if (werkzeug) {
      const salt = Array.from(randomBytes(16), (byte) =>
        SALT_ALPHABET.charAt(byte % SALT_ALPHABET.length),
      ).join('');
      const key = await deriveScrypt(password, Buffer.from(salt), { n, r, p }, WERKZEUG_KEY_BYTES);
      return `scrypt:${n}:${r}:${p}$${salt}$${key.toString('hex')}`;
    }
    const salt = randomBytes(16);
    const key = await deriveScrypt(password, salt, { n, r, p }, PASSLIB_KEY_BYTES);
    return `$scrypt$ln=${Math.log2(n)},r=${r},p=${p}$${encodeBase64Unpadded(salt)}$${encodeBase64Unpadded(key)}`;
  },
};
