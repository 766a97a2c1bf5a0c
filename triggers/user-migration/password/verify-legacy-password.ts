/**
 * Verification of legacy password hashes for the UserMigration trigger: pure, no I/O, no logging.
 *
 * Never throws on a stored hash, however hostile: a hash it cannot or will not verify comes back as
 * `ok: false` with a reason, and parameters beyond {@link VerifyLimits} are refused before any hashing.
 */
import { randomBytes } from 'node:crypto';
import { argon2Codec } from './argon2-schemes.js';
import { aspnetIdentityCodec } from './aspnet-identity-schemes.js';
import { bcryptCodec } from './bcrypt-schemes.js';
import { equalDigests } from './digests.js';
import {
  isParseFailure,
  type HashParams,
  type HashScheme,
  type ParsedHash,
  type ParseFailure,
  type SchemeCodec,
} from './hash-scheme.js';
import { phpassCodec } from './phpass-scheme.js';
import { pbkdf2Codec } from './pbkdf2-schemes.js';
import { scryptCodec } from './scrypt-schemes.js';
import { DEFAULT_VERIFY_LIMITS, findLimitBreach, type VerifyLimits } from './verify-limits.js';
import { HashSchemeError } from '../errors.js';
import { createCostModel, type CostModel } from './verify-cost.js';

export { HASH_SCHEMES, type HashParams, type HashScheme } from './hash-scheme.js';
export { DEFAULT_VERIFY_LIMITS, type VerifyLimits } from './verify-limits.js';

/**
 * Why a password was not accepted. Only `mismatch` says anything about the password itself; `over-budget`
 * says the verification was not started because it could not finish inside the time given.
 */
export type VerifyFailureReason =
  'mismatch' | 'unsupported' | 'malformed' | 'hostile' | 'password-too-long' | 'over-budget';

/** How much time a verification may take, and the model that estimates it. */
export interface VerifyBudget {
  /** Milliseconds the verification may take; one estimated to take longer is not started. */
  readonly budgetMs?: number;
  /** Default: the container's own model, calibrated on first use of each primitive. */
  readonly costModel?: CostModel;
}

export type VerifyResult =
  | { readonly ok: true; readonly scheme: HashScheme }
  | {
      readonly ok: false;
      readonly scheme?: HashScheme;
      readonly reason: VerifyFailureReason;
      /** Non-secret explanation for logs, e.g. "bcrypt cost 31 > 14"; never the hash or the password. */
      readonly detail?: string;
    };

const CODECS: readonly SchemeCodec[] = [
  bcryptCodec,
  phpassCodec,
  argon2Codec,
  pbkdf2Codec,
  scryptCodec,
  aspnetIdentityCodec,
];

/** Which codec writes each scheme (for dummy hashes). */
const SCHEME_CODECS: Readonly<Record<HashScheme, SchemeCodec>> = {
  bcrypt: bcryptCodec,
  'wordpress-bcrypt': bcryptCodec,
  'django-bcrypt-sha256': bcryptCodec,
  'django-bcrypt': bcryptCodec,
  phpass: phpassCodec,
  argon2id: argon2Codec,
  argon2i: argon2Codec,
  'django-argon2': argon2Codec,
  'django-pbkdf2-sha256': pbkdf2Codec,
  'django-pbkdf2-sha1': pbkdf2Codec,
  'werkzeug-pbkdf2': pbkdf2Codec,
  'passlib-pbkdf2-sha256': pbkdf2Codec,
  'passlib-pbkdf2-sha512': pbkdf2Codec,
  'passlib-pbkdf2-sha1': pbkdf2Codec,
  'werkzeug-scrypt': scryptCodec,
  'passlib-scrypt': scryptCodec,
  'aspnet-identity-v2': aspnetIdentityCodec,
  'aspnet-identity-v3': aspnetIdentityCodec,
};

function findCodec(stored: string): { codec: SchemeCodec; scheme: HashScheme } | undefined {
  for (const codec of CODECS) {
    const scheme = codec.detect(stored);
    if (scheme !== undefined) return { codec, scheme };
  }
  return undefined;
}

