import type { HashCost, ParseFailure } from './hash-scheme.js';

/**
 * Upper bounds on the work one verification may do. A stored hash whose parameters exceed them is refused
 * as `hostile` before any hashing, so a tampered row cannot pin the function's CPU or memory.
 */
export interface VerifyLimits {
  /** Longest password, in UTF-8 bytes, that is hashed at all. */
  readonly maxPasswordBytes: number;
  /** Longest stored hash string, in characters, that is parsed at all. */
  readonly maxStoredHashChars: number;
  /** PBKDF2 iterations times output blocks (one block for every format's default key length). */
  readonly maxPbkdf2Iterations: number;
  /** bcrypt cost (log2 rounds). */
  readonly maxBcryptCost: number;
  /** phpass log2 of the MD5 rounds. */
  readonly maxPhpassLog2Rounds: number;
  /** scrypt's 128·N·r·p, in bytes: the memory of one lane times the lanes run one after another. */
  readonly maxScryptMemoryBytes: number;
  /** Argon2 memory (m), KiB. */
  readonly maxArgon2MemoryKiB: number;
  /** Argon2 passes (t). */
  readonly maxArgon2Time: number;
  /** Argon2 lanes (p); the WASM implementation runs them one after another. */
  readonly maxArgon2Parallelism: number;
}

/**
 * Defaults that admit every reference implementation's default and OWASP's recommendations with room to
 * spare, and keep one verification well inside Cognito's 5-second trigger budget on a 1 GB Lambda.
 */
export const DEFAULT_VERIFY_LIMITS: VerifyLimits = Object.freeze({
  // Cognito accepts at most 256 characters; 4 UTF-8 bytes each is the most a Cognito password can take.
  maxPasswordBytes: 1024,
  maxStoredHashChars: 1024,
  // Django 6.0 defaults to 1,200,000; Werkzeug 3.1 to 1,000,000; OWASP asks 600,000 (SHA-256), 1,300,000 (SHA-1).
  maxPbkdf2Iterations: 2_000_000,
  // Cost 14 is about 1 s; common defaults are 10 (PHP < 8.4, WordPress) and 12 (Django, Python bcrypt, PHP 8.4).
  maxBcryptCost: 14,
  // WordPress and phpBB write 13 (8192 MD5 rounds); 2^18 rounds stay well under a second.
  maxPhpassLog2Rounds: 18,
  // passlib's default (N=2^16, r=8) needs 64 MiB, Werkzeug's (N=2^15, r=8) 32 MiB.
  maxScryptMemoryBytes: 256 * 1024 * 1024,
  // Django 3.2 uses 100 MiB (m=102400), argon2-cffi 64 MiB, OWASP's minimum 19 MiB.
  maxArgon2MemoryKiB: 256 * 1024,
  maxArgon2Time: 10,
  maxArgon2Parallelism: 16,
});

/** The first limit `cost` breaks, as a hostile failure, or undefined when it is within every limit. */
export function findLimitBreach(cost: HashCost, limits: VerifyLimits): ParseFailure | undefined {
  const breach = (detail: string): ParseFailure => ({ reason: 'hostile', detail });
  switch (cost.primitive) {
    case 'bcrypt':
      return cost.cost > limits.maxBcryptCost
        ? breach(`bcrypt cost ${cost.cost} > ${limits.maxBcryptCost}`)
        : undefined;
    case 'phpass':
      return cost.log2Rounds > limits.maxPhpassLog2Rounds
        ? breach(`phpass log2 rounds ${cost.log2Rounds} > ${limits.maxPhpassLog2Rounds}`)
        : undefined;
    case 'pbkdf2': {
      const work = cost.iterations * cost.blocks;
      return work > limits.maxPbkdf2Iterations
        ? breach(`PBKDF2 iterations × blocks ${work} > ${limits.maxPbkdf2Iterations}`)
        : undefined;
    }
    case 'scrypt': {
      const memory = 128 * cost.n * cost.r * cost.p;
      return memory > limits.maxScryptMemoryBytes
        ? breach(`scrypt 128·N·r·p ${memory} > ${limits.maxScryptMemoryBytes}`)
        : undefined;
    }
    case 'argon2':
      if (cost.memoryKiB > limits.maxArgon2MemoryKiB)
        return breach(`argon2 m ${cost.memoryKiB} > ${limits.maxArgon2MemoryKiB}`);
      if (cost.time > limits.maxArgon2Time) return breach(`argon2 t ${cost.time} > ${limits.maxArgon2Time}`);
      if (cost.parallelism > limits.maxArgon2Parallelism) {
        return breach(`argon2 p ${cost.parallelism} > ${limits.maxArgon2Parallelism}`);
      }
      return undefined;
  }
}
