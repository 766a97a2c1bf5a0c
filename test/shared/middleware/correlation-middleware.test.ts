import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';

const EVENT = {
  triggerSource: 'UserMigration_ForgotPassword',
  userPoolId: 'us-east-1_Ex4mPle01',
  userName: 'alice@example.com',
  callerContext: { clientId: 'client-1' },
};
const HASH = 'u_0123456789abcdef';
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

let logs: CapturedLogs | undefined;
afterEach(() => logs?.restore());

/**
 * The middleware's `before` over a toolkit Logger, with a hasher that records its calls; the modules fresh, so
 * that each test starts in a process that has hashed no username yet.
 */
async function setUp(options: { slot?: boolean } = {}) {
  vi.resetModules();
  const { correlationMiddleware } = await import('../../../shared/middleware/correlation-middleware.js');
  const { correlationSlotOf, createToolkitLogger } = await import('../../../shared/observability.js');
  const logger = createToolkitLogger({ serviceName: 'correlation-test' });
  const hashUsername = vi.fn((_username: string) => HASH);
  const slot = options.slot === true ? correlationSlotOf(logger, {}) : undefined;
  const middleware = correlationMiddleware({
    logger,
    hashUsername,
    trigger: 'user-migration',
    ...(slot && { slot }),
  });
  const before = middleware.before as (request: { event: unknown }) => void;
  const after = middleware.after as (() => void) | undefined;
  const onError = middleware.onError as (() => void) | undefined;
  return { logger, hashUsername, before, after, onError, slot };
}

describe('correlationMiddleware: the username hash off the handler path', () => {
  it("hashes the process's first username when the event loop turns (the handler has started its I/O), not before", async () => {
    // Prepare
    const { logger, hashUsername, before } = await setUp();
    logs = captureLogs();
    // Act
    before({ event: EVENT });
    const calledAtOnce = hashUsername.mock.calls.length;
    await nextTurn();
    logger.info('user migrated');
    // Assess
    expect(calledAtOnce).toBe(0);
    expect(hashUsername.mock.calls).toEqual([['alice@example.com']]);
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        message: 'user migrated',
        user: HASH,
        trigger: 'user-migration',
        trigger_source: 'UserMigration_ForgotPassword',
        user_pool_id: 'us-east-1_Ex4mPle01',
        client_id: 'client-1',
      }),
    ]);
  });

  it('hashes it for a line written before the loop turns, once for all the lines', async () => {
    // Prepare
    const { logger, hashUsername, before } = await setUp();
    logs = captureLogs();
    // Act
    before({ event: EVENT });
    logger.info('first');
    logger.warn('second', { extra: 1 });
    await nextTurn();
    logger.info('third');
    // Assess
    expect(hashUsername).toHaveBeenCalledTimes(1);
    expect(logs.lines().map((line) => line.user)).toEqual([HASH, HASH, HASH]);
    expect(logs.text()).not.toContain('alice@example.com');
  });

  it("hashes a later username when a line writes it: no immediate after the process's first", async () => {
    // Prepare
    const { logger, hashUsername, before } = await setUp();
    logs = captureLogs();
    before({ event: EVENT });
    await nextTurn();
    // Act
    before({ event: { ...EVENT, userName: 'bob@example.com' } });
    await nextTurn();
    const callsBeforeTheLine = hashUsername.mock.calls.map(([name]) => name);
    logger.info('answered');
    // Assess
    expect(callsBeforeTheLine).toEqual(['alice@example.com']);
    expect(hashUsername.mock.calls.map(([name]) => name)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(logs.lines()[0]).toMatchObject({ user: HASH });
  });

  it('adds no user key for an event without a username', async () => {
    const { logger, hashUsername, before } = await setUp();
    logs = captureLogs();

    before({ event: { triggerSource: 'PreSignUp_SignUp' } });
    await nextTurn();
    logger.info('answered');

    expect(hashUsername).not.toHaveBeenCalled();
    expect(logs.lines()[0]).not.toHaveProperty('user');
  });
});

describe("correlationMiddleware: the keys in the toolkit formatter's slot", () => {
  it('writes them into every line without appending keys to the Logger, and clears them after the invocation', async () => {
    // Prepare
    const { logger, before, after, slot } = await setUp({ slot: true });
    const appendKeys = vi.spyOn(logger, 'appendKeys');
    logs = captureLogs();
    // Act
    before({ event: EVENT });
    logger.info('inside', { extra: 1 });
    logger.createChild({ serviceName: 'child' }).warn('from a child');
    after?.();
    logger.info('outside');
    // Assess
    expect(slot).toBeDefined();
    expect(appendKeys).not.toHaveBeenCalled();
    const [inside, child, outside] = logs.lines();
    const keys = {
      trigger: 'user-migration',
      trigger_source: 'UserMigration_ForgotPassword',
      user_pool_id: 'us-east-1_Ex4mPle01',
      client_id: 'client-1',
      user: HASH,
    };
    expect(inside).toMatchObject({ message: 'inside', extra: 1, ...keys });
    expect(child).toMatchObject({ message: 'from a child', service: 'child', ...keys });
    for (const key of Object.keys(keys)) expect(outside).not.toHaveProperty(key);
  });

  it('clears them when the invocation ends in an error', async () => {
    const { logger, before, onError } = await setUp({ slot: true });
    logs = captureLogs();

    before({ event: EVENT });
    onError?.();
    logger.info('outside');

    expect(logs.lines()[0]).not.toHaveProperty('trigger');
    expect(logs.lines()[0]).not.toHaveProperty('user');
  });

  it("lets a line's own value win over a key of the same name", async () => {
    const { logger, before } = await setUp({ slot: true });
    logs = captureLogs();

    before({ event: EVENT });
    logger.info('mine', { client_id: 'from-the-line' });

    expect(logs.lines()[0]).toMatchObject({ client_id: 'from-the-line', trigger: 'user-migration' });
  });

  it('lets a persistent key of the same name win too', async () => {
    const { logger, before } = await setUp({ slot: true });
    logger.appendPersistentKeys({ trigger: 'my-own-trigger-name' });
    logs = captureLogs();

    before({ event: EVENT });
    logger.info('line');

    expect(logs.lines()[0]).toMatchObject({ trigger: 'my-own-trigger-name', client_id: 'client-1' });
  });
});
