import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, RejectionError } from '../../shared/errors.js';
import {
  createTriggerHandler,
  readDeadlineSettings,
  readTriggerConfig,
  type FailMode,
} from '../../shared/trigger-handler.js';
import { fakeLambdaContext } from '../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../support/logs.js';

interface TestEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

const SETTINGS = { cognitoBudgetMs: 600, marginMs: 100 }; // budget 500 ms, hard stop at 550 ms
const GENEROUS_LIMIT_MS = 1_500;

function makeEvent(): TestEvent {
  return {
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region: 'us-east-1',
    userPoolId: 'us-east-1_TestPool1',
    userName: 'alice@example.com',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client-abc' },
    request: { userAttributes: { email: 'alice@example.com' }, validationData: null },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

function makeHandler(
  failMode: FailMode,
  handle: (event: TestEvent, signal: AbortSignal) => Promise<TestEvent>,
) {
  return createTriggerHandler<TestEvent>(
    {
      name: 'test-trigger',
      failMode,
      triggerSources: ['PreSignUp_SignUp'],
      handle: (event, { deadline }) => handle(event, deadline.signal),
    },
    { deadlineSettings: SETTINGS },
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ elapsedMs: number; result?: T; error?: Error }> {
  const started = Date.now();
  try {
    const result = await work();
    return { elapsedMs: Date.now() - started, result };
  } catch (error) {
    return { elapsedMs: Date.now() - started, error: error as Error };
  }
}

let logs: CapturedLogs;
afterEach(() => logs?.restore());

describe('createTriggerHandler: the deadline', () => {
  let silentServer: Server;
  let silentUrl: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: the socket that hangs a dependency.
    silentServer = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const address = silentServer.address() as { port: number };
    silentUrl = `http://127.0.0.1:${address.port}/`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silentServer.close(resolve));
  });

  const hangs = {
    'a handler that never settles': () => new Promise<TestEvent>(() => undefined),
    'a dependency that never answers, called with the signal': (_e: TestEvent, signal: AbortSignal) =>
      fetch(silentUrl, { signal }).then(() => makeEvent()),
    'a dependency that never answers and ignores the signal': () => fetch(silentUrl).then(() => makeEvent()),
  } as const;

  it.each(Object.entries(hangs))(
    'refuses with TEMPORARY_FAILURE inside the budget on %s (fail-closed)',
    async (_name, hang) => {
      logs = captureLogs();
      const handler = makeHandler('closed', hang);

      const outcome = await timed(() => handler(makeEvent(), fakeLambdaContext()));

      expect(outcome.error?.message).toMatch(/^\[TEMPORARY_FAILURE\] /);
      expect(outcome.elapsedMs).toBeGreaterThanOrEqual(450);
      expect(outcome.elapsedMs).toBeLessThan(GENEROUS_LIMIT_MS);
    },
  );

  it.each([
    ['PreSignUp_ExternalProvider', 'closed'],
    ['PreSignUp_SignUp', 'open'],
  ] as const)(
    'answers a hang on %s with the fail mode failModeFor gives it (%s), inside the budget',
    async (source, mode) => {
      logs = captureLogs();
      const handler = createTriggerHandler<TestEvent>(
        {
          name: 'test-trigger',
          failMode: 'open',
          failModeFor: (event) => (event.triggerSource === 'PreSignUp_ExternalProvider' ? 'closed' : 'open'),
          triggerSources: ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider'],
          handle: () => new Promise<TestEvent>(() => undefined),
        },
        { deadlineSettings: SETTINGS },
      );
      const event = { ...makeEvent(), triggerSource: source };

      const outcome = await timed(() => handler(event, fakeLambdaContext()));

      if (mode === 'closed') expect(outcome.error?.message).toMatch(/^\[TEMPORARY_FAILURE\] /);
      else expect(outcome.result?.triggerSource).toBe(source);
      expect(outcome.elapsedMs).toBeLessThan(GENEROUS_LIMIT_MS);
    },
  );

  it.each(Object.entries(hangs))(
    'returns the event unchanged inside the budget on %s (fail-open)',
    async (_name, hang) => {
      logs = captureLogs();
      const handler = makeHandler('open', (event, signal) => {
        event.response.emailMessage = 'half-written';
        return hang(event, signal);
      });

      const outcome = await timed(() => handler(makeEvent(), fakeLambdaContext()));

      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toEqual(makeEvent());
      expect(outcome.elapsedMs).toBeLessThan(GENEROUS_LIMIT_MS);
    },
  );

  it('counts the budget from the Lambda remaining time when that is shorter', async () => {
    logs = captureLogs();
    const handler = createTriggerHandler<TestEvent>(
      {
        name: 't',
        failMode: 'closed',
        triggerSources: ['PreSignUp_SignUp'],
        handle: () => new Promise(() => undefined),
      },
      { deadlineSettings: { cognitoBudgetMs: 4_500, marginMs: 100 } },
    );

    const outcome = await timed(() => handler(makeEvent(), fakeLambdaContext({ remainingMs: 400 })));

    expect(outcome.error?.message).toMatch(/^\[TEMPORARY_FAILURE\] /);
    expect(outcome.elapsedMs).toBeLessThan(1_000);
  });

  it('logs the deadline as the reason of the fallback', async () => {
    logs = captureLogs();
    const handler = makeHandler('closed', () => new Promise(() => undefined));

    await timed(() => handler(makeEvent(), fakeLambdaContext()));

    const fallback = logs.lines().find((line) => line.outcome === 'fallback' && 'message' in line);
    expect(fallback?.level).toBe('ERROR');
    expect(JSON.stringify(fallback?.error)).toContain('DeadlineExceededError');
  });
});

