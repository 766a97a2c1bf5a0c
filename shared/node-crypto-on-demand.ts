import type * as NodeCrypto from 'node:crypto';
import { requireBuiltin } from './builtins.js';

/*
 * `node:crypto` for the functions' bundles, loaded on the first call of one of its functions rather than at
 * import. template.yaml aliases `node:crypto` to this module (`Alias` in each function's BuildProperties),
 * so every `import { ... } from 'node:crypto'` in a bundle, the toolkit's and Powertools Logger's, gets these.
 *
 * Why: loading `node:crypto` (the module and the ~20 internal modules it requires) took 8.5-10 ms and ~350
 * page faults of a fresh process here, about a tenth of a cold start, and ~380 kB of young-generation
 * allocation, enough to add a scavenge before the first answer. Powertools Logger imports `randomInt` for
 * debug-log sampling, which is off unless `POWERTOOLS_LOGGER_SAMPLE_RATE` is set; the toolkit hashes
 * usernames without it (shared/username-hash.ts). A trigger whose configuration needs crypto (a password
 * verification, an AWS SDK request) loads it when it first does.
 *
 * Only functions can be deferred so: a module of the bundle that imports anything else from `node:crypto`
 * (a class, a constant) fails the build ("No matching export"), which is the signal to add it here or to
 * drop the alias. test/shared/node-crypto-on-demand.test.ts holds the list to what the bundles import.
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
