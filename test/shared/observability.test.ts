import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import {
  createUsernameHasher,
  getDefaultLogger,
  isTracingWanted,
  randomHexKey,
} from '../../shared/observability.js';
import { fakeLambdaContext } from '../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../support/logs.js';

const LAMBDA = 'AWS_Lambda_nodejs24.x';

describe('isTracingWanted', () => {
  it.each([
    ['in Lambda', { AWS_EXECUTION_ENV: LAMBDA }, true],
    ['outside Lambda', {}, false],
    ['under SAM local', { AWS_EXECUTION_ENV: LAMBDA, AWS_SAM_LOCAL: 'true' }, false],
    ['under Amplify mock', { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }, false],
    [
      'with POWERTOOLS_TRACE_ENABLED=false',
      { AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'False' },
      false,
    ],
    [
      'with POWERTOOLS_TRACE_ENABLED=true',
      { AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' },
      true,
    ],
  ])('decides %s', (_name, env: Record<string, string>, expected) => {
    expect(isTracingWanted(env)).toBe(expected);
  });
});

describe('the tracer in Lambda', () => {
  let logs: CapturedLogs | undefined;
  afterEach(() => {
    logs?.restore();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is created only where it traces, on first use, and once', async () => {
    vi.stubEnv('AWS_XRAY_CONTEXT_MISSING', 'IGNORE_ERROR');
    // Powertools' Tracer reads process.env itself when it is created.
    vi.stubEnv('AWS_EXECUTION_ENV', LAMBDA);
    const { resolveTracing } = await import('../../shared/observability.js');

    const outside = resolveTracing({ AWS_EXECUTION_ENV: '' });
    const inside = resolveTracing({ AWS_EXECUTION_ENV: LAMBDA });
    const again = resolveTracing({ AWS_EXECUTION_ENV: LAMBDA });

    expect(outside).toBeUndefined();
    expect(inside?.tracer.isTracingEnabled()).toBe(true);
    expect(inside?.middleware).toBeTypeOf('function');
    expect(again?.tracer).toBe(inside?.tracer);
  });

  it('wraps a Tracer that is passed in, wherever it runs', async () => {
    const { resolveTracing } = await import('../../shared/observability.js');
    const own = { isTracingEnabled: () => false } as unknown as Tracer;

    const tracing = resolveTracing({}, own);

    expect(tracing?.tracer).toBe(own);
    expect(tracing?.middleware).toBeTypeOf('function');
  });

  it('wraps the handler and still answers with the event when tracing is on', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', LAMBDA);
    vi.stubEnv('AWS_XRAY_CONTEXT_MISSING', 'IGNORE_ERROR');
    vi.resetModules();
    const { createTriggerHandler } = await import('../../shared/trigger-handler.js');
    logs = captureLogs();
    const event = {
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: 'p',
      request: {},
      response: { autoConfirmUser: false },
    };
    const handler = createTriggerHandler<typeof event>(
      {
        name: 't',
        failMode: 'closed',
        triggerSources: ['PreSignUp_SignUp'],
        handle: async (e) => ({ ...e, response: { autoConfirmUser: true } }),
      },
      { deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 100 } },
    );

    const result = await handler(event, fakeLambdaContext());

    expect(result.response).toEqual({ autoConfirmUser: true });
  });
});

describe('getDefaultLogger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('creates the default Logger on first use, once per module instance', async () => {
    // Prepare
    vi.resetModules();
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const fresh = await import('../../shared/observability.js');

    // Act
    const first = fresh.getDefaultLogger();
    const second = fresh.getDefaultLogger();

    // Assess
    expect(first).toBeInstanceOf(Logger);
    expect(second).toBe(first);
    expect(getDefaultLogger()).not.toBe(first);
  });
});

