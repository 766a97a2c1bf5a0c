import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs } from '../../support/logs.js';
import { runSql, startPostgres, type TestPostgres } from '../../support/postgres.js';
import { createToolkitLogger } from '../../../shared/observability.js';
import { createUserMigrationHandler } from '../../../triggers/user-migration/create-user-migration-handler.js';

type Handler = (
  event: UserMigrationTriggerEvent,
  context: ReturnType<typeof fakeLambdaContext>,
) => Promise<UserMigrationTriggerEvent>;

const AUTH = 'user-migration/authentication.json';
const FORGOT = 'user-migration/forgot-password.json';
// The password in the fixture; grep for it in captured logs.
const SENTINEL = loadEvent<UserMigrationTriggerEvent>(AUTH).request.password;
// Made by bcryptjs (not the code under test), cost 10 like the dummy the handler makes.
const SENTINEL_HASH = bcrypt.hashSync(SENTINEL, 10);
const WEAK_PASSWORD = 'password';
const WEAK_HASH = bcrypt.hashSync(WEAK_PASSWORD, 10);
const table = `legacy_users_${randomBytes(4).toString('hex')}`;

let postgres: TestPostgres;
let handler: Handler;
const savedEnv = { ...process.env };

function authEvent(userName: string, password = SENTINEL): UserMigrationTriggerEvent {
  const event = loadEvent<UserMigrationTriggerEvent>(AUTH);
  event.userName = userName;
  event.request.password = password;
  return event;
}

function forgotEvent(userName: string): UserMigrationTriggerEvent {
  const event = loadEvent<UserMigrationTriggerEvent>(FORGOT);
  event.userName = userName;
  return event;
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the handler to throw');
}

beforeAll(async () => {
  postgres = await startPostgres();
  await runSql(
    postgres.url,
    `CREATE TABLE ${table} (username text PRIMARY KEY, password_hash text, email text, email_verified boolean,
       phone_number text, phone_number_verified boolean, given_name text, custom_plan text,
       disabled boolean NOT NULL DEFAULT false, migrated_at timestamptz)`,
  );
  await runSql(
    postgres.url,
    `INSERT INTO ${table} (username, password_hash, email, email_verified, given_name, custom_plan, disabled) VALUES
       ('alice.legacy@example.com', $1, 'alice.legacy@example.com', true, 'Alice', 'gold', false),
       ('weak@example.com', $2, 'weak@example.com', true, NULL, NULL, false),
       ('disabled@example.com', $1, 'disabled@example.com', true, NULL, NULL, true),
       ('unverified@example.com', $1, 'unverified@example.com', false, NULL, NULL, false)`,
    [SENTINEL_HASH, WEAK_HASH],
  );
  Object.assign(process.env, {
    LEGACY_STORE: 'postgres',
    LEGACY_DB_URL: postgres.url,
    LEGACY_DB_TLS: 'off',
    LEGACY_USER_QUERY: `SELECT password_hash, email, email_verified, phone_number, phone_number_verified, given_name, custom_plan, disabled FROM ${table} WHERE username = $1`,
    LEGACY_RECORD_MIGRATED_QUERY: `UPDATE ${table} SET migrated_at = coalesce(migrated_at, now()) WHERE username = $1`,
    LEGACY_HASH_SCHEME: 'bcrypt',
    LEGACY_HASH_COST: '10',
    POWERTOOLS_LOGGER_LOG_EVENT: 'true',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    POWERTOOLS_SERVICE_NAME: 'user-migration-test',
    // Generous: on a loaded machine a bcrypt verification may not fit the default budget, and the trigger
    // then (rightly) refuses to start it; these tests are about the answers, not the deadline.
    COGNITO_BUDGET_MS: '20000',
  });
  // The factory reads the config now; a new Logger picks up the Powertools variables set above.
  handler = createUserMigrationHandler({ logger: createToolkitLogger() }) as unknown as Handler;
});

afterAll(async () => {
  process.env = savedEnv;
  await runSql(postgres.url, `DROP TABLE IF EXISTS ${table}`);
  await postgres.stop();
});

