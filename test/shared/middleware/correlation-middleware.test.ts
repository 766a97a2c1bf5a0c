import { afterEach, describe, expect, it, vi } from 'vitest';
import { correlationMiddleware } from '../../../shared/middleware/correlation-middleware.js';
import { createToolkitLogger } from '../../../shared/observability.js';
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

/** The middleware's `before` over a toolkit Logger, with a hasher that records its calls. */
function setUp() {
  const logger = createToolkitLogger({ serviceName: 'correlation-test' });
  const hashUsername = vi.fn((_username: string) => HASH);
  const middleware = correlationMiddleware({ logger, hashUsername, trigger: 'user-migration' });
  const before = middleware.before as (request: { event: unknown }) => void;
  return { logger, hashUsername, before };
}

describe('correlationMiddleware: the username hash off the handler path', () => {
  it('hashes the username when the event loop turns (the handler has started its I/O), not before', async () => {
    // Prepare
    const { logger, hashUsername, before } = setUp();
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
    const { logger, hashUsername, before } = setUp();
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

  it('adds no user key for an event without a username', async () => {
    const { logger, hashUsername, before } = setUp();
    logs = captureLogs();

    before({ event: { triggerSource: 'PreSignUp_SignUp' } });
    await nextTurn();
    logger.info('answered');

    expect(hashUsername).not.toHaveBeenCalled();
    expect(logs.lines()[0]).not.toHaveProperty('user');
  });
});
