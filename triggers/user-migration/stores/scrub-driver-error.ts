import { LegacyStoreQueryError, type DriverErrorKeys } from '../errors.js';

export { LegacyStoreQueryError };

export const SCRUBBED_VALUE = '[VALUE]';

// A quoted literal, as PostgreSQL ("...") and MySQL ('...', `...`) quote them in messages.
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|''|\\.)*'/g;
// Quoted names the drivers print (relation "users", column `test`.`t`.`id`) stay: they are the diagnosis.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * The driver error `error` with every trace of the bound values `values` removed from its message: the
 * values themselves (as given, SQL-escaped and JSON-escaped) and every quoted literal that is not a plain
 * SQL identifier (a driver may print a value truncated or converted); nothing else of the driver's error
 * is kept but its diagnosis keys. The store throws it instead of the driver's own error, whose message
 * (PostgreSQL: `invalid input syntax for type integer: "<value>"`; MySQL: `Incorrect integer value:
 * '<value>'`) and extra fields (mysql2's `sql` with the values interpolated, pg's `detail`) would carry what
 * the user typed into a log line. Not an Error: a generic fault.
 *
 * @example
 * ```ts
 * scrubDriverError(pgError, ['hunter2']).message; // 'invalid input syntax for type integer: [VALUE]'
 * ```
 */
export function scrubDriverError(error: unknown, values: readonly string[]): LegacyStoreQueryError {
  if (!(error instanceof Error)) return new LegacyStoreQueryError('The legacy store query failed', {});
  let message = error.message;
  for (const value of values) {
    if (value === '') continue;
    for (const variant of new Set([value, value.replaceAll("'", "''"), JSON.stringify(value).slice(1, -1)])) {
      message = message.split(variant).join(SCRUBBED_VALUE);
    }
  }
  message = message.replace(QUOTED, (quoted) =>
    IDENTIFIER.test(quoted.slice(1, -1)) && !values.includes(quoted.slice(1, -1)) ? quoted : SCRUBBED_VALUE,
  );
  const source = error as Partial<Record<keyof DriverErrorKeys, unknown>>;
  return new LegacyStoreQueryError(message, {
    code: typeof source.code === 'string' ? source.code : undefined,
    errno: typeof source.errno === 'number' ? source.errno : undefined,
    syscall: typeof source.syscall === 'string' ? source.syscall : undefined,
    sqlState: typeof source.sqlState === 'string' ? source.sqlState : undefined,
  });
}