describe('createTriggerHandler: errors', () => {
  it.each<FailMode>(['closed', 'open'])(
    'passes a rejection through with its message (fail-%s)',
    async (failMode) => {
      logs = captureLogs();
      const handler = makeHandler(failMode, async () => {
        throw new RejectionError('EMAIL_DOMAIN_NOT_ALLOWED');
      });

      const outcome = await timed(() => handler(makeEvent(), fakeLambdaContext()));

      expect(outcome.error?.message).toBe(
        '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
      );
    },
  );

  it('replaces a fault by the generic message and logs its cause (fail-closed)', async () => {
    logs = captureLogs();
    const handler = makeHandler('closed', async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (internal detail)', {
        cause: new Error('root cause'),
      });
    });

    const outcome = await timed(() => handler(makeEvent(), fakeLambdaContext()));

    expect(outcome.error?.message).toBe(
      '[TEMPORARY_FAILURE] The service is temporarily unavailable, please try again',
    );
    expect(outcome.error?.message).not.toContain('ECONNREFUSED');
    const fallback = logs.lines().find((line) => line.outcome === 'fallback' && 'message' in line);
    expect(JSON.stringify(fallback)).toContain('ECONNREFUSED');
    expect(JSON.stringify(fallback)).toContain('root cause');
  });

  it('returns the original event on a fault (fail-open)', async () => {
    logs = captureLogs();
    const handler = makeHandler('open', async (event) => {
      event.response.emailSubject = 'changed';
      throw new TypeError('template exploded');
    });

    const outcome = await timed(() => handler(makeEvent(), fakeLambdaContext()));

    expect(outcome.result).toEqual(makeEvent());
  });

  it('treats a thrown message that only looks like a rejection as a fault', async () => {
    logs = captureLogs();
    const handler = makeHandler('closed', async () => {
      throw new Error('[EMAIL_INVALID] internal code path leaked this');
    });

    const outcome = await timed(() => handler(makeEvent(), fakeLambdaContext()));

    expect(outcome.error?.message).toMatch(/^\[TEMPORARY_FAILURE\] /);
  });

  const malformed: [string, unknown][] = [
    ['null', null],
    ['a string', 'PreSignUp_SignUp'],
    ['an event of another trigger', { ...makeEvent(), triggerSource: 'CustomMessage_SignUp' }],
    ['an event without request', { ...makeEvent(), request: undefined }],
  ];
  it.each(malformed)(
    'answers a malformed event (%s) with the fallback before any work',
    async (_name, event) => {
      logs = captureLogs();
      const handle = vi.fn(async (e: TestEvent) => e);
      const handler = makeHandler('closed', handle);

      const outcome = await timed(() => handler(event as TestEvent, fakeLambdaContext()));

      expect(outcome.error?.message).toMatch(/^\[TEMPORARY_FAILURE\] /);
      expect(handle).not.toHaveBeenCalled();
      expect(JSON.stringify(logs.lines())).toContain('MalformedEventError');
    },
  );
});

