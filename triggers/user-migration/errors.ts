import { TriggerKitError } from '../../shared/errors.js';

/**
 * A legacy store failed or answered outside its contract. A fault: the trigger fails closed with
 * `[TEMPORARY_FAILURE]`; the message goes to the logs only and never holds a credential or a row.
 * Whatever a custom `LegacyUserStore` throws is treated the same way.
 *
 * @example
 * ```ts
 * throw new LegacyStoreError('The legacy API answered 503', { cause: error });
 * ```
 */
export class LegacyStoreError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'LegacyStoreError';
}

/** A legacy endpoint answered outside its contract (status, body size or shape). A fault. */
export class LegacyEndpointError extends LegacyStoreError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'LegacyEndpointError';
}

/** The result row of `LEGACY_USER_QUERY` lacks a column the mapping requires: a configuration fault. */
export class LegacyRowShapeError extends LegacyStoreError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'LegacyRowShapeError';
}

/** More than one legacy row answers for one username: refusing to guess is the only safe answer. */
export class AmbiguousLegacyUserError extends LegacyStoreError {
  public override name = 'AmbiguousLegacyUserError';
  public constructor(rows: number) {
    super(`LEGACY_USER_QUERY returned ${rows} rows for one username; it must return at most one`);
  }
}

/** A UserMigration event without a username, or of a source the trigger does not handle. A fault. */
export class MalformedMigrationEventError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'MalformedMigrationEventError';
}

/**
 * A password hash scheme cannot be used as asked (an unknown scheme, dummy-hash parameters beyond
 * the verify limits). A fault of the configuration or of the code calling it.
 */
export class HashSchemeError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'HashSchemeError';
}

/** The diagnosis keys a SQL driver error keeps when its message is scrubbed. */
export interface DriverErrorKeys {
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly sqlState?: string;
}

/** A verification that cannot finish inside what is left of the budget: refused before it starts. */
export class VerificationBudgetError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'VerificationBudgetError';
}

/**
 * A SQL driver's error with the bound value taken out: what the store throws instead of the driver's own
 * error, whose message (PostgreSQL: `invalid input syntax for type integer: "<value>"`; MySQL: `Incorrect
 * integer value: '<value>'`) and extra fields (mysql2's `sql` with the values interpolated, pg's `detail`)
 * would carry what the user typed into a log line. The driver's diagnosis keys stay: `code` (SQLSTATE or
 * `ER_*`), `errno`, `syscall`, `sqlState`.
 */
export class LegacyStoreQueryError extends LegacyStoreError {
  public override name = 'LegacyStoreQueryError';
  public readonly code?: string;
  public readonly errno?: number;
  public readonly syscall?: string;
  public readonly sqlState?: string;

  public constructor(message: string, keys: DriverErrorKeys = {}) {
    super(message);
    if (keys.code !== undefined) this.code = keys.code;
    if (keys.errno !== undefined) this.errno = keys.errno;
    if (keys.syscall !== undefined) this.syscall = keys.syscall;
    if (keys.sqlState !== undefined) this.sqlState = keys.sqlState;
  }
}
