import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmbiguousLegacyUserError,
  LegacyRowShapeError,
  mapLegacyRow,
  mapLegacyRows,
  readDisabledFlag,
} from '../../../../triggers/user-migration/stores/map-legacy-row.js';

describe('mapLegacyRow', () => {
  it('maps standard columns, custom_ columns and the hash, and ignores unknown columns', () => {
    // Prepare
    const row = {
      id: 42,
      password_hash: '$2b$10$abcdefghijklmnopqrstuu',
      email: 'alice@example.com',
      given_name: 'Alice',
      custom_plan: 'gold',
      custom_: 'no name',
      internal_notes: 'never migrated',
    };

    // Act
    const user = mapLegacyRow(row);

    // Assess
    expect(user).toEqual({
      passwordHash: '$2b$10$abcdefghijklmnopqrstuu',
      disabled: false,
      attributes: { email: 'alice@example.com', given_name: 'Alice', 'custom:plan': 'gold' },
    });
  });

  it.each([
    ['a pg boolean', true, 'true'],
    ['a MySQL TINYINT 1', 1, 'true'],
    ['a MySQL TINYINT 0', 0, 'false'],
    ['a BIT(1) buffer', Buffer.from([1]), 'true'],
    ["the text 't'", 't', 'true'],
    ["the text 'no'", 'no', 'false'],
    ['a number other than 1', 2, 'false'],
  ])('spells email_verified from %s as %s', (_case, value, expected) => {
    expect(mapLegacyRow({ password_hash: 'h', email_verified: value }).attributes.email_verified).toBe(
      expected,
    );
  });

  it.each([
    ['true', true, true],
    ['1', 1, true],
    ['a pg or TINYINT 2', 2, true],
    ['-1', -1, true],
    ['a bigint 2', 2n, true],
    ["'on'", 'on', true],
    ["'locked'", 'locked', true],
    ["'yes'", 'yes', true],
    ["'' (empty text)", '', true],
    ['a BIT(1) 1', Buffer.from([1]), true],
    ['a BIT(1) 2', Buffer.from([2]), true],
    ['NULL', null, false],
    ['absent', undefined, false],
    ['false', false, false],
    ['0', 0, false],
    ['a bigint 0', 0n, false],
    ["'false'", 'false', false],
    ["' FALSE '", ' FALSE ', false],
    ["'0'", '0', false],
    ["'no'", 'no', false],
    ["'f'", 'f', false],
    ['a BIT(1) 0', Buffer.from([0]), false],
  ])('reads disabled=%s as %s', (_case, value, expected) => {
    expect(mapLegacyRow({ password_hash: 'h', disabled: value }).disabled).toBe(expected);
  });

  it.each([
    ['an object', { locked: true }],
    ['an array', [0]],
    ['a date', new Date(0)],
    ['NaN', Number.NaN],
    ['a two-byte buffer', Buffer.from([0, 0])],
  ])('treats a disabled value that is %s as a fault, without the value in the message', (_case, value) => {
    expect(() => mapLegacyRow({ password_hash: 'h', disabled: value })).toThrow(LegacyRowShapeError);
  });

  it('lets a user through only for a clearly false disabled value, whatever the value (property)', () => {
    const clearlyFalse = new Set(['0', 'f', 'false', 'n', 'no', 'off']);
    const isClearlyFalse = (value: unknown): boolean =>
      value === null ||
      value === undefined ||
      value === false ||
      value === 0 ||
      value === 0n ||
      (typeof value === 'string' && clearlyFalse.has(value.trim().toLowerCase())) ||
      (Buffer.isBuffer(value) && value.length === 1 && (value[0] === 0 || value[0] === 0x30));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.integer(),
          fc.bigInt(),
          fc.double(),
          fc.constantFrom('0', 'f', 'false', 'no', 'n', 'off', 'FALSE', ' no ', 'on', 'locked', '2', 'null'),
          fc.string(),
          fc.uint8Array({ maxLength: 2 }).map((bytes) => Buffer.from(bytes)),
        ),
        (value) => {
          let disabled: boolean | 'fault';
          try {
            disabled = readDisabledFlag(value);
          } catch (error) {
            expect(error).toBeInstanceOf(LegacyRowShapeError);
            disabled = 'fault';
          }
          // Through only for a clearly false value; never "through" by a fault.
          expect(disabled === false).toBe(isClearlyFalse(value));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['a number', 'custom_age', 37, 'custom:age', '37'],
    ['a bigint', 'custom_id', 9007199254740993n, 'custom:id', '9007199254740993'],
    ['a boolean', 'custom_beta', false, 'custom:beta', 'false'],
    ['updated_at as a date', 'updated_at', new Date('2024-03-01T12:00:00Z'), 'updated_at', '1709294400'],
    ['birthdate as a date', 'birthdate', new Date('1990-07-04T00:00:00Z'), 'birthdate', '1990-07-04'],
    ['birthdate as text', 'birthdate', '1990-07-04', 'birthdate', '1990-07-04'],
    [
      'another date',
      'custom_since',
      new Date('2020-01-02T03:04:05Z'),
      'custom:since',
      '2020-01-02T03:04:05.000Z',
    ],
    ['a JSON address', 'address', { formatted: '1 Main St' }, 'address', '{"formatted":"1 Main St"}'],
  ])('stringifies %s', (_case, column, value, attribute, expected) => {
    expect(mapLegacyRow({ password_hash: 'h', [column]: value }).attributes[attribute]).toBe(expected);
  });

  it('leaves NULL and empty columns out', () => {
    expect(mapLegacyRow({ password_hash: 'h', email: null, name: '', locale: undefined }).attributes).toEqual(
      {},
    );
  });

  it('reads a NULL or empty password_hash as a user without a password', () => {
    expect(mapLegacyRow({ password_hash: null }).passwordHash).toBeUndefined();
    expect(mapLegacyRow({ password_hash: '' }).passwordHash).toBeUndefined();
  });

  it('refuses a row without a password_hash column', () => {
    expect(() => mapLegacyRow({ email: 'a@example.com' })).toThrow(LegacyRowShapeError);
  });
});

describe('mapLegacyRows', () => {
  it('answers no user for no row', () => {
    expect(mapLegacyRows([])).toBeUndefined();
  });

  it('refuses to choose between two rows for one username', () => {
    expect(() => mapLegacyRows([{ password_hash: 'a' }, { password_hash: 'b' }])).toThrow(
      AmbiguousLegacyUserError,
    );
  });
});