describe('createTriggerHandler: logs', () => {
  it('writes JSON lines with the correlation keys and the username only as a keyed hash', async () => {
    logs = captureLogs();
    const handler = makeHandler('closed', async (event) => event);
    const context = fakeLambdaContext();

    await handler(makeEvent(), context);

    const answered = logs.lines().find((line) => line.outcome === 'answered' && 'message' in line);
    expect(answered).toMatchObject({
      level: 'INFO',
      trigger: 'test-trigger',
      trigger_source: 'PreSignUp_SignUp',
      user_pool_id: 'us-east-1_TestPool1',
      client_id: 'client-abc',
      function_request_id: context.awsRequestId,
    });
    expect(answered?.user).toMatch(/^u_[0-9a-f]{16}$/);
    expect(logs.text()).not.toContain('alice@example.com');
  });

  it('does not carry one invocation’s keys into the next', async () => {
    logs = captureLogs();
    const handler = makeHandler('closed', async (event) => event);
    await handler(makeEvent(), fakeLambdaContext());
    const second = {
      ...makeEvent(),
      callerContext: { awsSdkVersion: 'x', clientId: 'other-client' },
      userName: 'bob',
    };

    await handler(second, fakeLambdaContext());

    const answered = logs.lines().filter((line) => line.outcome === 'answered' && 'message' in line);
    expect(answered[1]?.client_id).toBe('other-client');
    expect(answered[1]?.user).not.toBe(answered[0]?.user);
  });
});

describe('createTriggerHandler: the correlation keys end with the invocation', () => {
  it.each([
    ['answered', async (event: TestEvent) => event],
    [
      'rejected',
      async (): Promise<TestEvent> => {
        throw new RejectionError('EMAIL_DOMAIN_NOT_ALLOWED');
      },
    ],
    [
      'a fault',
      async (): Promise<TestEvent> => {
        throw new Error('boom');
      },
    ],
  ])('writes no key of an invocation that has %s into a line written after it', async (_name, handle) => {
    // Prepare
    const { getDefaultLogger } = await import('../../shared/observability.js');
    logs = captureLogs();
    const handler = makeHandler('closed', handle);
    // Act
    await handler(makeEvent(), fakeLambdaContext()).catch(() => undefined);
    getDefaultLogger().info('between invocations');
    // Assess
    const lines = logs.lines();
    expect(lines.some((line) => line.trigger === 'test-trigger')).toBe(true);
    const between = lines.find((line) => line.message === 'between invocations');
    for (const key of ['trigger', 'trigger_source', 'user_pool_id', 'client_id', 'user'])
      expect(between).not.toHaveProperty(key);
  });
});

describe('readDeadlineSettings', () => {
  it('reads the defaults', () => {
    expect(readDeadlineSettings({})).toEqual({ cognitoBudgetMs: 4500, marginMs: 300 });
  });

  it('names every bad variable in one error', () => {
    expect(() => readDeadlineSettings({ COGNITO_BUDGET_MS: 'soon', DEADLINE_MARGIN_MS: '-5' })).toThrowError(
      /COGNITO_BUDGET_MS: must be a number.*DEADLINE_MARGIN_MS: must be at least 0/,
    );
  });
});

describe('readTriggerConfig', () => {
  it('names the bad variables of the trigger and of the deadline in one error', () => {
    const readBadTrigger = (): never => {
      throw new ConfigError(['TENANT_TABLE_NAME: is required']);
    };

    expect(() => readTriggerConfig(readBadTrigger, { COGNITO_BUDGET_MS: 'soon' })).toThrowError(
      'Invalid configuration: TENANT_TABLE_NAME: is required; COGNITO_BUDGET_MS: must be a number, got "soon"',
    );
  });

  it('names a bad log hash key reference in the same error', () => {
    const readBadTrigger = (): never => {
      throw new ConfigError(['TENANT_TABLE_NAME: is required']);
    };

    expect(() => readTriggerConfig(readBadTrigger, { LOG_HASH_KEY_SECRET_ARN: 'my-secret' })).toThrowError(
      'Invalid configuration: TENANT_TABLE_NAME: is required; LOG_HASH_KEY_SECRET_ARN: must be a Secrets Manager secret ARN',
    );
  });

  it('returns both when both are good', () => {
    expect(readTriggerConfig(() => ({ table: 't' }), {})).toEqual({
      config: { table: 't' },
      deadline: { cognitoBudgetMs: 4500, marginMs: 300 },
    });
  });

  it('lets an error that is not about configuration through as it is', () => {
    const broken = (): never => {
      throw new TypeError('bug');
    };

    expect(() => readTriggerConfig(broken, {})).toThrowError(TypeError);
  });
});

