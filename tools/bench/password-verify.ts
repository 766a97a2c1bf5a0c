/**
 * `npm run bench` section "password": each legacy-hash verifier at OWASP's recommended parameters against
 * the native reference, run side by side (interleaved rounds, median ms per verification).
 *
 * - PBKDF2 and scrypt: the toolkit's parse + verify vs calling node:crypto directly (goal ≤ 1.05×).
 * - bcrypt: hash-wasm (the toolkit's choice) and bcryptjs (the alternative) vs the native `bcrypt` addon (≤ 1.15×).
 * - Argon2id: the toolkit (Node 24's native `crypto.argon2`) and hash-wasm (the WASM path it replaced) vs the
 *   native `@node-rs/argon2` (≤ 2.5×).
 */
import { pbkdf2, scrypt } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { verify as nativeArgon2Verify, hash as nativeArgon2Hash } from '@node-rs/argon2';
import bcryptjs from 'bcryptjs';
import { argon2id as wasmArgon2id } from 'hash-wasm';
import {
  createDummyHash,
  verifyLegacyPassword,
} from '../../triggers/user-migration/password/verify-legacy-password.js';
import { measureInterleaved } from './measure.js';
import type { BenchRow } from './types.js';

// The native addon ships no types (and @types/bcrypt is not installed); these two calls are all the bench uses.
const nativeBcrypt = createRequire(import.meta.url)('bcrypt') as {
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
};

const GROUP = 'password verification';
const PASSWORD = 'correct horse battery staple';
const WRONG = 'Tr0ub4dor&3';
const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

function row(
  name: string,
  medians: Record<string, number>,
  measuredKey: string,
  baselineKey: string,
  goal: number,
  note?: string,
): BenchRow {
  const measured = medians[measuredKey] ?? Number.NaN;
  const baseline = medians[baselineKey] ?? Number.NaN;
  const ratio = measured / baseline;
  return {
    group: GROUP,
    name,
    measured,
    baseline,
    unit: 'ms/op',
    ratio,
    goal: `≤ ${goal}×`,
    met: ratio <= goal,
    ...(note ? { note } : {}),
  };
}

async function expectVerifies(stored: string): Promise<void> {
  const result = await verifyLegacyPassword(PASSWORD, stored);
  if (!result.ok) throw new Error(`bench fixture did not verify: ${result.reason}`);
}

async function benchPbkdf2(): Promise<BenchRow> {
  // OWASP: PBKDF2-HMAC-SHA256 with 600,000 iterations; Django's format.
  const salt = 'benchsaltbenchsalt';
  const key = await pbkdf2Async(PASSWORD, salt, 600_000, 32, 'sha256');
  const stored = `pbkdf2_sha256$600000$${salt}$${key.toString('base64')}`;
  await expectVerifies(stored);
  const medians = await measureInterleaved(
    {
      toolkit: () => verifyLegacyPassword(WRONG, stored),
      native: () => pbkdf2Async(WRONG, salt, 600_000, 32, 'sha256'),
    },
    { rounds: 7, opsPerRound: 1, warmupRounds: 1 },
  );
  return row(
    'PBKDF2-SHA256 600,000 iterations (django format) vs node:crypto pbkdf2',
    medians,
    'toolkit',
    'native',
    1.05,
  );
}

async function benchScrypt(): Promise<BenchRow> {
  // OWASP: scrypt N=2^17, r=8, p=1; passlib's format.
  const stored = await createDummyHash('passlib-scrypt', { scryptN: 2 ** 17, scryptR: 8, scryptP: 1 });
  const salt = Buffer.from(stored.split('$')[3] ?? '', 'base64');
  const options = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
  const medians = await measureInterleaved(
    {
      toolkit: () => verifyLegacyPassword(WRONG, stored),
      native: () => scryptAsync(WRONG, salt, 32, options),
    },
    { rounds: 7, opsPerRound: 1, warmupRounds: 1 },
  );
  return row(
    'scrypt N=2^17 r=8 p=1 (passlib format) vs node:crypto scrypt',
    medians,
    'toolkit',
    'native',
    1.05,
  );
}

async function benchBcrypt(): Promise<BenchRow[]> {
  // OWASP: bcrypt cost 10 at least; WordPress and PHP < 8.4 write 10.
  const stored = await nativeBcrypt.hash(PASSWORD, 10);
  await expectVerifies(stored);
  const medians = await measureInterleaved(
    {
      toolkit: () => verifyLegacyPassword(WRONG, stored),
      bcryptjs: () => bcryptjs.compare(WRONG, stored),
      native: () => nativeBcrypt.compare(WRONG, stored),
    },
    // 25 rounds (~15 s): with 9, the same code read 1.09-1.22x from run to run, the high ones in full runs
    // (after the cold-start section's hundreds of child processes), 1.09-1.11x in this section run alone.
    { rounds: 25, opsPerRound: 2, warmupRounds: 1 },
  );
  const alternative = row(
    'bcrypt cost 10 (bcryptjs, the alternative not chosen) vs native bcrypt',
    medians,
    'bcryptjs',
    'native',
    1.15,
    'for the choice between the two bundle-safe implementations only',
  );
  return [
    row('bcrypt cost 10 (toolkit: hash-wasm) vs native bcrypt', medians, 'toolkit', 'native', 1.15),
    { ...alternative, goal: 'informational', met: true },
  ];
}

async function benchArgon2(): Promise<BenchRow[]> {
  // OWASP: Argon2id m=19 MiB, t=2, p=1.
  const stored = await nativeArgon2Hash(PASSWORD, {
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
    algorithm: 2,
  });
  await expectVerifies(stored);
  const salt = Buffer.from(stored.split('$')[4]!, 'base64');
  const medians = await measureInterleaved(
    {
      toolkit: () => verifyLegacyPassword(WRONG, stored),
      wasm: () =>
        wasmArgon2id({
          password: WRONG,
          salt,
          iterations: 2,
          parallelism: 1,
          memorySize: 19456,
          hashLength: 32,
          outputType: 'binary',
        }),
      native: () => nativeArgon2Verify(stored, WRONG),
    },
    { rounds: 9, opsPerRound: 2, warmupRounds: 1 },
  );
  return [
    row(
      'Argon2id m=19456 t=2 p=1 (toolkit: node:crypto argon2) vs native @node-rs/argon2',
      medians,
      'toolkit',
      'native',
      2.5,
    ),
    {
      ...row(
        'Argon2id m=19456 t=2 p=1 (hash-wasm, the WASM path it replaced) vs native @node-rs/argon2',
        medians,
        'wasm',
        'native',
        Number.POSITIVE_INFINITY,
      ),
      goal: 'informational',
      met: true,
    },
  ];
}

/** Rows for `npm run bench`: every verifier against its native reference, measured in this run. */
export async function benchPasswordVerification(): Promise<BenchRow[]> {
  return [await benchPbkdf2(), await benchScrypt(), ...(await benchBcrypt()), ...(await benchArgon2())];
}
