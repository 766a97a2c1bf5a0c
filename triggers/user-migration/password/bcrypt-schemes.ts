import { createHash, createHmac, randomBytes } from 'node:crypto';
import { loadBcryptModule } from '../../../shared/embedded-modules/embedded-packages.js';
import { decodeBcryptSalt } from './encodings.js';
import {
  fail,
  type HashParams,
  type HashScheme,
  type ParsedHash,
  type ParseFailure,
  type SchemeCodec,
} from './hash-scheme.js';
import { HashSchemeError } from '../errors.js';

// bcrypt reads at most 72 bytes of key; PHP's crypt_blowfish and Python's bcrypt 3.x truncate silently.
const BCRYPT_MAX_KEY_BYTES = 72;
const BCRYPT_PATTERN = /^\$2([aby])\$([0-9]{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

/** Where the plain bcrypt string starts inside each scheme's stored form, and how the scheme writes it. */
const PREFIXES: ReadonlyArray<{ scheme: HashScheme; prefix: string; ident: string; defaultCost: number }> = [
  { scheme: 'wordpress-bcrypt', prefix: '$wp', ident: '2y', defaultCost: 10 },
  { scheme: 'django-bcrypt-sha256', prefix: 'bcrypt_sha256$', ident: '2b', defaultCost: 12 },
  { scheme: 'django-bcrypt', prefix: 'bcrypt$', ident: '2b', defaultCost: 12 },
  { scheme: 'bcrypt', prefix: '', ident: '2b', defaultCost: 12 },
];

/** What each scheme feeds to bcrypt: the password itself or a fixed-length prehash of it. */
function prepareKey(scheme: HashScheme, password: Uint8Array): Uint8Array {
  switch (scheme) {
    case 'wordpress-bcrypt':
      // WordPress 6.8 wp_check_password: base64_encode(hash_hmac('sha384', $password, 'wp-sha384', true)).
      return Buffer.from(createHmac('sha384', 'wp-sha384').update(password).digest('base64'), 'latin1');
    case 'django-bcrypt-sha256':
      // Django's BCryptSHA256PasswordHasher: hexlify(sha256(password).digest()).
      return Buffer.from(createHash('sha256').update(password).digest('hex'), 'latin1');
    default:
      return password.subarray(0, BCRYPT_MAX_KEY_BYTES);
  }
}

async function computeBcryptString(key: Uint8Array, salt: Uint8Array, cost: number): Promise<string> {
  // hash-wasm's bcrypt, embedded: evaluated by the first bcrypt verification of the container.
  const { bcrypt } = await loadBcryptModule();
  return bcrypt({ password: key, salt, costFactor: cost, outputType: 'encoded' });
}

function parseBcrypt(stored: string, scheme: HashScheme): ParsedHash | ParseFailure {
  const entry = PREFIXES.find((candidate) => candidate.scheme === scheme);
  if (entry === undefined || !stored.startsWith(entry.prefix)) return fail('malformed', 'not a bcrypt hash');
  const match = BCRYPT_PATTERN.exec(stored.slice(entry.prefix.length));
  if (match === null) return fail('malformed', 'bcrypt hash does not have the $2x$NN$<53 chars> shape');
  const [, , costText = '', saltText = '', checksumText = ''] = match;
  const cost = Number(costText);
  if (cost < 4 || cost > 31) return fail('malformed', `bcrypt cost ${costText} outside 04..31`);
  const salt = decodeBcryptSalt(saltText);
  if (salt === undefined) return fail('malformed', 'bcrypt salt is not decodable');
  return {
    scheme,
    cost: { primitive: 'bcrypt', cost },
    params: { bcryptCost: cost },
    // Compare salt and checksum as text, as the references do: a non-canonical salt character never matches.
    expected: Buffer.from(saltText + checksumText, 'latin1'),
    async derive(password) {
      const encoded = await computeBcryptString(prepareKey(scheme, password), salt, cost);
      return Buffer.from(encoded.slice(7), 'latin1');
    },
    refusesPassword(password) {
      // C implementations stop at NUL and Python's bcrypt refuses it, so no reference hash covers such a password.
      return (scheme === 'bcrypt' || scheme === 'django-bcrypt') && password.includes(0);
    },
  };
}

export const bcryptCodec: SchemeCodec = {
  detect(stored) {
    for (const { scheme, prefix } of PREFIXES) {
      if (stored.startsWith(`${prefix}$2`) && /^\$2[aby]\$/.test(stored.slice(prefix.length))) return scheme;
    }
    return undefined;
  },
  parse: parseBcrypt,
  async hash(scheme: HashScheme, password: Uint8Array, params: HashParams) {
    const entry = PREFIXES.find((candidate) => candidate.scheme === scheme);
    if (entry === undefined) throw new HashSchemeError(`not a bcrypt scheme: ${scheme}`);
    const cost = params.bcryptCost ?? entry.defaultCost;
    const encoded = await computeBcryptString(prepareKey(scheme, password), randomBytes(16), cost);
    return `${entry.prefix}$${entry.ident}${encoded.slice(3)}`;
  },
};