describe('createTriggerHandler: injected instances', () => {
  it('logs through a Logger passed in options, and hands that Logger to handle', async () => {
    // Prepare
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const lines: string[] = [];
    const own = new Logger({ serviceName: 'my-own-service' });
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    let received: unknown;
    const handler = createTriggerHandler<TestEvent>(
      {
        name: 'own-trigger',
        failMode: 'closed',
        triggerSources: ['PreSignUp_SignUp'],
        handle: async (event, { logger }) => {
          received = logger;
          return event;
        },
      },
      { deadlineSettings: SETTINGS, logger: own },
    );

    // Act
    await handler(makeEvent(), fakeLambdaContext());
    write.mockRestore();

    // Assess
    expect(received).toBe(own);
    const answered = lines
      .map((line) => JSON.parse(line))
      .find((line) => line.message === 'Trigger answered');
    expect(answered).toMatchObject({
      service: 'my-own-service',
      trigger: 'own-trigger',
      outcome: 'answered',
    });
  });

  it('reads the deadline settings from the env option when none are given', () => {
    expect(() =>
      createTriggerHandler<TestEvent>(
        { name: 't', failMode: 'closed', triggerSources: ['PreSignUp_SignUp'], handle: async (e) => e },
        { env: { COGNITO_BUDGET_MS: 'soon' } },
      ),
    ).toThrow(ConfigError);
  });

  it('names every bad shared variable in one ConfigError (deadline and log hash key reference)', () => {
    const create = () =>
      createTriggerHandler<TestEvent>(
        { name: 't', failMode: 'closed', triggerSources: ['PreSignUp_SignUp'], handle: async (e) => e },
        { env: { COGNITO_BUDGET_MS: 'soon', LOG_HASH_KEY_PARAMETER: 'not a parameter name!' } },
      );

    expect(create).toThrowError(
      /COGNITO_BUDGET_MS: must be a number.*LOG_HASH_KEY_PARAMETER: must be an SSM/,
    );
  });
});

describe('createTriggerHandler: an injected Tracer', () => {
  it('wraps the handler with the Tracer passed in and annotates the trigger source on it', async () => {
    // Prepare: a real Powertools Tracer, off (no X-Ray daemon here), watched
    const { Tracer } = await import('@aws-lambda-powertools/tracer');
    const tracer = new Tracer({ enabled: false });
    const asked = vi.spyOn(tracer, 'isTracingEnabled');
    const annotated = vi.spyOn(tracer, 'putAnnotation');
    const logs = captureLogs();
    const handler = createTriggerHandler<{ triggerSource: string; request: object; response: object }>(
      {
        name: 'traced',
        failMode: 'closed',
        triggerSources: ['PreSignUp_SignUp'],
        handle: async (event) => event,
      },
      { tracer, env: {}, deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 100 } },
    );

    // Act
    await handler({ triggerSource: 'PreSignUp_SignUp', request: {}, response: {} }, fakeLambdaContext());
    logs.restore();

    // Assess
    expect(asked).toHaveBeenCalled();
    expect(annotated).toHaveBeenCalledWith('triggerSource', 'PreSignUp_SignUp');
  });
});

describe('createTriggerHandler: the log hash key of its env', () => {
  it('hashes the username in the correlation keys with LOG_HASH_KEY from options.env', async () => {
    // Prepare: the expected hash made by openssl, not by the code under test:
    // printf '%s' 'carol@example.com' | openssl dgst -sha256 -hmac 'handler-key' | awk '{print $2}' | cut -c1-16
    const expected = 'u_222304c990fc9ff5';
    const logs = captureLogs();
    const handler = createTriggerHandler<{
      triggerSource: string;
      userName: string;
      request: object;
      response: object;
    }>(
      {
        name: 'hashed',
        failMode: 'closed',
        triggerSources: ['PreSignUp_SignUp'],
        handle: async (event, { logger, hashUsername }) => {
          logger.info('handled', { again: hashUsername(event.userName) });
          return event;
        },
      },
      { env: { LOG_HASH_KEY: 'handler-key' }, deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 100 } },
    );

    // Act
    await handler(
      { triggerSource: 'PreSignUp_SignUp', userName: 'carol@example.com', request: {}, response: {} },
      fakeLambdaContext(),
    );
    logs.restore();

    // Assess
    const line = logs.lines().find((entry) => entry.message === 'handled');
    expect(line).toMatchObject({ user: expected, again: expected });
    expect(logs.text()).not.toContain('carol@example.com');
  });
});
