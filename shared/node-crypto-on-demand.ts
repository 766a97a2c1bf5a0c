import type * as NodeCrypto from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { requireBuiltin } from './builtins.js';

/*
 * `node:crypto` for the functions' bundles, loaded on the first call of one of its functions rather than at
 * import. template.yaml aliases `node:crypto` to this module (`Alias` in the BuildProperties of PreSignUp and
 * CustomMessage, whose first answer needs no cryptography), so every `import { ... } from 'node:crypto'` in
 * those bundles, the toolkit's and Powertools Logger's, gets these. The other functions load it for their first
 * answer anyway (request signing, the Encryption SDK, UserMigration's dummy verification, pg), and
 * deferring it into the answer made theirs no faster (UserMigration over HTTP, paired: 1.07-1.10x -> 1.08-1.11x).
 *
 * Why: loading `node:crypto` (the module and the ~20 internal modules it requires) took 8.5-10 ms and ~350
 * page faults of a fresh process here, about a tenth of a cold start. Powertools Logger imports `randomInt` for
 * debug-log sampling, which is off unless `POWERTOOLS_LOGGER_SAMPLE_RATE` is set; the toolkit hashes
 * usernames with this module's `hmacSha256Hex` where it is aliased (`createUsernameHasher` in
 * shared/observability.ts), with `node:crypto`'s `createHmac` everywhere else. A configuration that needs crypto
 * (lists in SSM: an AWS SDK request) loads it when it first does.
 *
 * It exports every function the toolkit's own modules and Powertools import from `node:crypto` (the password
 * schemes' too), so that any function's build may take the alias; PreSignUp's and CustomMessage's bundles call
 * `randomInt` (Powertools), `createHmac` and `randomBytes` (the username hash's fallbacks) of them.
 *
 * Only functions can be deferred so: a module of the bundle that imports anything else from `node:crypto`
 * (a class, a constant) fails the build ("No matching export"), which is the signal to add it here or to
 * drop the alias (the bundle tests build every function with its template options).
 */

let loaded: typeof NodeCrypto | undefined;
const crypto = (): typeof NodeCrypto => (loaded ??= requireBuiltin<typeof NodeCrypto>('node:crypto'));

/** `fn` of `node:crypto`, called through; `node:crypto` is loaded by the first call. */
function onDemand<K extends keyof typeof NodeCrypto>(name: K): (typeof NodeCrypto)[K] {
  return ((...args: unknown[]) =>
    (crypto()[name] as (...args: unknown[]) => unknown)(...args)) as (typeof NodeCrypto)[K];
}

export const argon2 = /* @__PURE__ */ onDemand('argon2');
export const createHash = /* @__PURE__ */ onDemand('createHash');
export const createHmac = /* @__PURE__ */ onDemand('createHmac');
export const getRandomValues = /* @__PURE__ */ onDemand('getRandomValues');
export const pbkdf2 = /* @__PURE__ */ onDemand('pbkdf2');
export const randomBytes = /* @__PURE__ */ onDemand('randomBytes');
export const randomInt = /* @__PURE__ */ onDemand('randomInt');
export const scrypt = /* @__PURE__ */ onDemand('scrypt');
export const timingSafeEqual = /* @__PURE__ */ onDemand('timingSafeEqual');

/**
 * HMAC-SHA-256 of `message` (as UTF-8) under `key`, in hex, without `node:crypto` (`@noble/hashes`): the
 * username hash of a bundle that defers `node:crypto`, which looks for this export on what it imports as
 * `node:crypto` (shared/observability.ts). The same digest as `createHmac('sha256', key).update(message)`.
 */
export function hmacSha256Hex(key: Uint8Array, message: string): string {
  return bytesToHex(hmac(sha256, key, utf8ToBytes(message)));
}
