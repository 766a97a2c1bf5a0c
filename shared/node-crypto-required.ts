import type * as NodeCrypto from 'node:crypto';
import { requireBuiltin } from './builtins.js';

/*
 * `node:crypto` for UserMigration's bundle, loaded at import as before but required, not imported.
 * template.yaml aliases `node:crypto` to this module (`Alias` in UserMigration's BuildProperties), so every
 * `import { ... } from 'node:crypto'` in that bundle, the toolkit's and Powertools Logger's, gets these.
 *
 * Why: a static `import` of a built-in makes Node build the module's ESM facade, which reads every export, and
 * `node:crypto`'s `webcrypto` export is a getter that loads Node's Web Crypto (internal/crypto/webcrypto: ~0.4 ms
 * and ~30 page faults of a fresh process here) for a function that never uses it (with pg's own read of it
 * deferred too: tools/generate-embedded-modules.ts, `deferWebCrypto`). A `require` builds no facade. The other
 * functions load Web Crypto for their first answer anyway (the AWS SDK), and PreSignUp and CustomMessage defer
 * `node:crypto` altogether (shared/node-crypto-on-demand.ts).
 *
 * It exports every function the toolkit's modules and Powertools import from `node:crypto`, as
 * node-crypto-on-demand.ts does; a module of the bundle that imports anything else fails the build ("No
 * matching export"), the signal to add it here. What the username hasher looks up on its namespace import and
 * this module lacks (`hmacSha256Hex`) is undefined, so it uses `createHmac` (shared/observability.ts).
 */

const crypto = requireBuiltin<typeof NodeCrypto>('node:crypto');

export const {
  argon2,
  createHash,
  createHmac,
  getRandomValues,
  pbkdf2,
  randomBytes,
  randomInt,
  scrypt,
  timingSafeEqual,
} = crypto;