describe('the UserMigration handler, sign-in', () => {
  it('migrates a legacy user whose password verifies, and records the migration', async () => {
    // Prepare
    const event = authEvent('alice.legacy@example.com');

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(result.response).toEqual({
      userAttributes: {
        email: 'alice.legacy@example.com',
        email_verified: 'true',
        given_name: 'Alice',
        'custom:plan': 'gold',
      },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
      forceAliasCreation: false,
      enableSMSMFA: false,
      desiredDeliveryMediums: null,
    });
    const row = await runSql(
      postgres.url,
      `SELECT migrated_at FROM ${table} WHERE username = 'alice.legacy@example.com'`,
    );
    expect(row.rows[0].migrated_at).toBeInstanceOf(Date);
  });

  it('migrates a password that fails the pool policy as RESET_REQUIRED', async () => {
    const result = await handler(authEvent('weak@example.com', WEAK_PASSWORD), fakeLambdaContext());

    expect(result.response.finalUserStatus).toBe('RESET_REQUIRED');
    expect(result.response.messageAction).toBe('SUPPRESS');
  });

  it('answers an unknown user, a wrong password, a disabled user and an injection attempt identically', async () => {
    const context = fakeLambdaContext();

    const answers = [
      await errorOf(handler(authEvent('nobody@example.com'), context)),
      await errorOf(handler(authEvent('alice.legacy@example.com', `${SENTINEL}x`), context)),
      await errorOf(handler(authEvent('disabled@example.com'), context)),
      await errorOf(handler(authEvent("alice.legacy@example.com' OR '1'='1"), context)),
    ];

    expect(answers).toEqual(
      Array(4).fill({
        name: 'RejectionError',
        message: '[MIGRATION_FAILED] Incorrect username or password',
      }),
    );
  });
});

describe('the UserMigration handler, forgot password', () => {
  it('migrates a user whose email the legacy store verified, leaving the status to Cognito', async () => {
    const result = await handler(forgotEvent('alice.legacy@example.com'), fakeLambdaContext());

    expect(result.response).toMatchObject({
      userAttributes: {
        email: 'alice.legacy@example.com',
        email_verified: 'true',
        given_name: 'Alice',
        'custom:plan': 'gold',
      },
      finalUserStatus: null,
      messageAction: 'SUPPRESS',
      forceAliasCreation: false,
    });
  });

  it.each([
    ['an unknown user', 'nobody@example.com'],
    ['a user without a verified email or phone', 'unverified@example.com'],
    ['a disabled user', 'disabled@example.com'],
  ])('refuses %s with the same message', async (_case, userName) => {
    expect(await errorOf(handler(forgotEvent(userName), fakeLambdaContext()))).toEqual({
      name: 'RejectionError',
      message: '[MIGRATION_FAILED] Incorrect username or password',
    });
  });
});

describe('the UserMigration handler logs', () => {
  it('never write the password or the hash, even with event logging and DEBUG on', async () => {
    // Prepare
    const logs = captureLogs();

    // Act
    try {
      await handler(authEvent('alice.legacy@example.com'), fakeLambdaContext());
      await errorOf(handler(authEvent('alice.legacy@example.com', `${SENTINEL}x`), fakeLambdaContext()));
      await errorOf(handler(authEvent('nobody@example.com'), fakeLambdaContext()));
    } finally {
      logs.restore();
    }

    // Assess
    const text = logs.text();
    expect(logs.lines().filter((line) => line.message === 'Lambda invocation event')).toHaveLength(3);
    expect(text).not.toContain(SENTINEL);
    expect(text).not.toContain(SENTINEL_HASH);
    expect(text).not.toContain(SENTINEL_HASH.slice(7)); // the salt and digest without the $2b$10$ prefix
    expect(text).not.toContain('alice.legacy@example.com');
  });

  it('write one "user migrated" line with a keyed hash of the username and the scheme', async () => {
    const logs = captureLogs();
    try {
      await handler(authEvent('alice.legacy@example.com'), fakeLambdaContext());
    } finally {
      logs.restore();
    }

    const migrated = logs.lines().filter((line) => line.message === 'user migrated');
    expect(migrated).toHaveLength(1);
    expect(migrated[0]).toMatchObject({
      user: expect.stringMatching(/^u_[0-9a-f]{16}$/),
      scheme: 'bcrypt',
      finalUserStatus: 'CONFIRMED',
    });
  });
});
