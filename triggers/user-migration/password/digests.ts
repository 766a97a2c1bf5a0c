import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';

/** Constant-time equality that answers false on a length mismatch instead of throwing. */
export function equalDigests(actual: Uint8Array, expected: Uint8Array): boolean {
  // Lengths come from the stored hash's format, not from the password, so checking them first leaks nothing.
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}

export type Pbkdf2Digest = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export const PBKDF2_DIGEST_BYTES: Readonly<Record<Pbkdf2Digest, number>> = Object.freeze({
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
});

export function isPbkdf2Digest(name: string): name is Pbkdf2Digest {
  return Object.hasOwn(PBKDF2_DIGEST_BYTES, name);
}

export function derivePbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  keyBytes: number,
  digest: Pbkdf2Digest,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyBytes, digest, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function deriveScrypt(
  password: Uint8Array,
  salt: Uint8Array,
  cost: { n: number; r: number; p: number },
  keyBytes: number,
): Promise<Buffer> {
  // Node refuses work above maxmem; the caller has already bounded 128·N·r·p, so allow exactly that plus slack.
  const maxmem = 128 * cost.n * cost.r * (cost.p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyBytes, { N: cost.n, r: cost.r, p: cost.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
