import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_DEADLINE, startDeadline } from '../../../shared/deadline.js';
import { DeadlineExceededError } from '../../../shared/errors.js';
import { createEmailDomainGuard } from '../../../shared/email-domain/email-domain-guard.js';
import { decideDomain } from '../../../shared/email-domain/email-domain-policy.js';
import { createSsmDomainPolicySource } from '../../../shared/email-domain/email-domain-sources.js';
import { startFakeSsmServer, type FakeSsmServer } from '../../../tools/lib/local-ssm.js';

const GENEROUS_LIMIT_MS = 1_500;

let ssm: FakeSsmServer;
beforeAll(async () => {
  ssm = await startFakeSsmServer();
});
afterAll(async () => ssm.close());
beforeEach(() => {
  ssm.answers.clear();
  ssm.requests.length = 0;
});

function fakeClock(startMs = 1_000_000): { now: () => number; advance(ms: number): void } {
  let current = startMs;
  return { now: () => current, advance: (ms) => (current += ms) };
}

function recordingLogger(): {
  warn: (message: string, ...rest: unknown[]) => void;
  messages: string[];
  text(): string;
  extras: unknown[];
} {
  const messages: string[] = [];
  const extras: unknown[] = [];
  return {
    messages,
    extras,
    warn: (message: string, ...rest: unknown[]) => {
      messages.push(message);
      extras.push(...rest);
    },
    text: () => JSON.stringify({ messages, extras }),
  };
}

describe('createSsmDomainPolicySource against the real SSM client', () => {
  it('loads both lists with GetParameter, asking for decryption', async () => {
    // Prepare
    ssm.answers.set('/kit/allowed', { value: 'example.com,*.partner.org' });
    ssm.answers.set('/kit/denied', { value: 'blocked.partner.org' });
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      allowedParameter: '/kit/allowed',
      deniedParameter: '/kit/denied',
      ttlMs: 60_000,
    });
    // Act
    const policy = await source.current(NO_DEADLINE);
    // Assess
    expect(decideDomain(policy, 'example.com').allowed).toBe(true);
    expect(decideDomain(policy, 'eu.partner.org').allowed).toBe(true);
    expect(decideDomain(policy, 'blocked.partner.org').allowed).toBe(false);
    expect(decideDomain(policy, 'gmail.com').allowed).toBe(false);
    expect(ssm.requests.map((request) => request.target)).toEqual([
      'AmazonSSM.GetParameter',
      'AmazonSSM.GetParameter',
    ]);
    expect(ssm.requests.every((request) => request.withDecryption === true)).toBe(true);
  });

  it('serves the cached lists within the TTL without asking SSM again', async () => {
    // Prepare
    const clock = fakeClock();
    ssm.answers.set('/kit/allowed', { value: 'example.com' });
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      allowedParameter: '/kit/allowed',
      ttlMs: 60_000,
      now: clock.now,
    });
    await source.current(NO_DEADLINE);
    ssm.answers.set('/kit/allowed', { value: 'example.net' });
    clock.advance(59_000);
    // Act
    const policy = await source.current(NO_DEADLINE);
    // Assess
    expect(ssm.requests).toHaveLength(1);
    expect(decideDomain(policy, 'example.com').allowed).toBe(true);
  });

  it('refreshes the lists once the TTL has passed', async () => {
    // Prepare
    const clock = fakeClock();
    ssm.answers.set('/kit/allowed', { value: 'example.com' });
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      allowedParameter: '/kit/allowed',
      ttlMs: 60_000,
      now: clock.now,
    });
    await source.current(NO_DEADLINE);
    ssm.answers.set('/kit/allowed', { value: 'example.net' });
    clock.advance(60_001);
    // Act
    const policy = await source.current(startDeadline(5_000));
    // Assess
    expect(ssm.requests).toHaveLength(2);
    expect(decideDomain(policy, 'example.net').allowed).toBe(true);
    expect(decideDomain(policy, 'example.com').allowed).toBe(false);
  });

  it('keeps the last good lists when a refresh fails, logs it, and waits before trying again', async () => {
    // Prepare
    const clock = fakeClock();
    const logger = recordingLogger();
    ssm.answers.set('/kit/allowed', { value: 'example.com' });
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      allowedParameter: '/kit/allowed',
      ttlMs: 60_000,
      now: clock.now,
      logger,
    });
    await source.current(NO_DEADLINE);
    ssm.answers.set('/kit/allowed', { error: 'InternalServerError', status: 500 });
    clock.advance(61_000);
    // Act
    const stale = await source.current(startDeadline(5_000));
    const again = await source.current(startDeadline(5_000));
    // Assess
    expect(decideDomain(stale, 'example.com').allowed).toBe(true);
    expect(decideDomain(again, 'example.com').allowed).toBe(true);
    expect(ssm.requests).toHaveLength(2);
    expect(logger.messages).toEqual(['email-domain lists: SSM refresh failed, using the last good lists']);
  });

  it('keeps the last good lists when a refreshed parameter holds an invalid entry', async () => {
    // Prepare
    const clock = fakeClock();
    const logger = recordingLogger();
    ssm.answers.set('/kit/denied', { value: 'mailinator.com' });
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      deniedParameter: '/kit/denied',
      ttlMs: 1_000,
      now: clock.now,
      logger,
    });
    await source.current(NO_DEADLINE);
    ssm.answers.set('/kit/denied', { value: 'mailinator.com, bad..entry' });
    clock.advance(2_000);
    // Act
    const policy = await source.current(startDeadline(5_000));
    // Assess
    expect(decideDomain(policy, 'mailinator.com').allowed).toBe(false);
    expect(logger.text()).toContain('bad..entry');
  });

  it('rejects when the first load fails, so the trigger fails closed', async () => {
    // Prepare
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      allowedParameter: '/kit/missing',
      ttlMs: 60_000,
    });
    // Act
    const loading = source.current(startDeadline(5_000));
    // Assess
    await expect(loading).rejects.toThrow(/ParameterNotFound|fake/);
  });

  it('gives up on a hung SSM within the deadline on the first load', async () => {
    // Prepare
    ssm.answers.set('/kit/allowed', 'hang');
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      allowedParameter: '/kit/allowed',
      ttlMs: 60_000,
    });
    const started = Date.now();
    // Act
    const loading = source.current(startDeadline(200));
    // Assess
    await expect(loading).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(GENEROUS_LIMIT_MS);
  });

  it('answers from the last good lists within the deadline when a refresh hangs', async () => {
    // Prepare
    const clock = fakeClock();
    const logger = recordingLogger();
    ssm.answers.set('/kit/allowed', { value: 'example.com' });
    const source = createSsmDomainPolicySource({
      client: ssm.client(),
      allowedParameter: '/kit/allowed',
      ttlMs: 60_000,
      now: clock.now,
      logger,
    });
    await source.current(NO_DEADLINE);
    ssm.answers.set('/kit/allowed', 'hang');
    clock.advance(61_000);
    const deadline = startDeadline(400);
    // Act
    const policy = await source.current(deadline);
    // Assess: the refresh spent at most half the budget, so the stale answer came before the deadline
    expect(deadline.signal.aborted).toBe(false);
    expect(decideDomain(policy, 'example.com').allowed).toBe(true);
    expect(logger.messages).toHaveLength(1);
  });
});

