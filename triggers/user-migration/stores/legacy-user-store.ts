/**
 * The port between the migration trigger and the system users are leaving. The bundled adapters
 * (PostgreSQL, MySQL/MariaDB, HTTP) implement it; a custom store is a few lines:
 *
 * @example
 * ```ts
 * const store: LegacyUserStore = {
 *   async findUser(username, signal) {
 *     const response = await fetch(`https://legacy.internal/users/${encodeURIComponent(username)}`, { signal });
 *     if (response.status === 404) return undefined;
 *     const row = await response.json();
 *     return { passwordHash: row.hash, disabled: row.locked, attributes: { email: row.email, email_verified: 'true' } };
 *   },
 * };
 * export const handler = createUserMigrationHandler({ store });
 * ```
 */
export interface LegacyUserStore {
  /**
   * The legacy record for `username` exactly as Cognito received it, or `undefined` when there is
   * none. Must give up when `signal` aborts. Throw for faults (unreachable, ambiguous); the trigger
   * then fails closed with `[TEMPORARY_FAILURE]`.
   */
  findUser(username: string, signal: AbortSignal): Promise<LegacyUser | undefined>;
  /**
   * Optional: note in the legacy store that `username` now lives in Cognito. Must be idempotent:
   * Cognito retries a migration whose answer it did not receive. A failure here never fails the
   * migration.
   */
  recordMigrated?(username: string, signal: AbortSignal): Promise<void>;
  /** Optional: release connections (tests and tools; Lambda simply freezes the container). */
  close?(): Promise<void>;
}

/** A user as the legacy store knows them, already in Cognito's vocabulary. */
export interface LegacyUser {
  /** The stored hash (bcrypt, phpass, Django, ...); absent for users who never had a password. */
  readonly passwordHash?: string;
  /** A disabled legacy user is refused exactly like an unknown one. */
  readonly disabled: boolean;
  /**
   * Cognito attribute names (`email`, `email_verified`, `custom:plan`, ...) to string values;
   * booleans are `'true'`/`'false'`.
   */
  readonly attributes: Readonly<Record<string, string>>;
}
