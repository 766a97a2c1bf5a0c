import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { countPlaceholders, readUserMigrationConfig } from '../../../triggers/user-migration/config.js';

const POSTGRES = {
  LEGACY_STORE: 'postgres',
  LEGACY_DB_URL: 'postgres://app:s3cr3t-pw@db.internal:5432/legacy',
  LEGACY_USER_QUERY: 'SELECT * FROM users WHERE lower(email) = lower($1) OR username = $1',
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readUserMigrationConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('readUserMigrationConfig', () => {
  it('reads a PostgreSQL store with secure defaults and Cognito’s default password policy', () => {
    const config = readUserMigrationConfig(POSTGRES);

    expect(config.store).toEqual({
      kind: 'postgres',
      credentials: { kind: 'url', url: POSTGRES.LEGACY_DB_URL },
      userQuery: POSTGRES.LEGACY_USER_QUERY,
      recordMigratedQuery: undefined,
      tls: { mode: 'verify' },
      poolMax: 2,
      connectTimeoutMs: 2000,
      queryTimeoutMs: 2000,
    });
    expect(config.passwordPolicy).toEqual({
      minLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
    });
    expect(config.hashing).toEqual({
      dummyScheme: 'bcrypt',
      dummyCost: undefined,
      dummyHash: undefined,
      dummyFollowsStore: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      LEGACY_STORE: 'mysql',
      LEGACY_USER_QUERY: 'SELECT * FROM users WHERE username = ? OR email = ?',
      LEGACY_DB_TLS: 'maybe',
      PASSWORD_MIN_LENGTH: 'eight',
    });

    expect(problems).toEqual([
      'LEGACY_DB_URL: LEGACY_STORE=mysql needs LEGACY_DB_URL or LEGACY_DB_SECRET_ARN',
      'LEGACY_USER_QUERY: must have exactly one ? placeholder for the username, found 2',
      'LEGACY_DB_TLS: must be one of verify, no-verify, off, got "maybe"',
      'PASSWORD_MIN_LENGTH: must be a number, got "eight"',
    ]);
  });

  it.each([
    ['no LEGACY_STORE', {}, 'LEGACY_STORE: is required'],
    [
      'both credentials',
      { ...POSTGRES, LEGACY_DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:x' },
      'LEGACY_DB_URL: set LEGACY_DB_URL or LEGACY_DB_SECRET_ARN, not both',
    ],
    [
      'a MySQL URL for postgres',
      { ...POSTGRES, LEGACY_DB_URL: 'mysql://a:b@h/db' },
      'LEGACY_DB_URL: must start with postgres:// or postgresql:// for LEGACY_STORE=postgres',
    ],
    [
      'sslmode in the URL',
      { ...POSTGRES, LEGACY_DB_URL: 'postgres://a:b@h/db?sslmode=require' },
      'LEGACY_DB_URL: TLS is set with LEGACY_DB_TLS and LEGACY_DB_CA_FILE, not with ?sslmode in the URL',
    ],
    [
      'a query without $1',
      { ...POSTGRES, LEGACY_USER_QUERY: "SELECT * FROM users WHERE username = 'x'" },
      'LEGACY_USER_QUERY: must use $1 for the username',
    ],
    [
      'a query with $2',
      { ...POSTGRES, LEGACY_USER_QUERY: 'SELECT * FROM users WHERE username = $1 AND tenant = $2' },
      'LEGACY_USER_QUERY: may only use $1, found $2',
    ],
    [
      'a missing CA file',
      { ...POSTGRES, LEGACY_DB_CA_FILE: '/nonexistent/rds.pem' },
      'LEGACY_DB_CA_FILE: cannot read /nonexistent/rds.pem',
    ],
    [
      'a plain-http legacy endpoint',
      { LEGACY_STORE: 'http', LEGACY_HTTP_URL: 'http://legacy.example.com/auth' },
      'LEGACY_HTTP_URL: must be https:// (plain http:// only to localhost)',
    ],
    ['an http store without a URL', { LEGACY_STORE: 'http' }, 'LEGACY_HTTP_URL: is required'],
    [
      'a legacy endpoint URL with credentials in it',
      { LEGACY_STORE: 'http', LEGACY_HTTP_URL: 'https://app:s3cr3t-pw@legacy.example.com/auth' },
      'LEGACY_HTTP_URL: must not hold credentials (set LEGACY_HTTP_TOKEN or LEGACY_HTTP_TOKEN_SECRET_ARN)',
    ],
    [
      'a record-back URL with a user name in it',
      {
        LEGACY_STORE: 'http',
        LEGACY_HTTP_URL: 'https://legacy.example.com/auth',
        LEGACY_HTTP_RECORD_MIGRATED_URL: 'https://app@legacy.example.com/migrated',
      },
      'LEGACY_HTTP_RECORD_MIGRATED_URL: must not hold credentials (set LEGACY_HTTP_TOKEN or LEGACY_HTTP_TOKEN_SECRET_ARN)',
    ],
  ])('refuses %s', (_case, env: Record<string, string>, expected) => {
    expect(problemsOf(env)).toContain(expected);
  });

  it('never echoes the database URL, which carries a password', () => {
    const problems = problemsOf({ ...POSTGRES, LEGACY_DB_URL: 'mysql://app:s3cr3t-pw@h/db' });

    expect(problems.join(' ')).not.toContain('s3cr3t-pw');
  });

  it('reads a CA bundle from LEGACY_DB_CA_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-')), 'rds.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

    const config = readUserMigrationConfig({ ...POSTGRES, LEGACY_DB_CA_FILE: file });

    expect(config.store).toMatchObject({
      tls: { mode: 'verify', ca: expect.stringContaining('BEGIN CERTIFICATE') },
    });
  });

  it('reads an HTTP store with a token secret', () => {
    const config = readUserMigrationConfig({
      LEGACY_STORE: 'http',
      LEGACY_HTTP_URL: 'https://legacy.example.com/auth/user',
      LEGACY_HTTP_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-token',
    });

    expect(config.store).toEqual({
      kind: 'http',
      url: 'https://legacy.example.com/auth/user',
      recordMigratedUrl: undefined,
      token: {
        kind: 'secret',
        secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-token',
      },
      timeoutMs: 2000,
    });
  });

  it('skips the store variables when a custom store is plugged in', () => {
    const config = readUserMigrationConfig({ PASSWORD_REQUIRE_SYMBOLS: 'false' }, { storeFromEnv: false });

    expect(config.store).toBeUndefined();
    expect(config.passwordPolicy.requireSymbols).toBe(false);
  });
});

describe('countPlaceholders', () => {
  it.each([
    ['postgres', 'SELECT * FROM u WHERE name = $1', 1, []],
    ['postgres', "SELECT * FROM u WHERE name = $1 AND note <> '$2'", 1, []],
    ['postgres', 'SELECT * FROM u WHERE id = $10', 0, ['$10']],
    ['mysql', "SELECT * FROM u WHERE name = ? AND note <> '?'", 1, []],
    ['mysql', 'SELECT * FROM `u?` WHERE name = ?', 1, []],
  ] as const)('counts placeholders of %s in %s', (engine, sql, count, other) => {
    expect(countPlaceholders(sql, engine)).toEqual({ count, other });
  });
});