/** Which scheme a stored hash claims to be, from its prefix and shape alone (no decoding, no work). */
export function detectHashScheme(stored: string): HashScheme | undefined {
  return typeof stored === 'string' ? findCodec(stored)?.scheme : undefined;
}

function parseStoredHash(
  stored: string,
  limits: VerifyLimits,
): ParsedHash | (ParseFailure & { scheme?: HashScheme }) {
  if (stored.length > limits.maxStoredHashChars)
    return { reason: 'malformed', detail: `stored hash longer than ${limits.maxStoredHashChars} characters` };
  const found = findCodec(stored);
  if (found === undefined) return { reason: 'unsupported', detail: 'no known hash format matches' };
  try {
    const parsed = found.codec.parse(stored, found.scheme);
    return isParseFailure(parsed) ? { ...parsed, scheme: found.scheme } : parsed;
  } catch {
    // Parsers return failures rather than throw; this is the backstop for the promise never to throw.
    return { reason: 'malformed', detail: 'the stored hash could not be parsed', scheme: found.scheme };
  }
}

/** The container's cost model: calibrated once per primitive, on its first use. */
export const containerCostModel: CostModel = createCostModel({
  parse: (stored) => {
    const parsed = parseStoredHash(stored, DEFAULT_VERIFY_LIMITS);
    return isParseFailure(parsed) ? undefined : parsed;
  },
});

/**
 * Checks `password`, exactly as received (no trimming, no Unicode normalisation), against a legacy hash.
 *
 * @example
 * ```ts
 * const result = await verifyLegacyPassword(event.request.password, user.passwordHash);
 * if (!result.ok) throw new RejectionError('MIGRATION_FAILED');
 * ```
 */
export async function verifyLegacyPassword(
  password: string,
  stored: string,
  limits: VerifyLimits = DEFAULT_VERIFY_LIMITS,
  budget: VerifyBudget = {},
): Promise<VerifyResult> {
  if (typeof password !== 'string' || typeof stored !== 'string')
    return { ok: false, reason: 'malformed', detail: 'not a string' };
  const scheme = detectHashScheme(stored.slice(0, limits.maxStoredHashChars));
  // Password checks come first and depend on the password only, so they answer alike for every stored hash.
  const passwordBytes = Buffer.from(password, 'utf8');
  // Cognito never sends an empty password, and no legacy account should migrate with one.
  if (passwordBytes.length === 0) return { ok: false, scheme, reason: 'mismatch', detail: 'empty password' };
  if (passwordBytes.length > limits.maxPasswordBytes)
    return { ok: false, scheme, reason: 'password-too-long' };

  const parsed = parseStoredHash(stored, limits);
  if (isParseFailure(parsed))
    return { ok: false, scheme: parsed.scheme, reason: parsed.reason, detail: parsed.detail };
  const breach = findLimitBreach(parsed.cost, limits);
  if (breach !== undefined)
    return { ok: false, scheme: parsed.scheme, reason: breach.reason, detail: breach.detail };
  if (budget.budgetMs !== undefined && Number.isFinite(budget.budgetMs)) {
    const estimateMs = await (budget.costModel ?? containerCostModel).estimateMs(parsed);
    // Written so that a NaN estimate refuses too.
    if (!(estimateMs <= budget.budgetMs)) {
      return {
        ok: false,
        scheme: parsed.scheme,
        reason: 'over-budget',
        detail: `estimated ${Math.ceil(estimateMs)} ms > ${Math.max(0, Math.floor(budget.budgetMs))} ms left`,
      };
    }
  }
  if (parsed.refusesPassword?.(passwordBytes) === true)
    return { ok: false, scheme: parsed.scheme, reason: 'mismatch' };

  let derived: Uint8Array;
  try {
    const started = performance.now();
    derived = await parsed.derive(passwordBytes);
    (budget.costModel ?? containerCostModel).record?.(parsed, performance.now() - started);
  } catch {
    // A primitive refusing parameters the parser let through (e.g. scrypt's N < 2^(16r)): the reference refuses them too.
    return {
      ok: false,
      scheme: parsed.scheme,
      reason: 'malformed',
      detail: 'the hash primitive refused the parameters',
    };
  }
  return equalDigests(derived, parsed.expected)
    ? { ok: true, scheme: parsed.scheme }
    : { ok: false, scheme: parsed.scheme, reason: 'mismatch' };
}

