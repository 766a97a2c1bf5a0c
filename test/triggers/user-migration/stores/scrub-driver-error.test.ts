import { describe, expect, it } from 'vitest';
import {
  LegacyStoreQueryError,
  scrubDriverError,
} from '../../../../triggers/user-migration/stores/scrub-driver-error.js';

function driverError(message: string, keys: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), keys);
}

describe('scrubDriverError', () => {
  it.each([
    [
      'PostgreSQL quoting the value',
      'invalid input syntax for type integer: "hunter2!"',
      'invalid input syntax for type integer: [VALUE]',
    ],
    [
      'MySQL quoting the value, identifiers kept',
      "Incorrect integer value: 'hunter2!' for column `test`.`t`.`id` at row 1",
      'Incorrect integer value: [VALUE] for column `test`.`t`.`id` at row 1',
    ],
    ['the value unquoted', 'no such user hunter2! here', 'no such user [VALUE] here'],
    ['the value SQL-escaped', "value 'it''s' refused", 'value [VALUE] refused'],
    ['a truncated value', 'value too long: "hunter2!-and-m…"', 'value too long: [VALUE]'],
    ['a relation name', 'relation "legacy_users" does not exist', 'relation "legacy_users" does not exist'],
  ])('takes the bound value out of %s', (_case, message, expected) => {
    const value = message.includes("it''s") ? "it's" : 'hunter2!';

    expect(scrubDriverError(driverError(message), [value]).message).toBe(expected);
  });

  it('keeps the diagnosis keys and drops everything else (mysql2 keeps the SQL with the values in it)', () => {
    const error = driverError("Incorrect integer value: 'x'", {
      code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
      errno: 1366,
      sqlState: 'HY000',
      sql: "INSERT INTO t (n) VALUES ('hunter2!')",
      detail: 'Key (email)=(a@example.com)',
    });

    const scrubbed = scrubDriverError(error, ['hunter2!']);

    expect(scrubbed).toBeInstanceOf(LegacyStoreQueryError);
    expect({ ...scrubbed }).toEqual({
      name: 'LegacyStoreQueryError',
      code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
      errno: 1366,
      sqlState: 'HY000',
    });
    expect(scrubbed.cause).toBeUndefined();
  });
});
