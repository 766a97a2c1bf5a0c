import { createHmac, randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { redactLogValue } from './redact.js';

/**
 * The toolkit's one Logger: JSON lines, Powertools' standard keys, and redaction that holds for
 * every line (see `shared/redact.ts`). Service name and level come from the standard Powertools
 * variables (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`).
 *
 * @example
 * ```ts
 * logger.info('user migrated', { user: hashUsername(event.userName), scheme: 'bcrypt' });
 * ```
 */
export const logger = new Logger({ jsonReplacerFn: redactLogValue });

/** The toolkit's Tracer; off outside Lambda, and never captures responses (see the handler composition). */
export const tracer = new Tracer();

// Without LOG_HASH_KEY the key is random per container: hashes correlate within a container only, and a
// guessed email cannot be confirmed from the logs.
const hashKey = process.env.LOG_HASH_KEY?.trim() || randomBytes(32).toString('hex');

/**
 * A keyed hash of a username for logs: the same username gives the same hash (with `LOG_HASH_KEY`
 * set, across containers), and the hash reveals nothing without the key.
 *
 * @example
 * ```ts
 * logger.appendKeys({ user: hashUsername('alice@example.com') }); // "u_3f9c0a1b2c3d4e5f"
 * ```
 */
export function hashUsername(username: string): string {
  let hash = recentHashes.get(username);
  if (hash === undefined) {
    hash = `u_${createHmac('sha256', hashKey).update(username, 'utf8').digest('hex').slice(0, 16)}`;
    // Warm containers see the same users again (retries, refreshes); a small bounded memo spares the HMAC.
    if (recentHashes.size >= 1024) recentHashes.clear();
    recentHashes.set(username, hash);
  }
  return hash;
}

const recentHashes = new Map<string, string>();
