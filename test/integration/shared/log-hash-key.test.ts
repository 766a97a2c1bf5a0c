import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { readLogHashKeyReference } from '../../../shared/log-hash-key.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';
import { startFakeSsmServer, type FakeSsmServer } from '../../../tools/lib/local-ssm.js';

const KEY = 'sentinel-log-hash-key-0123456789abcdef';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:log-hash-key-AbCdEf';
const USERNAME = 'alice.sentinel@example.com';
// The read gets min(1 s, half the budget); the first read also evaluates the embedded SDK client.
const GENEROUS_LIMIT_MS = 2_500;

/** What the log line's `user` must be with `key`: HMAC-SHA256 of the username, first 16 hex digits. */
function expectedHash(key: string, username: string): string {
  return `u_${createHmac('sha256', key).update(username, 'utf8').digest('hex').slice(0, 16)}`;
}

let server: FakeSsmServer;
let logs: CapturedLogs | undefined;
beforeAll(async () => {
  server = await startFakeSsmServer();
});
afterAll(async () => server.close());
beforeEach(() => {
  server.answers.clear();
  server.secrets.clear();
  server.requests.length = 0;
  vi.stubEnv('AWS_ENDPOINT_URL', server.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFAKE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake-secret');
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
  vi.stubEnv('LOG_HASH_KEY', '');
});
afterEach(() => {
  logs?.restore();
  vi.unstubAllEnvs();
});

/** A cold start: fresh modules (the key, the logger), a trigger handler made with `env`. */
async function coldStartHandler(env: Record<string, string>) {
  vi.resetModules();
  const { createTriggerHandler } = await import('../../../shared/trigger-handler.js');
  return createTriggerHandler<{ triggerSource: string; userName: string; request: object; response: object }>(
    {
      name: 'log-hash-key-test',
      failMode: 'closed',
      triggerSources: ['PreSignUp_SignUp'],
      handle: async (event, { logger }) => {
        logger.info('handled');
        return event;
      },
    },
    { env, deadlineSettings: { cognitoBudgetMs: 3_000, marginMs: 100 } },
  );
}

const event = () => ({ triggerSource: 'PreSignUp_SignUp', userName: USERNAME, request: {}, response: {} });

async function invokeTwice(env: Record<string, string>) {
  const handler = await coldStartHandler(env);
  logs = captureLogs();
  const started = Date.now();
  await handler(event(), fakeLambdaContext());
  const firstMs = Date.now() - started;
  await handler(event(), fakeLambdaContext());
  const lines = logs.lines().filter((line) => line.message === 'handled');
  const text = logs.text();
  logs.restore();
  return { users: lines.map((line) => line.user), text, firstMs };
}

describe('the log hash key by reference, read on the first invocation with the real SDK clients', () => {
  it('reads an SSM SecureString with decryption once, and hashes usernames with it', async () => {
    server.answers.set('/kit/log-hash-key', { value: KEY });

    const { users, text } = await invokeTwice({ LOG_HASH_KEY_PARAMETER: '/kit/log-hash-key' });

    expect(users).toEqual([expectedHash(KEY, USERNAME), expectedHash(KEY, USERNAME)]);
    expect(server.requests).toEqual([
      { target: 'AmazonSSM.GetParameter', name: '/kit/log-hash-key', withDecryption: true },
    ]);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(USERNAME);
  });

  it('reads a Secrets Manager secret once, and hashes usernames with it', async () => {
    server.secrets.set(SECRET_ARN, { value: KEY });

    const { users, text } = await invokeTwice({ LOG_HASH_KEY_SECRET_ARN: SECRET_ARN });

    expect(users).toEqual([expectedHash(KEY, USERNAME), expectedHash(KEY, USERNAME)]);
    expect(server.requests.map((request) => request.target)).toEqual(['secretsmanager.GetSecretValue']);
    expect(text).not.toContain(KEY);
  });

  it('answers inside the deadline with a per-container key when SSM hangs, and says so without the key', async () => {
    server.answers.set('/kit/log-hash-key', 'hang');

    const { users, text, firstMs } = await invokeTwice({ LOG_HASH_KEY_PARAMETER: '/kit/log-hash-key' });

    expect(firstMs).toBeLessThan(GENEROUS_LIMIT_MS);
    expect(users[0]).toMatch(/^u_[0-9a-f]{16}$/);
    expect(users[0]).not.toBe(expectedHash(KEY, USERNAME));
    expect(users[1]).toBe(users[0]);
    expect(text).toContain('Log hash key not read; usernames are hashed with a per-container key');
    // Retried no sooner than 10 s later: the second invocation did not ask again.
    expect(server.requests).toHaveLength(1);
  });

  it('keeps the per-container key when the secret holds a key too short to be one', async () => {
    server.answers.set('/kit/log-hash-key', { value: 'short' });

    const { users, text } = await invokeTwice({ LOG_HASH_KEY_PARAMETER: '/kit/log-hash-key' });

    expect(users[0]).not.toBe(expectedHash('short', USERNAME));
    expect(text).toContain('"errorType":"LogHashKeyError"');
    expect(text).not.toContain('"short"');
  });
});

describe('readLogHashKeyReference', () => {
  it.each([
    [{}, undefined],
    [{ LOG_HASH_KEY_PARAMETER: '/kit/log-hash-key' }, { kind: 'ssm', parameterName: '/kit/log-hash-key' }],
    [{ LOG_HASH_KEY_PARAMETER: 'log-hash-key' }, { kind: 'ssm', parameterName: 'log-hash-key' }],
    [{ LOG_HASH_KEY_SECRET_ARN: SECRET_ARN }, { kind: 'secret', secretId: SECRET_ARN }],
  ])('reads %j as %j', (env, expected) => {
    expect(readLogHashKeyReference(env)).toEqual(expected);
  });

  it.each([
    [{ LOG_HASH_KEY_PARAMETER: '/kit/a', LOG_HASH_KEY_SECRET_ARN: SECRET_ARN }, /not both/],
    [{ LOG_HASH_KEY_PARAMETER: '/kit/has space' }, /LOG_HASH_KEY_PARAMETER: must be an SSM parameter name/],
    [
      { LOG_HASH_KEY_SECRET_ARN: 'my-secret' },
      /LOG_HASH_KEY_SECRET_ARN: must be a Secrets Manager secret ARN/,
    ],
  ])('refuses %j with a ConfigError that names the variable', (env, message) => {
    expect(() => readLogHashKeyReference(env)).toThrowError(ConfigError);
    expect(() => readLogHashKeyReference(env)).toThrowError(message);
  });
});
