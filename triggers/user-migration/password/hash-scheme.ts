import type { Pbkdf2Digest } from './digests.js';

/** The legacy hash formats this module verifies; the name says which software wrote the hash. */
export type HashScheme =
  | 'bcrypt'
  | 'wordpress-bcrypt'
  | 'phpass'
  | 'argon2id'
  | 'argon2i'
  | 'django-pbkdf2-sha256'
  | 'django-pbkdf2-sha1'
  | 'django-argon2'
  | 'django-bcrypt-sha256'
  | 'django-bcrypt'
  | 'werkzeug-pbkdf2'
  | 'werkzeug-scrypt'
  | 'aspnet-identity-v2'
  | 'aspnet-identity-v3'
  | 'passlib-pbkdf2-sha256'
  | 'passlib-pbkdf2-sha512'
  | 'passlib-pbkdf2-sha1'
  | 'passlib-scrypt';

/** Every scheme, in a stable order (used by tests, the bench and config validation). */
export const HASH_SCHEMES: readonly HashScheme[] = Object.freeze([
  'bcrypt',
  'wordpress-bcrypt',
  'phpass',
  'argon2id',
  'argon2i',
  'django-pbkdf2-sha256',
  'django-pbkdf2-sha1',
  'django-argon2',
  'django-bcrypt-sha256',
  'django-bcrypt',
  'werkzeug-pbkdf2',
  'werkzeug-scrypt',
  'aspnet-identity-v2',
  'aspnet-identity-v3',
  'passlib-pbkdf2-sha256',
  'passlib-pbkdf2-sha512',
  'passlib-pbkdf2-sha1',
  'passlib-scrypt',
] satisfies HashScheme[]);

/**
 * The cost parameters of a hash, flat so that a config reader can fill them. Each scheme reads only the
 * fields of its primitive; a missing field takes the scheme's usual default (see `createDummyHash`).
 */
export interface HashParams {
  /**
   * The scheme's one work factor, for configs that have a single knob: bcrypt cost, phpass log2 rounds,
   * PBKDF2 iterations, scrypt log2 N, Argon2 passes. A specific field below wins over it.
   */
  readonly cost?: number;
  /** bcrypt cost (log2 of the rounds), 4..31. */
  readonly bcryptCost?: number;
  /** phpass log2 of the MD5 rounds, 7..30. */
  readonly phpassLog2Rounds?: number;
  /** PBKDF2 iteration count. */
  readonly pbkdf2Iterations?: number;
  /** PBKDF2 HMAC digest, where the format lets it vary (Werkzeug, ASP.NET Identity v3). */
  readonly pbkdf2Digest?: Pbkdf2Digest;
  /** scrypt CPU/memory cost N (a power of two). */
  readonly scryptN?: number;
  /** scrypt block size r. */
  readonly scryptR?: number;
  /** scrypt parallelism p. */
  readonly scryptP?: number;
  /** Argon2 memory in KiB. */
  readonly argon2MemoryKiB?: number;
  /** Argon2 passes. */
  readonly argon2Time?: number;
  /** Argon2 lanes. */
  readonly argon2Parallelism?: number;
}

/** What a stored hash costs to verify, in the terms the limits are written in. */
export type HashCost =
  | { readonly primitive: 'bcrypt'; readonly cost: number }
  | { readonly primitive: 'phpass'; readonly log2Rounds: number }
  | { readonly primitive: 'pbkdf2'; readonly iterations: number; readonly blocks: number }
  | { readonly primitive: 'scrypt'; readonly n: number; readonly r: number; readonly p: number }
  | {
      readonly primitive: 'argon2';
      readonly memoryKiB: number;
      readonly time: number;
      readonly parallelism: number;
    };

/** Why a stored hash cannot be verified, found without doing the expensive work. */
export type ParseFailure = {
  readonly reason: 'malformed' | 'unsupported' | 'hostile';
  /** Non-secret explanation for logs (never contains the hash or the password). */
  readonly detail: string;
};

/** A stored hash taken apart: how to recompute the comparable value from a password, and that value. */
export interface ParsedHash {
  readonly scheme: HashScheme;
  readonly cost: HashCost;
  readonly params: HashParams;
  /** What `derive` must produce for the password to match. */
  readonly expected: Uint8Array;
  /** Recomputes the comparable value; `password` is the UTF-8 bytes exactly as received. */
  derive(password: Uint8Array): Promise<Uint8Array>;
  /** Passwords the format cannot represent (e.g. NUL in bcrypt): answered as a mismatch without hashing. */
  refusesPassword?(password: Uint8Array): boolean;
}

/** One family of formats: recognises its hashes, parses them, and writes new ones (for dummy hashes). */
export interface SchemeCodec {
  /** Cheap prefix/shape test; no decoding, no work. */
  detect(stored: string): HashScheme | undefined;
  /** Full strict parse of a hash that `detect` claimed. Never throws. */
  parse(stored: string, scheme: HashScheme): ParsedHash | ParseFailure;
  /** A new hash of `password` in `scheme` with `params` (missing ones at the scheme's defaults). */
  hash(scheme: HashScheme, password: Uint8Array, params: HashParams): Promise<string>;
}

export function fail(reason: ParseFailure['reason'], detail: string): ParseFailure {
  return { reason, detail };
}

export function isParseFailure<T>(value: T | ParseFailure): value is ParseFailure {
  return typeof value === 'object' && value !== null && 'reason' in value;
}

/**
 * Parses a decimal parameter. Absurdly long digit strings are reported as hostile (a number, just too big)
 * rather than malformed, and never reach Number precision limits.
 */
export function parseDecimal(text: string | undefined, name: string): number | ParseFailure {
  if (text === undefined || !/^[0-9]+$/.test(text))
    return fail('malformed', `${name} is not a decimal number`);
  if (text.length > 12) return fail('hostile', `${name} has ${text.length} digits`);
  return Number(text);
}
