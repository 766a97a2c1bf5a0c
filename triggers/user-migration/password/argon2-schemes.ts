import { argon2, randomBytes } from 'node:crypto';
import { decodeBase64Unpadded, encodeBase64Unpadded } from './encodings.js';
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

// PHC string as the Argon2 reference writes it: $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>.
const PHC_PATTERN = /^\$argon2(id|i|d)\$(?:v=([0-9]+)\$)?(m=[^$]*)\$([^$]*)\$([^$]*)$/;
const PARAMS_PATTERN = /^m=([0-9]+),t=([0-9]+),p=([0-9]+)$/;
const DJANGO_PREFIX = 'argon2';
const ARGON2_VERSION_13 = 19;

interface Argon2Setting {
  readonly variant: 'id' | 'i';
  readonly memoryKiB: number;
  readonly time: number;
  readonly parallelism: number;
}

// Node 24's native Argon2 (OpenSSL 3.2+), run on libuv's thread pool: no WASM, and the event loop stays free.
function computeArgon2(
  password: Uint8Array,
  salt: Uint8Array,
  setting: Argon2Setting,
  hashLength: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    argon2(
      setting.variant === 'id' ? 'argon2id' : 'argon2i',
      {
        message: password,
        nonce: salt,
        parallelism: setting.parallelism,
        tagLength: hashLength,
        memory: setting.memoryKiB,
        passes: setting.time,
      },
      (error, derived) => (error ? reject(error) : resolve(new Uint8Array(derived))),
    );
  });
}

function parsePhc(phc: string, scheme: HashScheme): ParsedHash | ParseFailure {
  const match = PHC_PATTERN.exec(phc);
  if (match === null) return fail('malformed', 'argon2 hash does not have the PHC shape');
  const [, variant = '', versionText, paramText = '', saltText = '', hashText = ''] = match;
  if (variant === 'd')
    return fail('unsupported', 'argon2d is not a password hash format this module verifies');
  if (scheme !== 'django-argon2' && variant !== scheme.slice('argon2'.length)) {
    return fail('malformed', 'argon2 variant does not match the scheme');
  }
  // No version field means Argon2 1.0 (0x10), which node:crypto's argon2 does not compute.
  if (versionText === undefined)
    return fail('unsupported', 'argon2 version 1.0 (no v= field) is not supported');
  const version = parseDecimal(versionText, 'argon2 version');
  if (isParseFailure(version)) return version;
  if (version !== ARGON2_VERSION_13) {
    return fail(version === 16 ? 'unsupported' : 'malformed', `argon2 version ${versionText} is not 19`);
  }
  const params = PARAMS_PATTERN.exec(paramText);
  if (params === null) {
    const extra = /^m=[0-9]+,t=[0-9]+,p=[0-9]+,/.test(paramText);
    return fail(
      extra ? 'unsupported' : 'malformed',
      extra ? 'argon2 keyid/data parameters are not supported' : 'argon2 parameters are not m=,t=,p=',
    );
  }
  const memoryKiB = parseDecimal(params[1], 'argon2 m');
  const time = parseDecimal(params[2], 'argon2 t');
  const parallelism = parseDecimal(params[3], 'argon2 p');
  for (const value of [memoryKiB, time, parallelism]) if (isParseFailure(value)) return value;
  const setting = { variant, memoryKiB, time, parallelism } as Argon2Setting;
  if (setting.time < 1 || setting.parallelism < 1 || setting.parallelism > 0xffffff) {
    return fail('malformed', 'argon2 t and p must be at least 1');
  }
  if (setting.memoryKiB < 8 * setting.parallelism) return fail('malformed', 'argon2 m is below 8·p');
  const salt = decodeBase64Unpadded(saltText);
  const expected = decodeBase64Unpadded(hashText);
  if (salt === undefined || expected === undefined)
    return fail('malformed', 'argon2 salt or hash is not unpadded base64');
  if (salt.length < 8) return fail('malformed', 'argon2 salt is shorter than 8 bytes');
  if (expected.length < 4) return fail('malformed', 'argon2 hash is shorter than 4 bytes');
  return {
    scheme,
    cost: {
      primitive: 'argon2',
      memoryKiB: setting.memoryKiB,
      time: setting.time,
      parallelism: setting.parallelism,
    },
    params: {
      argon2MemoryKiB: setting.memoryKiB,
      argon2Time: setting.time,
      argon2Parallelism: setting.parallelism,
    },
    expected,
    derive: (password) => computeArgon2(password, salt, setting, expected.length),
  };
}

export const argon2Codec: SchemeCodec = {
  detect(stored) {
    if (stored.startsWith('$argon2id$')) return 'argon2id';
    if (stored.startsWith('$argon2i$')) return 'argon2i';
    if (stored.startsWith(`${DJANGO_PREFIX}$argon2`)) return 'django-argon2';
    return undefined;
  },
  parse(stored, scheme) {
    // Django stores 'argon2' followed by the reference's own PHC string.
    return parsePhc(scheme === 'django-argon2' ? stored.slice(DJANGO_PREFIX.length) : stored, scheme);
  },
  async hash(scheme: HashScheme, password: Uint8Array, params: HashParams) {
    // Defaults: argon2-cffi 21.2+ / RFC 9106 low-memory profile; Django 3.2 (m=102400, t=2, p=8) for Django.
    const django = scheme === 'django-argon2';
    const setting: Argon2Setting = {
      variant: scheme === 'argon2i' ? 'i' : 'id',
      memoryKiB: params.argon2MemoryKiB ?? (django ? 102400 : 65536),
      time: params.argon2Time ?? (django ? 2 : 3),
      parallelism: params.argon2Parallelism ?? (django ? 8 : 4),
    };
    const salt = randomBytes(16);
    const hash = await computeArgon2(password, salt, setting, django ? 16 : 32);
    const phc = `$argon2${setting.variant}$v=19$m=${setting.memoryKiB},t=${setting.time},p=${setting.parallelism}$${encodeBase64Unpadded(salt)}$${encodeBase64Unpadded(hash)}`;
    return django ? `${DJANGO_PREFIX}${phc}` : phc;
  },
};
