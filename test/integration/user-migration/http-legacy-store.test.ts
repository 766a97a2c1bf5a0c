import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DEADLINE, startDeadline } from '../../../shared/deadline.js';
import { DeadlineExceededError } from '../../../shared/errors.js';
import type { HttpStoreConfig } from '../../../triggers/user-migration/config.js';
import {
  createHttpLegacyStore,
  LegacyEndpointError,
} from '../../../triggers/user-migration/stores/http-legacy-store.js';
import { LegacyRowShapeError } from '../../../triggers/user-migration/stores/map-legacy-row.js';

interface Seen {
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
}

const seen: Seen[] = [];
const migrated = new Set<string>();
let server: Server;
let base: string;

const USERS: Record<string, unknown> = {
  alice: {
    password_hash: '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
    email: 'alice@example.com',
    email_verified: true,
    custom_plan: 'gold',
    disabled: false,
  },
  // How legacy apps spell "disabled" in JSON when nobody checked.
  'disabled-2': { password_hash: 'x', disabled: 2 },
  'disabled-locked': { password_hash: 'x', disabled: 'locked' },
  'disabled-false-text': { password_hash: 'x', disabled: 'false' },
  'disabled-object': { password_hash: 'x', disabled: { since: '2020-01-01' } },
};

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of request) body += chunk;
  seen.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
  const username = (JSON.parse(body) as { username: string }).username;
  switch (request.url) {
    case '/users':
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ user: USERS[username] ?? null }));
      return;
    case '/users-404':
      response.writeHead(404).end();
      return;
    case '/failing':
      response
        .writeHead(500, { 'content-type': 'text/plain' })
        .end('stack trace with $2b$10$secretsecretsecret');
      return;
    case '/hung':
      return; // never answers
    case '/huge':
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ user: { password_hash: 'x'.repeat(100_000) } }));
      return;
    case '/no-user-field':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"ok"}');
      return;
    case '/redirect':
      response.writeHead(302, { location: `${base}/users` }).end();
      return;
    case '/migrated':
      migrated.add(username);
      response.writeHead(204).end();
      return;
    default:
      response.writeHead(400).end();
  }
}

beforeAll(async () => {
  server = createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function config(path: string, overrides: Partial<HttpStoreConfig> = {}): HttpStoreConfig {
  return { kind: 'http', url: `${base}${path}`, timeoutMs: 2000, ...overrides };
}

describe('createHttpLegacyStore', () => {
  it('posts the username with the bearer token and maps the answer like a SQL row', async () => {
    // Prepare
    seen.length = 0;
    const store = createHttpLegacyStore(config('/users', { token: { kind: 'value', value: 'tok-123' } }));

    // Act
    const user = await store.findUser('alice', NO_DEADLINE.signal);

    // Assess
    expect(user).toEqual({
      passwordHash: '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
      disabled: false,
      attributes: { email: 'alice@example.com', email_verified: 'true', 'custom:plan': 'gold' },
    });
    expect(seen).toEqual([{ path: '/users', authorization: 'Bearer tok-123', body: '{"username":"alice"}' }]);
  });

  it.each([
    ['"disabled": 2', 'disabled-2', true],
    ['"disabled": "locked"', 'disabled-locked', true],
    ['"disabled": "false"', 'disabled-false-text', false],
  ])('reads %s strictly', async (_case, username, disabled) => {
    const store = createHttpLegacyStore(config('/users'));

    expect((await store.findUser(username, NO_DEADLINE.signal))?.disabled).toBe(disabled);
  });

  it('treats a "disabled" it cannot read (an object) as a fault', async () => {
    const store = createHttpLegacyStore(config('/users'));

    await expect(store.findUser('disabled-object', NO_DEADLINE.signal)).rejects.toBeInstanceOf(
      LegacyRowShapeError,
    );
  });

  it.each([
    ['{"user": null}', '/users'],
    ['404', '/users-404'],
  ])('answers no user for %s', async (_case, path) => {
    const store = createHttpLegacyStore(config(path));

    expect(await store.findUser('nobody', NO_DEADLINE.signal)).toBeUndefined();
  });

  it('reads the token from a secret once, whether raw or {"token": ...}', async () => {
    seen.length = 0;
    const reads: string[] = [];
    const store = createHttpLegacyStore(
      config('/users', {
        token: { kind: 'secret', secretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:t' },
      }),
      {
        readSecret: async (arn) => (reads.push(arn), '{"token":"from-secret"}'),
      },
    );

    await store.findUser('alice', NO_DEADLINE.signal);
    await store.findUser('alice', NO_DEADLINE.signal);

    expect(reads).toHaveLength(1);
    expect(seen.map((request) => request.authorization)).toEqual([
      'Bearer from-secret',
      'Bearer from-secret',
    ]);
  });

  it('fails on an HTTP 500 and says only the status, not the body', async () => {
    const store = createHttpLegacyStore(config('/failing'));

    const outcome = store.findUser('alice', NO_DEADLINE.signal);

    await expect(outcome).rejects.toThrow(new LegacyEndpointError('The legacy endpoint answered HTTP 500'));
  });

  it('gives up on a hung endpoint when the deadline passes', async () => {
    const store = createHttpLegacyStore(config('/hung', { timeoutMs: 10_000 }));
    const deadline = startDeadline(300);

    const started = Date.now();
    await expect(store.findUser('alice', deadline.signal)).rejects.toBeInstanceOf(DeadlineExceededError);

    expect(Date.now() - started).toBeLessThan(1500);
    deadline.dispose();
  });

  it('gives up on a hung endpoint after LEGACY_HTTP_TIMEOUT_MS', async () => {
    const store = createHttpLegacyStore(config('/hung', { timeoutMs: 200 }));

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(/timeout|aborted/i);
  });

  it.each([
    ['an answer over 64 KiB', '/huge', /more than 65536 bytes/],
    ['an answer without a user field', '/no-user-field', /without a "user" field/],
    ['a redirect', '/redirect', /fetch failed|redirect/i],
  ])('refuses %s', async (_case, path, message) => {
    const store = createHttpLegacyStore(config(path));

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(message);
  });

  it('records a migration at the record-back URL', async () => {
    const store = createHttpLegacyStore(config('/users', { recordMigratedUrl: `${base}/migrated` }));

    await store.recordMigrated?.('alice', NO_DEADLINE.signal);

    expect(migrated.has('alice')).toBe(true);
  });

  it('offers no record-back without a record-back URL', () => {
    expect(createHttpLegacyStore(config('/users')).recordMigrated).toBeUndefined();
  });
});
