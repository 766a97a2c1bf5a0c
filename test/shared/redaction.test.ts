import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeLambdaContext } from '../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../support/logs.js';

// Sentinels planted where a careless trigger would leak them. None may reach a log line.
const PASSWORD = 'Sentinel-Pa55word-7f3a';
const CODE = 'SENTINEL-CODE-918273';
const TEMP_PASSWORD = 'Sentinel-TempPw-44aa';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzZW50aW5lbCI6dHJ1ZX0.c2lnbmF0dXJlU2VudGluZWw';
const BCRYPT_HASH = '$2b$10$Sentinel0Hash0Value0000uQ4KQpzYxE3jvE7Gg4H3NEoUmB7vX0a';
const DJANGO_HASH = 'pbkdf2_sha256$600000$sentinelsalt$Q0sentinelhashvalueXXXXXXXXXXXXXXXXXXXXXXXXX=';
const SENTINELS = [PASSWORD, CODE, TEMP_PASSWORD, TOKEN, BCRYPT_HASH, DJANGO_HASH, 'sentinelsalt'];

function makeEvent() {
  return {
    version: '1',
    triggerSource: 'UserMigration_Authentication',
    region: 'us-east-1',
    userPoolId: 'us-east-1_TestPool1',
    userName: 'carol@example.com',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client-abc' },
    request: {
      password: PASSWORD,
      validationData: { code: CODE, note: PASSWORD },
      clientMetadata: { temporaryPassword: TEMP_PASSWORD, idToken: TOKEN },
      userAttributes: null,
    },
    response: { userAttributes: null, finalUserStatus: null, messageAction: null },
  };
}

let logs: CapturedLogs | undefined;
afterEach(() => {
  logs?.restore();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe.each([
  ['defaults', {}],
  ['event logging on', { POWERTOOLS_LOGGER_LOG_EVENT: 'true' }],
  ['DEBUG and event logging on', { POWERTOOLS_LOGGER_LOG_EVENT: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' }],
])('redaction with %s', (_name, env: Record<string, string>) => {
  it('keeps every sentinel secret out of the logs, whatever the handler logs or throws', async () => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    vi.resetModules();
    const { createTriggerHandler } = await import('../../shared/trigger-handler.js');
    logs = captureLogs();
    const handler = createTriggerHandler<ReturnType<typeof makeEvent>>(
      {
        name: 'user-migration',
        failMode: 'closed',
        triggerSources: ['UserMigration_Authentication'],
        handle: async (event, { logger }) => {
          logger.debug('careless debug line', { request: event.request, passwordHash: BCRYPT_HASH });
          logger.info('careless info line', {
            row: { password_hash: DJANGO_HASH, email: 'carol@example.com' },
          });
          throw new Error(`verification failed for hash ${BCRYPT_HASH} and ${DJANGO_HASH}`);
        },
      },
      { deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 100 } },
    );

    const error = await handler(makeEvent(), fakeLambdaContext()).catch((e: Error) => e);

    const text = logs.text();
    expect((error as Error).message).toMatch(/^\[TEMPORARY_FAILURE\] /);
    expect(text).toContain('verification failed for hash');
    for (const sentinel of SENTINELS) expect(text).not.toContain(sentinel);
    expect(text).not.toContain('carol@example.com');
    if (env.POWERTOOLS_LOGGER_LOG_EVENT) expect(text).toContain('UserMigration_Authentication');
  });
});

describe('redactLogValue on personal attributes', () => {
  it.each([
    ['email', 'ana@example.com'],
    ['cognito:email_alias', 'ana@example.com'],
    ['cognito:phone_number_alias', '+15555550123'],
    ['name', 'Ana Lovelace'],
    ['name', 'error'],
    ['given_name', 'Ana'],
  ])('replaces the %s attribute', async (key, value) => {
    // Prepare
    const { redactLogValue } = await import('../../shared/redact.js');

    // Act
    const text = JSON.stringify({ userAttributes: { [key]: value } }, redactLogValue);

    // Assess
    expect(text).toBe(JSON.stringify({ userAttributes: { [key]: '[PERSONAL]' } }));
  });

  it.each(['TypeError', 'ConditionalCheckFailedException', 'TenantProvisioningError'])(
    'keeps an error class name %s under the name key',
    async (errorName) => {
      // Prepare
      const { redactLogValue } = await import('../../shared/redact.js');
      const error = new Error('boom');
      error.name = errorName;

      // Act
      const text = JSON.stringify({ error }, redactLogValue);

      // Assess
      expect(JSON.parse(text).error.name).toBe(errorName);
    },
  );
});
