import type { Context, CustomMessageTriggerEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createToolkitLogger } from '../../../shared/observability.js';
import { createCustomMessageHandler } from '../../../triggers/custom-message/create-custom-message-handler.js';
import { emfLines } from '../../support/emf.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';

type Handler = (event: CustomMessageTriggerEvent, context: Context) => Promise<CustomMessageTriggerEvent>;

const BASE_ENV = { APP_NAME: 'Acme', APP_URL: 'https://app.acme.test', DEFAULT_LOCALE: 'en' };

/** The real handler with `env` set, as a cold start builds it. */
async function coldStartHandler(env: Record<string, string> = {}): Promise<Handler> {
  vi.unstubAllEnvs();
  for (const key of ['ALLOWED_EMAIL_DOMAINS', 'DENIED_EMAIL_DOMAINS', 'DENY_DISPOSABLE_EMAIL_DOMAINS'])
    vi.stubEnv(key, '');
  for (const [key, value] of Object.entries({ ...BASE_ENV, ...env })) vi.stubEnv(key, value);
  // The factory reads process.env now; a new Logger picks up the stubbed Powertools variables.
  return createCustomMessageHandler({ logger: createToolkitLogger() });
}

function fixture(name: string): CustomMessageTriggerEvent {
  return loadEvent<CustomMessageTriggerEvent>(`custom-message/${name}.json`);
}

let logs: CapturedLogs | undefined;
afterEach(() => {
  logs?.restore();
  logs = undefined;
  vi.unstubAllEnvs();
});

