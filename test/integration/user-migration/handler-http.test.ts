import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import bcrypt from 'bcryptjs';
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserMigrationHandler } from '../../../triggers/user-migration/create-user-migration-handler.js';
import type { LegacyUserStore } from '../../../triggers/user-migration/stores/legacy-user-store.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs } from '../../support/logs.js';

const event = (): UserMigrationTriggerEvent =>
  loadEvent<UserMigrationTriggerEvent>('user-migration/authentication.json');
const SENTINEL = event().request.password;
const SENTINEL_HASH = bcrypt.hashSync(SENTINEL, 4);
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    if (request.url === '/hung') return; // never answers
    if (request.url === '/failing') {
      response.writeHead(500).end('internal error');
      return;
    }
    if (request.url === '/record-fails') {
      response.writeHead(503).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        user: { password_hash: SENTINEL_HASH, email: 'alice.legacy@example.com', email_verified: true },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function handlerFor(
  env: Record<string, string>,
  // Short for the fail-closed cases (they wait it out); the happy path gets Cognito's own, so a loaded
  // machine cannot push the budget-aware verification over it.
  deadlineSettings = { cognitoBudgetMs: 800, marginMs: 100 },
): ReturnType<typeof createUserMigrationHandler> {
  return createUserMigrationHandler({
    env: { LEGACY_STORE: 'http', LEGACY_HASH_COST: '4', LEGACY_HTTP_TIMEOUT_MS: '10000', ...env },
    deadlineSettings,
  });
}

describe('the UserMigration handler over a legacy HTTP endpoint', () => {
  it('migrates a user the endpoint knows', async () => {
    const handler = handlerFor(
      { LEGACY_HTTP_URL: `${base}/users` },
      { cognitoBudgetMs: 4_500, marginMs: 300 },
    );

    const result = await handler(event(), fakeLambdaContext());

    expect(result.response).toMatchObject({
      userAttributes: { email: 'alice.legacy@example.com', email_verified: 'true' },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
    });
  });

  it.each([
    ['hangs', '/hung'],
    ['answers HTTP 500', '/failing'],
  ])(
    'fails closed with [TEMPORARY_FAILURE] within the deadline when the endpoint %s',
    async (_case, path) => {
      // Prepare
      const handler = handlerFor({ LEGACY_HTTP_URL: `${base}${path}` });
      const logs = captureLogs();

      // Act
      const started = Date.now();
      let failure: Error | undefined;
      try {
        await handler(event(), fakeLambdaContext({ remainingMs: 5000 }));
      } catch (error) {
        failure = error as Error;
      } finally {
        logs.restore();
      }

      // Assess
      expect(failure?.message).toBe(
        '[TEMPORARY_FAILURE] The service is temporarily unavailable, please try again',
      );
      expect(Date.now() - started).toBeLessThan(2500);
      expect(logs.text()).not.toContain(SENTINEL);
    },
  );

  it('keeps the migration when the record-back fails', async () => {
    const handler = handlerFor({
      LEGACY_HTTP_URL: `${base}/users`,
      LEGACY_HTTP_RECORD_MIGRATED_URL: `${base}/record-fails`,
    });
    const logs = captureLogs();

    let result: UserMigrationTriggerEvent;
    try {
      result = await handler(event(), fakeLambdaContext());
    } finally {
      logs.restore();
    }

    expect(result.response.finalUserStatus).toBe('CONFIRMED');
    expect(logs.lines().map((line) => line.message)).toContain('record-back failed; the migration stands');
  });

  it('keeps the migration when a custom store’s record-back hangs', async () => {
    const store: LegacyUserStore = {
      findUser: async () => ({
        passwordHash: SENTINEL_HASH,
        disabled: false,
        attributes: { email: 'a@example.com' },
      }),
      recordMigrated: () => new Promise(() => undefined),
    };
    const handler = createUserMigrationHandler({
      store,
      env: { LEGACY_HASH_COST: '4' },
      deadlineSettings: { cognitoBudgetMs: 800, marginMs: 100 },
    });
    const logs = captureLogs();

    let result: UserMigrationTriggerEvent;
    try {
      result = await handler(event(), fakeLambdaContext());
    } finally {
      logs.restore();
    }

    expect(result.response.finalUserStatus).toBe('CONFIRMED');
    expect(result.response.userAttributes).toEqual({ email: 'a@example.com' });
  });
});
