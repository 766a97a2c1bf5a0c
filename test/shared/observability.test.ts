import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTracingWanted } from '../../shared/observability.js';
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

  it('is loaded only where it traces', async () => {
    vi.stubEnv('AWS_XRAY_CONTEXT_MISSING', 'IGNORE_ERROR');
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    vi.resetModules();
    const outside = await import('../../shared/observability.js');
    vi.stubEnv('AWS_EXECUTION_ENV', LAMBDA);
    vi.resetModules();
    const inside = await import('../../shared/observability.js');

    expect(outside.tracer).toBeUndefined();
    expect(inside.tracer?.isTracingEnabled()).toBe(true);
    expect(inside.tracerMiddleware).toBeTypeOf('function');
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
