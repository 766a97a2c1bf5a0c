import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
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
    case '/huge-chunked': {
      // No content-length: the size shows only while reading.
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(16 * 1024);
      response.write('{"user":{"password_hash":"');
      for (let i = 0; i < 8; i += 1) response.write(chunk);
      response.end('"}}');
      return;
    }
    case '/hung-body':
      // The status and part of the body, then nothing.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"user":');
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
    ['an answer over 64 KiB sent without a content-length', '/huge-chunked', /more than 65536 bytes/],
    ['a redirect', '/redirect', /answered a redirect \(HTTP 302\), which is refused/],
  ])('refuses %s', async (_case, path, message) => {
    const store = createHttpLegacyStore(config(path));

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(message);
  });

  it('gives up on a body that stops coming, after LEGACY_HTTP_TIMEOUT_MS', async () => {
    const store = createHttpLegacyStore(config('/hung-body', { timeoutMs: 200 }));

    const started = Date.now();
    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(/timeout|aborted/i);

    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('keeps its connection alive from one invocation to the next, after a 404 too', async () => {
    // A server of its own, so that no connection left by another test is counted.
    let connections = 0;
    const own = createServer((request, response) => void answer(request, response));
    own.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    const ownBase = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
    const store = createHttpLegacyStore({ kind: 'http', url: `${ownBase}/users`, timeoutMs: 100 });
    const notFound = createHttpLegacyStore({ kind: 'http', url: `${ownBase}/users-404`, timeoutMs: 100 });
    // Warm invocations come apart in time, here after each request's timeout has fired: it must not close the
    // connection, which is back in the pool by then. The body of a 404 is dropped as the answer is given.
    const nextInvocation = () => new Promise((resolve) => setTimeout(resolve, 150));
    try {
      expect(await store.findUser('alice', NO_DEADLINE.signal)).toBeDefined();
      await nextInvocation();
      expect(await notFound.findUser('nobody', NO_DEADLINE.signal)).toBeUndefined();
      await nextInvocation();
      expect(await store.findUser('alice', NO_DEADLINE.signal)).toBeDefined();

      expect(connections).toBe(1);
    } finally {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
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

describe('createHttpLegacyStore over HTTPS', () => {
  // A self-signed certificate for 127.0.0.1, made here with openssl:
  //   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1
  //     -addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem
  let tls: { key: string; cert: string };
  let secure: Server;
  let secureBase: string;
  const defaults = getCACertificates('default');

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'legacy-https-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      tls = {
        key: readFileSync(join(dir, 'key.pem'), 'utf8'),
        cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    secure = createHttpsServer(tls, (request, response) => void answer(request, response));
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    secureBase = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    setDefaultCACertificates(defaults);
    secure.closeAllConnections();
    await new Promise((resolve) => secure.close(resolve));
  });

  it('refuses a certificate that Node does not trust (fails closed)', async () => {
    const store = createHttpLegacyStore({ kind: 'http', url: `${secureBase}/users`, timeoutMs: 2000 });

    await expect(store.findUser('alice', NO_DEADLINE.signal)).rejects.toThrow(/self-signed certificate/i);
  });

  it('answers through a certificate that Node trusts (as NODE_EXTRA_CA_CERTS would add it)', async () => {
    setDefaultCACertificates([...defaults, tls.cert]);
    const store = createHttpLegacyStore({ kind: 'http', url: `${secureBase}/users`, timeoutMs: 2000 });

    const user = await store.findUser('alice', NO_DEADLINE.signal);

    expect(user?.attributes).toEqual({
      email: 'alice@example.com',
      email_verified: 'true',
      'custom:plan': 'gold',
    });
  });
});
