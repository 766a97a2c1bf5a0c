import { Logger } from '@aws-lambda-powertools/logger';
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type {
  EmailDomainLists,
  EmailDomainListSource,
} from '../../../shared/email-domain/email-domain-list-source.js';
import type { RejectionError } from '../../../shared/errors.js';
import { ConfigError } from '../../../shared/errors.js';
import { createPreSignUpHandler } from '../../../triggers/pre-sign-up/create-pre-sign-up-handler.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs } from '../../support/logs.js';

const DEADLINE = { cognitoBudgetMs: 2_000, marginMs: 200 };

/** A list source of a user's own: a fixed allowlist, counting its calls. */
function createFixedSource(allowed: string[]): EmailDomainListSource & { readonly calls: AbortSignal[] } {
  const calls: AbortSignal[] = [];
  const lists: EmailDomainLists = { allowed };
  return {
    calls,
    async load(signal) {
      calls.push(signal);
      return lists;
    },
  };
}

function signUp(email: string): PreSignUpTriggerEvent {
  const event = loadEvent<PreSignUpTriggerEvent>('pre-sign-up/sign-up-allowed.json');
  event.request.userAttributes = { ...event.request.userAttributes, email };
  return event;
}

describe('createPreSignUpHandler', () => {
  it.each([
    ['ana@partner.example', true],
    ['ana@other.example', false],
  ])('decides %s with a list source passed in code and no variable: allowed %s', async (email, allowed) => {
    // Prepare
    const source = createFixedSource(['partner.example']);
    const handler = createPreSignUpHandler({
      env: {},
      emailDomainSources: [source],
      deadlineSettings: DEADLINE,
    });
    const logs = captureLogs();

    // Act
    const outcome = await handler(signUp(email), fakeLambdaContext()).then(
      (event) => ({ event }),
      (error: unknown) => ({ error }),
    );
    logs.restore();

    // Assess
    expect(source.calls).toHaveLength(1);
    if (allowed) expect(outcome).toHaveProperty('event.response.autoConfirmUser', false);
    else
      expect((outcome as { error: RejectionError }).error.message).toMatch(/^\[EMAIL_DOMAIN_NOT_ALLOWED\] /);
  });

  it('lets a deny from the variables win over an allow from a source in code', async () => {
    const source = createFixedSource(['partner.example']);
    const handler = createPreSignUpHandler({
      env: { DENIED_EMAIL_DOMAINS: 'partner.example' },
      emailDomainSources: [source],
      deadlineSettings: DEADLINE,
    });
    const logs = captureLogs();

    await expect(handler(signUp('ana@partner.example'), fakeLambdaContext())).rejects.toThrow(
      /^\[EMAIL_DOMAIN_NOT_ALLOWED\] /,
    );
    logs.restore();
  });

  it('fails closed with TEMPORARY_FAILURE when a source in code fails', async () => {
    const failing: EmailDomainListSource = {
      load: () => Promise.reject(new Error('the list service is down')),
    };
    const handler = createPreSignUpHandler({
      env: {},
      emailDomainSources: [failing],
      deadlineSettings: DEADLINE,
    });
    const logs = captureLogs();

    await expect(handler(signUp('ana@partner.example'), fakeLambdaContext())).rejects.toThrow(
      /^\[TEMPORARY_FAILURE\] /,
    );
    logs.restore();
  });

  it('requires a list when none is given in code or in env, naming the variable', () => {
    expect(() => createPreSignUpHandler({ env: {} })).toThrow(ConfigError);
    expect(() => createPreSignUpHandler({ env: {} })).toThrow(/ALLOWED_EMAIL_DOMAINS: at least one/);
  });

  it('logs through the Logger passed in, never the default one', async () => {
    // Prepare
    const logs = captureLogs();
    const logger = new Logger({ serviceName: 'accounts-sign-up' });
    const handler = createPreSignUpHandler({
      env: { ALLOWED_EMAIL_DOMAINS: 'example.com' },
      logger,
      deadlineSettings: DEADLINE,
    });

    // Act
    await handler(signUp('ana@example.com'), fakeLambdaContext());
    logs.restore();

    // Assess
    // Log lines only: the EMF metric lines are the Metrics instance's, with its own service dimension.
    const lines = logs.lines().filter((line) => 'message' in line);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.service === 'accounts-sign-up')).toBe(true);
    expect(lines.some((line) => line.message === 'Sign-up allowed')).toBe(true);
  });

  it('reads each shared variable once at cold start, with the config', () => {
    // Prepare: an environment that counts the look-ups of every variable, set or not.
    const reads = new Map<string, number>();
    const env = new Proxy<Record<string, string>>(
      { ALLOWED_EMAIL_DOMAINS: 'example.com', LOG_HASH_KEY_PARAMETER: '/app/log-hash-key' },
      {
        getOwnPropertyDescriptor(target, key) {
          if (typeof key === 'string') reads.set(key, (reads.get(key) ?? 0) + 1);
          return Reflect.getOwnPropertyDescriptor(target, key);
        },
      },
    );
    // Act
    createPreSignUpHandler({ env });
    // Assess
    const counted = [
      'COGNITO_BUDGET_MS',
      'DEADLINE_MARGIN_MS',
      'LOG_HASH_KEY_PARAMETER',
      'LOG_HASH_KEY_SECRET_ARN',
      'ALLOWED_EMAIL_DOMAINS',
    ].map((name) => [name, reads.get(name)]);
    expect(counted).toEqual([
      ['COGNITO_BUDGET_MS', 1],
      ['DEADLINE_MARGIN_MS', 1],
      ['LOG_HASH_KEY_PARAMETER', 1],
      ['LOG_HASH_KEY_SECRET_ARN', 1],
      ['ALLOWED_EMAIL_DOMAINS', 1],
    ]);
  });

  it('fails the cold start with one error naming a bad shared variable and a bad own one', () => {
    const act = () =>
      createPreSignUpHandler({
        env: {
          ALLOWED_EMAIL_DOMAINS: 'bad..com',
          LOG_HASH_KEY_PARAMETER: 'not a name',
          COGNITO_BUDGET_MS: '10',
        },
      });

    expect(act).toThrow(ConfigError);
    expect(act).toThrow(
      /ALLOWED_EMAIL_DOMAINS: invalid domain entry.*COGNITO_BUDGET_MS.*LOG_HASH_KEY_PARAMETER/,
    );
  });
});
