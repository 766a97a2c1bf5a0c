import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
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

  it('sets every documented response field itself, so nothing that arrived in the response survives', async () => {
    // Prepare
    const handler = prepareHandler();
    const event = loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json');
    Object.assign(event.response, {
      desiredDeliveryMediums: ['SMS'],
      enableSMSMFA: true,
      forceAliasCreation: true,
      messageAction: 'RESEND',
      finalUserStatus: 'RESET_REQUIRED',
      userAttributes: { 'custom:role': 'admin' },
      somethingElse: 'planted',
    });

    // Act
    const result = await quietly(() => handler(event, fakeLambdaContext()));

    // Assess: the fields of AWS's "Migrate user Lambda trigger parameters", exactly.
    expect(result.response).toEqual({
      userAttributes: { email: 'alice.legacy@example.com', email_verified: 'true' },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
      desiredDeliveryMediums: null,
      forceAliasCreation: false,
      enableSMSMFA: false,
    });
  });

  it('answers [TEMPORARY_FAILURE] inside the budget for a hash within the limits that could not finish in time', async () => {
    // Prepare: Argon2id m=256 MiB, t=10 is inside today's limits and takes seconds of blocking WASM work.
    // Salt and hash are arbitrary bytes: the hash must be refused before it starts, never computed.
    const store = createInMemoryStore({
      'alice.legacy@example.com': {
        passwordHash:
          '$argon2id$v=19$m=262144,t=10,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhc2g',
        disabled: false,
        attributes: { email: 'alice.legacy@example.com', email_verified: 'true' },
      },
    });
    const handler = createUserMigrationHandler({
      store,
      env: {},
      deadlineSettings: { cognitoBudgetMs: 1_500, marginMs: 100 },
    });
    const event = loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json');

    // Act
    const started = Date.now();
    const outcome = await quietly(() => handler(event, fakeLambdaContext())).catch((error: Error) => error);

    // Assess: the budget is 1,400 ms; the answer comes inside it (generous margin on a loaded machine).
    expect((outcome as Error).message).toMatch(/^\[TEMPORARY_FAILURE\] /);
    expect(Date.now() - started).toBeLessThan(1_400);
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

describe('createUserMigrationHandler: injected instances', () => {
  it('logs through the Logger passed in and wraps the handler with the Tracer passed in', async () => {
    // Prepare
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const { Tracer } = await import('@aws-lambda-powertools/tracer');
    const logger = new Logger({ serviceName: 'accounts-migration' });
    const tracer = new Tracer({ enabled: false });
    const annotated = vi.spyOn(tracer, 'putAnnotation');
    const store = createInMemoryStore({
      'alice.legacy@example.com': {
        passwordHash: `fake$${PASSWORD}`,
        disabled: false,
        attributes: { email: 'alice.legacy@example.com', email_verified: 'true' },
      },
    });
    const handler = createUserMigrationHandler({
      store,
      verifier: createFakeVerifier(),
      env: {},
      logger,
      tracer,
    });
    const logs = captureLogs();

    // Act
    await handler(
      loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json'),
      fakeLambdaContext(),
    );
    logs.restore();

    // Assess
    const migrated = logs.lines().find((line) => line.message === 'user migrated');
    expect(migrated?.service).toBe('accounts-migration');
    expect(annotated).toHaveBeenCalledWith('triggerSource', 'UserMigration_Authentication');
  });
});
