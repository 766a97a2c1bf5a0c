import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { createUsernameHasher, getDefaultLogger, isTracingWanted } from '../../shared/observability.js';
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

  it('without LOG_HASH_KEY, hashes alike within the container across hashers', () => {
    const a = createUsernameHasher({});
    const b = createUsernameHasher({});

    expect(a('bob')).toBe(b('bob'));
  });
});

const OPENSSL_HMAC_PREFIX = 'ea3553cd76883347';
