import { randomBytes } from 'node:crypto';
import { PBKDF2_DIGEST_BYTES, derivePbkdf2, type Pbkdf2Digest } from './digests.js';
import { decodeBase64Padded } from './encodings.js';
import {
  fail,
  type HashParams,
  type HashScheme,
  type ParsedHash,
  type ParseFailure,
  type SchemeCodec,
} from './hash-scheme.js';
import { HashSchemeError } from '../errors.js';

// ASP.NET Core Identity PasswordHasher<TUser>. v2: 0x00 | salt(16) | subkey(32), PBKDF2-HMAC-SHA1, 1000 iterations.
// v3: 0x01 | prf (uint32 BE) | iterations (uint32 BE) | salt length (uint32 BE) | salt | subkey.
const V2_ITERATIONS = 1000;
const V2_LENGTH = 1 + 16 + 32;
const V3_HEADER = 13;
const MIN_V3_PART = 16; // Microsoft refuses salts and subkeys shorter than 128 bits.
const PRF: readonly Pbkdf2Digest[] = ['sha1', 'sha256', 'sha512']; // KeyDerivationPrf: HMACSHA1, HMACSHA256, HMACSHA512
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parseV2(bytes: Buffer): ParsedHash | ParseFailure {
  if (bytes.length !== V2_LENGTH)
    return fail('malformed', `ASP.NET Identity v2 hash is ${bytes.length} bytes, not ${V2_LENGTH}`);
  const salt = bytes.subarray(1, 17);
  const expected = bytes.subarray(17);
  return {
    scheme: 'aspnet-identity-v2',
    cost: { primitive: 'pbkdf2', iterations: V2_ITERATIONS, blocks: 2 },
    params: { pbkdf2Iterations: V2_ITERATIONS, pbkdf2Digest: 'sha1' },
    expected,
    derive: (password) => derivePbkdf2(password, salt, V2_ITERATIONS, 32, 'sha1'),
  };
}

function parseV3(bytes: Buffer): ParsedHash | ParseFailure {
  if (bytes.length < V3_HEADER + 2 * MIN_V3_PART)
    return fail('malformed', 'ASP.NET Identity v3 hash is too short');
  const digest = PRF[bytes.readUInt32BE(1)];
  if (digest === undefined) return fail('malformed', 'ASP.NET Identity v3 PRF is not 0, 1 or 2');
  const iterations = bytes.readUInt32BE(5);
  const saltLength = bytes.readUInt32BE(9);
  if (iterations < 1) return fail('malformed', 'ASP.NET Identity v3 iteration count is 0');
  if (saltLength < MIN_V3_PART || saltLength > bytes.length - V3_HEADER - MIN_V3_PART) {
    return fail('malformed', 'ASP.NET Identity v3 salt length is out of range');
  }
  const salt = bytes.subarray(V3_HEADER, V3_HEADER + saltLength);
  const expected = bytes.subarray(V3_HEADER + saltLength);
  const blocks = Math.ceil(expected.length / PBKDF2_DIGEST_BYTES[digest]);
  return {
    scheme: 'aspnet-identity-v3',
    cost: { primitive: 'pbkdf2', iterations, blocks },
    params: { pbkdf2Iterations: iterations, pbkdf2Digest: digest },
    expected,
    derive: (password) => derivePbkdf2(password, salt, iterations, expected.length, digest),
  };
}

export const aspnetIdentityCodec: SchemeCodec = {
  detect(stored) {
    // The header byte makes v2 start with 'A' + [A-P] and v3 with 'AQAAAA'; nothing else here is bare base64.
    if (stored.length < 60 || !BASE64.test(stored)) return undefined;
    if (stored.startsWith('AQAAAA')) return 'aspnet-identity-v3';
    if (/^A[A-P]/.test(stored)) return 'aspnet-identity-v2';
    return undefined;
  },
  parse(stored, scheme) {
    const bytes = decodeBase64Padded(stored);
    if (bytes === undefined) return fail('malformed', 'ASP.NET Identity hash is not padded base64');
    const expectedHeader = scheme === 'aspnet-identity-v2' ? 0x00 : 0x01;
    if (bytes[0] !== expectedHeader) return fail('malformed', 'ASP.NET Identity header byte does not match');
    return scheme === 'aspnet-identity-v2' ? parseV2(bytes) : parseV3(bytes);
  },
  async hash(scheme: HashScheme, password: Uint8Array, params: HashParams) {
    const salt = randomBytes(16);
    if (scheme === 'aspnet-identity-v2') {
      const subkey = await derivePbkdf2(password, salt, V2_ITERATIONS, 32, 'sha1');
      return Buffer.concat([Buffer.of(0x00), salt, subkey]).toString('base64');
    }
    // .NET 7+ defaults: HMAC-SHA512, 100,000 iterations, 128-bit salt, 256-bit subkey.
    const digest = params.pbkdf2Digest ?? 'sha512';
    const prf = PRF.indexOf(digest);
    if (prf < 0) throw new HashSchemeError(`ASP.NET Identity v3 has no PRF for ${digest}`);
    const iterations = params.pbkdf2Iterations ?? 100_000;
    const subkey = await derivePbkdf2(password, salt, iterations, 32, digest);
    const header = Buffer.alloc(V3_HEADER);
    header.writeUInt8(0x01, 0);
    header.writeUInt32BE(prf, 1);
    header.writeUInt32BE(iterations, 5);
    header.writeUInt32BE(salt.length, 9);
    return Buffer.concat([header, salt, subkey]).toString('base64');
  },
};
