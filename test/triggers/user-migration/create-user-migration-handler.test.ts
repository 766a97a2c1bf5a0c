import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { createUserMigrationHandler } from '../../../triggers/user-migration/create-user-migration-handler.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs } from '../../support/logs.js';
import { createFakeVerifier, createInMemoryStore } from './support/in-memory.js';

const PASSWORD = loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json').request.password;

function prepareHandler(): ReturnType<typeof createUserMigrationHandler> {
  const store = createInMemoryStore({
    'alice.legacy@example.com': {
      passwordHash: `fake$${PASSWORD}`,
      disabled: false,
      attributes: { email: 'alice.legacy@example.com', email_verified: 'true' },
    },
  });
  return createUserMigrationHandler({ store, verifier: createFakeVerifier(), env: {} });
}

async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const logs = captureLogs();
  try {
    return await work();
  } finally {
    logs.restore();
  }
}

describe('createUserMigrationHandler', () => {
  it('never asks Cognito to move an alias, whatever the event held', async () => {
    // Prepare
    const handler = prepareHandler();
    const event = loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json');
    event.response.forceAliasCreation = true;

    // Act
    const result = await quietly(() => handler(event, fakeLambdaContext()));

    // Assess
    expect(result.response.forceAliasCreation).toBe(false);
    expect(result.response.finalUserStatus).toBe('CONFIRMED');
  });

  it('treats an unknown UserMigration_ source as a fault and fails closed', async () => {
    const handler = prepareHandler();
    const event = loadEvent<Record<string, unknown>>('user-migration/authentication.json');
    event.triggerSource = 'UserMigration_Something';

    const outcome = quietly(() =>
      handler(event as unknown as UserMigrationTriggerEvent, fakeLambdaContext()),
    );

    await expect(outcome).rejects.toThrow(/^\[TEMPORARY_FAILURE\] /);
  });

  it('refuses a sign-in event without a password like a wrong password', async () => {
    const handler = prepareHandler();
    const event = loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json');
    delete (event.request as { password?: string }).password;

    const outcome = quietly(() => handler(event, fakeLambdaContext()));

    await expect(outcome).rejects.toThrow('[MIGRATION_FAILED] Incorrect username or password');
  });

  it('fails at cold start with one error naming every bad variable', () => {
    const create = (): unknown =>
      createUserMigrationHandler({
        env: { LEGACY_STORE: 'oracle', PASSWORD_MIN_LENGTH: '3', LEGACY_HASH_SCHEME: 'md5' },
      });

    expect(create).toThrow(ConfigError);
    expect(create).toThrow(
      'Invalid configuration: LEGACY_STORE: must be one of postgres, mysql, http, got "oracle"; PASSWORD_MIN_LENGTH: must be at least 6, got 3; LEGACY_HASH_SCHEME: must be one of',
    );
  });
});
