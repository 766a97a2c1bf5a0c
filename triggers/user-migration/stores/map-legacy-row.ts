import type { LegacyUser } from './legacy-user-store.js';
import { AmbiguousLegacyUserError, LegacyRowShapeError } from '../errors.js';

/** Cognito's standard attributes that a legacy row may carry (OIDC standard claims Cognito accepts). */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);

const BOOLEAN_ATTRIBUTES: ReadonlySet<string> = new Set(['email_verified', 'phone_number_verified']);
const CUSTOM_PREFIX = 'custom_';

export { AmbiguousLegacyUserError, LegacyRowShapeError } from '../errors.js';

/** The user of a query result: none for no row, a fault for several (see {@link mapLegacyRow}). */
export function mapLegacyRows(rows: readonly Readonly<Record<string, unknown>>[]): LegacyUser | undefined {
  if (rows.length > 1) throw new AmbiguousLegacyUserError(rows.length);
  const row = rows[0];
  return row === undefined ? undefined : mapLegacyRow(row);
}

/**
 * Maps one result row of `LEGACY_USER_QUERY` onto a {@link LegacyUser} (CONTRACT.md, UserMigration):
 * `password_hash` must be a column (NULL means "no password"); standard attribute columns keep
 * their names; `custom_<name>` becomes `custom:<name>`; `disabled` is read by {@link readDisabledFlag}; NULLs and unknown
 * columns are left out.
 */
export function mapLegacyRow(row: Readonly<Record<string, unknown>>): LegacyUser {
  if (!Object.prototype.hasOwnProperty.call(row, 'password_hash')) {
    throw new LegacyRowShapeError('LEGACY_USER_QUERY must return a password_hash column');
  }
  const attributes: Record<string, string> = {};
  for (const [column, value] of Object.entries(row)) {
    const name = attributeNameOf(column);
    if (name === undefined || value === null || value === undefined) continue;
    const text = BOOLEAN_ATTRIBUTES.has(name) ? String(isTruthyColumn(value)) : stringifyColumn(name, value);
    if (text !== undefined && text !== '') attributes[name] = text;
  }
  const hash = row.password_hash;
  return {
    passwordHash:
      typeof hash === 'string' && hash !== ''
        ? hash
        : Buffer.isBuffer(hash)
          ? hash.toString('utf8')
          : undefined,
    disabled: readDisabledFlag(row.disabled),
    attributes,
  };
}

function attributeNameOf(column: string): string | undefined {
  if (STANDARD_ATTRIBUTES.has(column)) return column;
  if (column.startsWith(CUSTOM_PREFIX) && column.length > CUSTOM_PREFIX.length) {
    return `custom:${column.slice(CUSTOM_PREFIX.length)}`;
  }
  return undefined;
}

/**
 * How SQL drivers spell a boolean: pg gives `true`, MySQL `TINYINT(1)` gives `1`, `BIT(1)` a
 * one-byte Buffer, hand-rolled schemas 't'/'true'/'1'/'yes'/'Y'. Anything else (NULL included) is false,
 * so an odd value never marks an address verified.
 */
export function isTruthyColumn(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value === 1 || value === 1n;
  if (Buffer.isBuffer(value)) return value.length === 1 ? value[0] === 1 || value[0] === 0x31 : false;
  if (typeof value === 'string') return ['1', 't', 'true', 'y', 'yes'].includes(value.trim().toLowerCase());
  return false;
}

// The spellings of "not disabled" that no schema uses for anything else. Everything else is disabled.
const CLEARLY_FALSE_TEXT: ReadonlySet<string> = new Set(['0', 'f', 'false', 'n', 'no', 'off']);

/**
 * Reads a `disabled` value the safe way round (the opposite of `*_verified`): only a clearly false value
 * (false, 0, NULL or absent, a one-byte BIT 0, the text 'false'/'f'/'0'/'no'/'n'/'off') lets the user
 * through; any other readable value (2, 'on', 'locked', '') means disabled. A value of a kind no driver
 * gives for a flag (an object, a date, NaN, a longer buffer) is a fault.
 *
 * @throws LegacyRowShapeError for an unreadable value; the message never contains the value.
 */
export function readDisabledFlag(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new LegacyRowShapeError('The disabled value is not a number (NaN)');
    return value !== 0;
  }
  if (typeof value === 'string') return !CLEARLY_FALSE_TEXT.has(value.trim().toLowerCase());
  if (Buffer.isBuffer(value) && value.length === 1) return value[0] !== 0 && value[0] !== 0x30;
  throw new LegacyRowShapeError(`The disabled value is of a kind no flag has (${describeKind(value)})`);
}

function describeKind(value: unknown): string {
  if (Buffer.isBuffer(value)) return `a buffer of ${value.length} bytes`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return typeof value;
}

function stringifyColumn(name: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    // Cognito wants updated_at as seconds since the epoch and birthdate as YYYY-MM-DD.
    if (name === 'updated_at') return String(Math.floor(value.getTime() / 1000));
    if (name === 'birthdate') return value.toISOString().slice(0, 10);
    return value.toISOString();
  }
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  // JSON columns (e.g. an OIDC `address` object) travel as their JSON text.
  if (typeof value === 'object') return JSON.stringify(value);
  return undefined;
}