describe('createUsernameHasher', () => {
  it('gives the same hash for the same key, a different one for another key, and never the name', () => {
    const a = createUsernameHasher({ LOG_HASH_KEY: 'key-one' });
    const b = createUsernameHasher({ LOG_HASH_KEY: 'key-one' });
    const c = createUsernameHasher({ LOG_HASH_KEY: 'key-two' });

    expect(a('alice@example.com')).toBe(b('alice@example.com'));
    expect(a('alice@example.com')).not.toBe(c('alice@example.com'));
    expect(a('alice@example.com')).toMatch(/^u_[0-9a-f]{16}$/);
    expect(a('alice@example.com')).not.toContain('alice');
  });

  it('matches an HMAC-SHA256 computed by openssl for LOG_HASH_KEY', () => {
    // printf '%s' 'alice@example.com' | openssl dgst -sha256 -hmac 'key-one' | awk '{print $2}' | cut -c1-16
    const hash = createUsernameHasher({ LOG_HASH_KEY: 'key-one' })('alice@example.com');

    expect(hash).toBe(`u_${OPENSSL_HMAC_PREFIX}`);
  });

  // Each expected value from openssl, key and username as UTF-8 bytes; the commands, in order:
  //   printf 'Zo\xc3\xab.\xc3\x85ngstr\xc3\xb6m@ex\xc3\xa4mple.com' | openssl dgst -sha256 -hmac 'key-one'
  //   printf '%s' 'alice@example.com' | openssl dgst -sha256 -hmac "$(printf 'k%.0s' $(seq 1 100))"  (a key longer than a block)
  //   printf '' | openssl dgst -sha256 -hmac 'key-one'
  //   printf 'a\xef\xbf\xbdb' | openssl dgst -sha256 -hmac 'key-one'  (a lone surrogate is encoded as U+FFFD, as Buffer does)
  //   printf '%s' 'bob' | openssl dgst -sha256 -hmac "$(printf 'cl\xc3\xa9-\xc3\xbc')"
  // each piped to `| awk '{print $2}' | cut -c1-16`.
  it.each([
    ['key-one', 'Zo\u00eb.\u00c5ngstr\u00f6m@ex\u00e4mple.com', 'aa3bf0044c1f3167'],
    ['k'.repeat(100), 'alice@example.com', 'da52fd927659ee91'],
    ['key-one', '', '7fb81ca8a821d97d'],
    ['key-one', 'a\ud800b', '2399408750b0f539'],
    ['cl\u00e9-\u00fc', 'bob', '9af8708e2396d223'],
  ])('matches openssl for key %j and username %j', (key, username, expected) => {
    // Act
    const hash = createUsernameHasher({ LOG_HASH_KEY: key })(username);
    // Assess
    expect(hash).toBe(`u_${expected}`);
  });

  it('hashes with a key given later (useKey), as openssl does with that key', () => {
    // Arrange
    const hasher = createUsernameHasher({ LOG_HASH_KEY: 'key-two' });
    const before = hasher('alice@example.com');
    // Act
    hasher.useKey('key-one');
    // Assess
    expect(hasher('alice@example.com')).toBe(`u_${OPENSSL_HMAC_PREFIX}`);
    expect(before).not.toBe(`u_${OPENSSL_HMAC_PREFIX}`);
  });

  it('without LOG_HASH_KEY, hashes alike within the container across hashers', () => {
    const a = createUsernameHasher({});
    const b = createUsernameHasher({});

    expect(a('bob')).toBe(b('bob'));
  });
});

const OPENSSL_HMAC_PREFIX = 'ea3553cd76883347';

describe('randomHexKey', () => {
  it('reads 32 bytes from /dev/urandom: 64 hex digits, new ones every time', () => {
    // Act
    const keys = Array.from({ length: 3 }, () => randomHexKey());
    // Assess
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(3);
  });

  it("falls back to node:crypto's randomBytes where there is no /dev/urandom", () => {
    // Arrange
    const fallback = vi.fn(() => Buffer.alloc(32, 0xab));
    // Act
    const key = randomHexKey('/nonexistent/urandom', fallback);
    // Assess
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(key).toBe('ab'.repeat(32));
  });

  it('takes the fallback when the device answers fewer than 32 bytes', () => {
    // Arrange: an empty file stands for a device that ends early.
    const dir = mkdtempSync(join(tmpdir(), 'urandom-'));
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const fallback = vi.fn(() => Buffer.alloc(32, 1));
    // Act
    const key = randomHexKey(empty, fallback);
    // Assess
    expect(key).toBe('01'.repeat(32));
    rmSync(dir, { recursive: true, force: true });
  });
});
