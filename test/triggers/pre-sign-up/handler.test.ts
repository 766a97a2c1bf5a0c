import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { createToolkitLogger } from '../../../shared/observability.js';
import { createPreSignUpHandler } from '../../../triggers/pre-sign-up/create-pre-sign-up-handler.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';

type Handler = (
  event: PreSignUpTriggerEvent,
  context: ReturnType<typeof fakeLambdaContext>,
) => Promise<PreSignUpTriggerEvent>;

// The environment `npm run invoke -- PreSignUpFunction --env-vars events/pre-sign-up/env.json` uses.
const FIXTURE_ENV = loadEvent<{ PreSignUpFunction: Record<string, string> }>(
  'pre-sign-up/env.json',
).PreSignUpFunction;

/** A cold start: the factory reads `env` (stubbed into process.env, as Lambda gives it) and builds its Logger anew. */
async function loadHandler(env: Record<string, string>): Promise<Handler> {
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  return createPreSignUpHandler({ logger: createToolkitLogger() });
}

async function invoke(
  handler: Handler,
  event: PreSignUpTriggerEvent,
): Promise<{ result?: PreSignUpTriggerEvent; error?: Error }> {
  try {
    return { result: await handler(event, fakeLambdaContext()) };
  } catch (error) {
    return { error: error as Error };
  }
}

let logs: CapturedLogs | undefined;
afterEach(() => {
  logs?.restore();
  logs = undefined;
  vi.unstubAllEnvs();
});

describe('pre-sign-up handler on the fixtures', () => {
  it.each([
    'sign-up-allowed.json',
    'sign-up-wildcard-subdomain-allowed.json',
    'admin-create-user-allowed.json',
    'external-provider-allowed.json',
  ])('allows %s with every response flag false', async (fixture) => {
    // Prepare
    const handler = await loadHandler(FIXTURE_ENV);
    const event = loadEvent<PreSignUpTriggerEvent>(`pre-sign-up/${fixture}`);
    // Act
    const { result, error } = await invoke(handler, event);
    // Assess
    expect(error).toBeUndefined();
    expect(result?.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it.each([
    [
      'sign-up-lookalike-refused.json',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    [
      'sign-up-suffix-trick-refused.json',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    [
      'sign-up-homograph-refused.json',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    [
      'sign-up-forged-custom-domain-refused.json',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    [
      'sign-up-denied-subdomain-refused.json',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    [
      'admin-create-user-refused.json',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    [
      'external-provider-refused.json',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    ['sign-up-trailing-dot-invalid.json', '[EMAIL_INVALID] The email address is not valid'],
    ['external-provider-without-email.json', '[EMAIL_INVALID] The email address is not valid'],
  ])('refuses %s with %s', async (fixture, message) => {
    // Prepare
    const handler = await loadHandler(FIXTURE_ENV);
    const event = loadEvent<PreSignUpTriggerEvent>(`pre-sign-up/${fixture}`);
    // Act
    const { error } = await invoke(handler, event);
    // Assess
    expect(error?.message).toBe(message);
  });

  it('never logs the address it refuses', async () => {
    // Prepare
    const handler = await loadHandler(FIXTURE_ENV);
    const event = loadEvent<PreSignUpTriggerEvent>('pre-sign-up/sign-up-lookalike-refused.json');
    logs = captureLogs();
    // Act
    await invoke(handler, event);
    // Assess
    const text = logs.text();
    logs.restore();
    expect(text).toContain('Sign-up refused');
    expect(text).not.toContain('evilexample');
  });

  it('resets response flags that arrive set to true', async () => {
    // Prepare
    const handler = await loadHandler(FIXTURE_ENV);
    const event = loadEvent<PreSignUpTriggerEvent>('pre-sign-up/sign-up-allowed.json');
    event.response = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true };
    // Act
    const { result } = await invoke(handler, event);
    // Assess
    expect(result?.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('auto-confirms a federated user when AUTO_CONFIRM_FEDERATED_USERS=true, still without verifying the email', async () => {
    // Prepare
    const handler = await loadHandler({ ...FIXTURE_ENV, AUTO_CONFIRM_FEDERATED_USERS: 'true' });
    const event = loadEvent<PreSignUpTriggerEvent>('pre-sign-up/external-provider-allowed.json');
    // Act
    const { result } = await invoke(handler, event);
    // Assess
    expect(result?.response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('lets an exempt AdminCreateUser through with a domain outside the policy', async () => {
    // Prepare
    const handler = await loadHandler({
      ...FIXTURE_ENV,
      EXEMPT_TRIGGER_SOURCES: 'PreSignUp_AdminCreateUser',
    });
    const event = loadEvent<PreSignUpTriggerEvent>('pre-sign-up/admin-create-user-refused.json');
    // Act
    const { result, error } = await invoke(handler, event);
    // Assess
    expect(error).toBeUndefined();
    expect(result?.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('lets a federated user without email through when FEDERATED_WITHOUT_EMAIL=allow', async () => {
    // Prepare
    const handler = await loadHandler({ ...FIXTURE_ENV, FEDERATED_WITHOUT_EMAIL: 'allow' });
    const event = loadEvent<PreSignUpTriggerEvent>('pre-sign-up/external-provider-without-email.json');
    // Act
    const { error } = await invoke(handler, event);
    // Assess
    expect(error).toBeUndefined();
  });

  it('fails closed with [TEMPORARY_FAILURE] when the SSM list cannot be read', async () => {
    // Prepare: an endpoint where nothing listens
    const handler = await loadHandler({
      ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/allowed',
      AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'AKIDFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
      AWS_MAX_ATTEMPTS: '1',
    });
    const event = loadEvent<PreSignUpTriggerEvent>('pre-sign-up/sign-up-allowed.json');
    logs = captureLogs();
    // Act
    const { error } = await invoke(handler, event);
    // Assess
    logs.restore();
    expect(error?.message).toMatch(/^\[TEMPORARY_FAILURE\] /);
  });

  it('fails the cold start with one ConfigError when no list is configured', async () => {
    // Act
    const loading = loadHandler({ AUTO_CONFIRM_FEDERATED_USERS: 'sure' });
    // Assess
    await expect(loading).rejects.toBeInstanceOf(ConfigError);
    await expect(loading).rejects.toThrow(
      /AUTO_CONFIRM_FEDERATED_USERS: .*; ALLOWED_EMAIL_DOMAINS: at least one/,
    );
  });
});