/** A stored hash's scheme and cost parameters, in the shape `createDummyHash` takes. */
export function inspectLegacyHash(stored: string): { scheme: HashScheme; params: HashParams } | undefined {
  if (typeof stored !== 'string') return undefined;
  const parsed = parseStoredHash(stored, DEFAULT_VERIFY_LIMITS);
  return isParseFailure(parsed) ? undefined : { scheme: parsed.scheme, params: parsed.params };
}

/**
 * A valid hash of a random secret in the given scheme with typical parameters, for the unknown-user path:
 * verifying against it costs the same as a real verification. Pass `params` (e.g. from
 * `inspectLegacyHash` on a real user's hash) to match the store's actual cost.
 *
 * @example
 * ```ts
 * const dummy = await createDummyHash('bcrypt', { bcryptCost: 12 }); // once, at cold start
 * await verifyLegacyPassword(password, user?.passwordHash ?? dummy);
 * ```
 */
export async function createDummyHash(
  scheme: HashScheme,
  params: HashParams = {},
  limits: VerifyLimits = DEFAULT_VERIFY_LIMITS,
): Promise<string> {
  const codec = Object.hasOwn(SCHEME_CODECS, scheme) ? SCHEME_CODECS[scheme] : undefined;
  if (codec === undefined) throw new HashSchemeError(`Unknown hash scheme: ${String(scheme)}`);
  const resolved = resolveCost(scheme, params);
  // A dummy beyond the limits would be refused as hostile at once, and the unknown-user path would be fast.
  const breach = findParamsBreach(resolved, limits);
  if (breach !== undefined)
    throw new HashSchemeError(`Dummy hash parameters exceed the verify limits: ${breach}`);
  const dummy = await codec.hash(scheme, randomBytes(32), resolved);
  const parsed = parseStoredHash(dummy, limits);
  if (isParseFailure(parsed))
    throw new HashSchemeError(`Dummy hash parameters are not usable: ${parsed.detail}`);
  const verifyBreach = findLimitBreach(parsed.cost, limits);
  if (verifyBreach !== undefined)
    throw new HashSchemeError(`Dummy hash parameters exceed the verify limits: ${verifyBreach.detail}`);
  return dummy;
}

/** Turns the single `cost` knob into the scheme's own parameter. */
function resolveCost(scheme: HashScheme, params: HashParams): HashParams {
  const { cost, ...specific } = params;
  if (cost === undefined) return specific;
  switch (SCHEME_CODECS[scheme]) {
    case bcryptCodec:
      return { bcryptCost: cost, ...specific };
    case phpassCodec:
      return { phpassLog2Rounds: cost, ...specific };
    case scryptCodec:
      return { scryptN: 2 ** cost, ...specific };
    case argon2Codec:
      return { argon2Time: cost, ...specific };
    default:
      return { pbkdf2Iterations: cost, ...specific };
  }
}

/** Checks the explicit parameters before hashing, so a misconfigured cost 31 fails fast instead of hashing for hours. */
function findParamsBreach(params: HashParams, limits: VerifyLimits): string | undefined {
  const checks: Array<[number | undefined, number, string]> = [
    [params.bcryptCost, limits.maxBcryptCost, 'bcrypt cost'],
    [params.phpassLog2Rounds, limits.maxPhpassLog2Rounds, 'phpass log2 rounds'],
    [params.pbkdf2Iterations, limits.maxPbkdf2Iterations, 'PBKDF2 iterations'],
    [params.argon2MemoryKiB, limits.maxArgon2MemoryKiB, 'argon2 memory'],
    [params.argon2Time, limits.maxArgon2Time, 'argon2 time'],
    [params.argon2Parallelism, limits.maxArgon2Parallelism, 'argon2 parallelism'],
    [
      params.scryptN === undefined
        ? undefined
        : 128 * params.scryptN * (params.scryptR ?? 8) * (params.scryptP ?? 1),
      limits.maxScryptMemoryBytes,
      'scrypt memory',
    ],
  ];
  for (const [value, limit, name] of checks) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value <= limit))
      return `${name} ${value} > ${limit}`;
  }
  return undefined;
}