describe('custom-message handler', () => {
  it.each([
    { name: 'sign-up', subject: 'Ada, confirm your Acme account' },
    { name: 'sign-up-fr', subject: 'Amélie, confirmez votre compte Acme' },
    { name: 'sign-up-unknown-locale', subject: 'Ada, confirm your Acme account' },
    { name: 'admin-create-user', subject: 'Grace, your Acme account is ready' },
    { name: 'resend-code', subject: 'Your Acme confirmation code' },
    { name: 'forgot-password', subject: 'Reset your Acme password' },
    { name: 'update-user-attribute', subject: 'Confirm your new Acme contact details' },
    { name: 'verify-user-attribute', subject: 'Verify your Acme contact details' },
    { name: 'authentication', subject: 'Your Acme sign-in code' },
  ])('sets the three messages for the $name fixture', async ({ name, subject }) => {
    // Prepare
    const handler = await coldStartHandler({ ALLOWED_EMAIL_DOMAINS: 'example.com' });
    const event = fixture(name);

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(result.response.emailSubject).toBe(subject);
    expect(result.response.emailMessage?.split('{####}')).toHaveLength(2);
    expect(result.response.smsMessage?.split('{####}')).toHaveLength(2);
    expect(result.request).toEqual(fixture(name).request);
  });

  it('keeps both AdminCreateUser placeholders in the body and the SMS', async () => {
    // Prepare
    const handler = await coldStartHandler();

    // Act
    const result = await handler(fixture('admin-create-user'), fakeLambdaContext());

    // Assess
    expect(result.response.emailMessage).toContain('Username: <strong>{username}</strong>');
    expect(result.response.emailMessage).toContain('Temporary password: <strong>{####}</strong>');
    expect(result.response.smsMessage).toBe(
      'Acme: your username is {username} and your temporary password is {####}',
    );
  });

  it('escapes a hostile name in the body and flattens it in the subject', async () => {
    // Prepare
    const handler = await coldStartHandler();

    // Act
    const result = await handler(fixture('sign-up-hostile-name'), fakeLambdaContext());

    // Assess
    expect(result.response.emailSubject).toBe(
      '"><img src=x onerror=alert(1)> Bcc: vict, confirm your Acme account',
    );
    expect(result.response.emailMessage).toContain(
      'Hello &quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; Bcc: vict,',
    );
    expect(result.response.emailMessage).not.toContain('<img');
  });

  it.each(['update-user-attribute-refused-domain', 'verify-user-attribute-refused-domain'])(
    'refuses the %s fixture when the domain policy is configured',
    async (name) => {
      // Prepare
      const handler = await coldStartHandler({ ALLOWED_EMAIL_DOMAINS: 'example.com' });

      // Act
      const answer = handler(fixture(name), fakeLambdaContext());

      // Assess
      await expect(answer).rejects.toThrow(
        '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
      );
    },
  );

  it('refuses a malformed new email with EMAIL_INVALID', async () => {
    // Prepare
    const handler = await coldStartHandler({ ALLOWED_EMAIL_DOMAINS: 'example.com' });
    const event = fixture('update-user-attribute');
    event.request.userAttributes.email = 'ada@@example.com';

    // Act
    const answer = handler(event, fakeLambdaContext());

    // Assess
    await expect(answer).rejects.toThrow(/^\[EMAIL_INVALID\] /);
  });

  it.each([
    {
      label: 'without a domain policy',
      env: {} as Record<string, string>,
      name: 'update-user-attribute-refused-domain',
    },
    {
      label: 'on sign-up (PreSignUp owns that check)',
      env: { ALLOWED_EMAIL_DOMAINS: 'example.com' },
      name: 'sign-up',
    },
  ])('renders an email outside the allowlist $label', async ({ env, name }) => {
    // Prepare
    const handler = await coldStartHandler(env);
    const event = fixture(name);
    event.request.userAttributes.email = 'ada@mailinator.com';

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(result.response.emailMessage).toContain('{####}');
  });

  it('checks nothing for a phone-only user changing their number', async () => {
    // Prepare
    const handler = await coldStartHandler({ ALLOWED_EMAIL_DOMAINS: 'example.com' });
    const event = fixture('update-user-attribute');
    delete event.request.userAttributes.email;

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(result.response.smsMessage).toBe('Acme: your verification code is {####}');
  });

  it.each([
    {
      label: 'a missing codeParameter',
      reason: 'UNUSABLE_PLACEHOLDER',
      change: (event: CustomMessageTriggerEvent) => {
        delete (event.request as Partial<CustomMessageTriggerEvent['request']>).codeParameter;
      },
    },
    {
      label: 'AdminCreateUser without usernameParameter',
      reason: 'UNUSABLE_PLACEHOLDER',
      change: (event: CustomMessageTriggerEvent) => {
        event.triggerSource = 'CustomMessage_AdminCreateUser';
        event.request.usernameParameter = null;
      },
    },
  ])('returns the event unchanged and logs why on $label', async ({ reason, change }) => {
    // Prepare
    const handler = await coldStartHandler();
    const event = fixture('sign-up');
    change(event);
    const expected = structuredClone(event);
    logs = captureLogs();

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    logs.restore();
    expect(result).toEqual(expected);
    expect(result.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'Message not rendered; Cognito sends its default message',
        reason,
      }),
    );
    const custom = emfLines(logs.lines()).find((entry) => 'CustomMessageFallback' in entry.metrics);
    expect(custom?.dimensions).toMatchObject({ trigger: 'custom-message' });
    expect(custom?.metrics).toEqual({ CustomMessageFallback: 1 });
  });

  it.each(['CustomMessage_SomethingNew', 'CustomMessage_SignUpX', 'CustomMessage_'])(
    'answers an undocumented trigger source %s as a malformed event: the event unchanged (fail-open)',
    async (source) => {
      // Prepare
      const handler = await coldStartHandler();
      const event = fixture('sign-up');
      (event as { triggerSource: string }).triggerSource = source;
      const expected = structuredClone(event);
      logs = captureLogs();

      // Act
      const result = await handler(event, fakeLambdaContext());

      // Assess
      logs.restore();
      expect(result).toEqual(expected);
      expect(logs.lines()).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          outcome: 'fallback',
          error: expect.objectContaining({ name: 'MalformedEventError' }),
        }),
      );
      expect(logs.lines()).not.toContainEqual(expect.objectContaining({ message: 'Message rendered' }));
    },
  );

  const UNREACHABLE_SSM = {
    ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/acme/allowed-email-domains',
    AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_MAX_ATTEMPTS: '1',
  };

  it.each(['update-user-attribute', 'verify-user-attribute'])(
    'fails closed with [TEMPORARY_FAILURE] on %s when the email-domain lists cannot be loaded, so no code goes to an unchecked address',
    async (name) => {
      // Prepare: an SSM allowlist behind an endpoint where nothing listens.
      const handler = await coldStartHandler(UNREACHABLE_SSM);
      logs = captureLogs();

      // Act
      const outcome = await handler(fixture(name), fakeLambdaContext()).catch((error: Error) => error);

      // Assess
      logs.restore();
      expect((outcome as Error).message).toMatch(/^\[TEMPORARY_FAILURE\]/);
      expect(logs.lines()).toContainEqual(
        expect.objectContaining({ level: 'ERROR', outcome: 'fallback', failMode: 'closed' }),
      );
    },
  );

  it.each(['sign-up', 'forgot-password', 'authentication'])(
    'still answers %s when the email-domain lists cannot be loaded (no domain check there)',
    async (name) => {
      const handler = await coldStartHandler(UNREACHABLE_SSM);
      const event = fixture(name);
      const expected = structuredClone(event);
      logs = captureLogs();

      const result = await handler(event, fakeLambdaContext());

      logs.restore();
      expect(result.request).toEqual(expected.request);
    },
  );

  it('never logs the user’s attributes or the message', async () => {
    // Prepare
    const handler = await coldStartHandler({ ALLOWED_EMAIL_DOMAINS: 'example.com' });
    logs = captureLogs();

    // Act
    await handler(fixture('sign-up'), fakeLambdaContext());
    await handler(fixture('update-user-attribute-refused-domain'), fakeLambdaContext()).catch(
      () => undefined,
    );

    // Assess
    logs.restore();
    const text = logs.text();
    expect(text).toContain('Message rendered');
    for (const secret of [
      'ada.lovelace@example.com',
      'ada@mailinator.com',
      'Lovelace',
      'confirm your Acme account',
      '<html',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('fails the cold start with one error naming every bad variable', async () => {
    // Prepare
    vi.unstubAllEnvs();
    vi.stubEnv('APP_NAME', '');
    vi.stubEnv('APP_URL', 'ftp://acme.test');
    vi.stubEnv('DEFAULT_LOCALE', 'de');
    vi.resetModules();

    // Act
    const load = import('../../../triggers/custom-message/handler.js');

    // Assess
    await expect(load).rejects.toThrow(
      'Invalid configuration: APP_NAME: is required; ' +
        'APP_URL: must be an absolute http(s) URL without query, fragment or credentials; ' +
        'DEFAULT_LOCALE: must be one of the template locales (en, fr), got "de"',
    );
  });
});