describe('createEmailDomainGuard with SSM and variables', () => {
  it('merges the SSM lists with the variables, deny winning', async () => {
    // Prepare
    ssm.answers.set('/kit/allowed', { value: 'partner.org' });
    const guard = createEmailDomainGuard(
      {
        ALLOWED_EMAIL_DOMAINS: 'example.com',
        DENIED_EMAIL_DOMAINS: 'partner.org',
        ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/allowed',
      },
      { ssm: ssm.client(), logger: recordingLogger() },
    );
    // Act
    const decisions = await Promise.all(
      ['ana@example.com', 'ana@partner.org', 'ana@gmail.com'].map(
        async (email) => (await guard.check(email, startDeadline(5_000))).allowed,
      ),
    );
    // Assess
    expect(decisions).toEqual([true, false, false]);
  });

  it('counts SsmRefreshFailure once per failed refresh, while the last good lists answer', async () => {
    // Prepare
    const clock = fakeClock();
    const counted: string[] = [];
    ssm.answers.set('/kit/allowed', { value: 'example.com' });
    const guard = createEmailDomainGuard(
      { ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/allowed', EMAIL_DOMAINS_SSM_TTL_SECONDS: '60' },
      {
        ssm: ssm.client(),
        logger: recordingLogger(),
        now: clock.now,
        metrics: { count: (name) => counted.push(name) },
      },
    );
    await guard.check('ana@example.com', startDeadline(5_000));
    ssm.answers.set('/kit/allowed', { error: 'InternalServerError', status: 500 });
    clock.advance(61_000);
    // Act
    const decision = await guard.check('ana@example.com', startDeadline(5_000));
    // Assess
    expect(decision.allowed).toBe(true);
    expect(counted).toEqual(['SsmRefreshFailure']);
  });

  it('refuses an unreadable address without asking SSM', async () => {
    // Prepare
    ssm.answers.set('/kit/allowed', { value: 'example.com' });
    const guard = createEmailDomainGuard(
      { ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/allowed' },
      { ssm: ssm.client() },
    );
    // Act
    const decision = await guard.check('"ana"@example.com', startDeadline(5_000));
    // Assess
    expect(decision).toMatchObject({ allowed: false, code: 'EMAIL_INVALID' });
    expect(ssm.requests).toHaveLength(0);
  });

  it('fails (rather than allowing) when SSM cannot be read on the first check', async () => {
    // Prepare
    const guard = createEmailDomainGuard(
      { DENIED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/missing' },
      { ssm: ssm.client() },
    );
    // Act
    const checking = guard.check('ana@example.com', startDeadline(5_000));
    // Assess
    await expect(checking).rejects.toThrow();
  });
});
