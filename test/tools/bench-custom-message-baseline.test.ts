/**
 * The cold-start bench compares the toolkit's CustomMessage with a hand-written handler doing the same job
 * (tools/bench/entries/cold-start/custom-message.ts). This proves it is the same job: with the bench's
 * environment, both give the same response (or the same refusal) for every fixture, every source in every
 * locale case, hostile names and refused email changes.
 */
import { readdirSync } from 'node:fs';
import type { Context, CustomMessageTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { benchEnvironment } from '../../tools/bench/cold-start.js';
import { createCustomMessageHandler } from '../../triggers/custom-message/create-custom-message-handler.js';
import { TEMPLATE_NAMES } from '../../triggers/custom-message/render-message.js';
import { loadEvent } from '../support/events.js';
import { captureLogs } from '../support/logs.js';

// The bench's environment for the custom-message row (template.yaml's defaults: ALLOWED_EMAIL_DOMAINS=example.com).
const ENV = benchEnvironment('custom-message', undefined, {
  APP_NAME: 'Bench App',
  APP_URL: 'https://app.example.com',
});

type Handler = (event: CustomMessageTriggerEvent, context: Context) => Promise<CustomMessageTriggerEvent>;
type Answer = { readonly response: unknown } | { readonly error: string };

interface Case {
  readonly name: string;
  readonly event: CustomMessageTriggerEvent;
  /** The template locale the answer is in, or 'refused' when the email change must be refused. */
  readonly expected: 'en' | 'fr' | 'refused';
}

const REFUSAL = '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed';
const SOURCES = Object.keys(TEMPLATE_NAMES) as CustomMessageTriggerEvent['triggerSource'][];
// Line breaks, a tab, NUL, a bidi override, a zero-width space, markup, every escaped character, Cognito's
// placeholders (one hidden in another) and, at the 40-unit cap, a surrogate pair: 60 UTF-16 units.
const HOSTILE_NAME = '<script>\r\n{##{####}##}\u0000\u202e{username}Ève "O\'B" & `x`=/y  z😀\u200b\t!';

/** A Lambda context like the bench child's (tools/bench/cold-start.ts, COLD_START_CHILD). */
function benchContext(): Context {
  const startedAt = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: ENV.AWS_LAMBDA_FUNCTION_NAME ?? 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '512',
    awsRequestId: 'cold-start-bench',
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 5000 - (Date.now() - startedAt),
    done() {},
    fail() {},
    succeed() {},
  };
}

/** A sign-up event turned into `source`, with the attributes changed as `edit` says. */
function eventFor(
  source: CustomMessageTriggerEvent['triggerSource'],
  edit: (attributes: Record<string, string | undefined>) => void = () => undefined,
): CustomMessageTriggerEvent {
  const event = loadEvent<CustomMessageTriggerEvent>('custom-message/sign-up.json');
  event.triggerSource = source;
  if (source === 'CustomMessage_AdminCreateUser') event.request.usernameParameter = '{username}';
  const attributes: Record<string, string | undefined> = event.request.userAttributes;
  edit(attributes);
  for (const key of Object.keys(attributes)) if (attributes[key] === undefined) delete attributes[key];
  return event;
}

const FIXTURE_LOCALES: Record<string, 'en' | 'fr'> = { en: 'en', 'fr-FR': 'fr', tlh: 'en' };
const fixtureCases: Case[] = readdirSync('events/custom-message')
  .filter((file) => file.endsWith('.json') && !file.startsWith('env'))
  .sort()
  .map((file) => {
    const event = loadEvent<CustomMessageTriggerEvent>(`custom-message/${file}`);
    const locale = FIXTURE_LOCALES[event.request.userAttributes.locale ?? 'en'];
    if (locale === undefined) throw new Error(`${file}: add its locale to FIXTURE_LOCALES`);
    return { name: `fixture ${file}`, event, expected: file.includes('refused-domain') ? 'refused' : locale };
  });

// Requested locale attribute (undefined: none) and the template locale the toolkit picks for it.
const LOCALES: readonly (readonly [string | undefined, 'en' | 'fr'])[] = [
  ['en', 'en'],
  ['fr', 'fr'],
  ['fr-CA', 'fr'],
  ['de', 'en'],
  [undefined, 'en'],
];

const CASES: readonly Case[] = [
  ...fixtureCases,
  ...SOURCES.flatMap((source) =>
    LOCALES.map(([locale, expected]): Case => ({
      name: `${source}, locale ${locale ?? 'missing'}`,
      event: eventFor(source, (attributes) => (attributes.locale = locale)),
      expected,
    })),
  ),
  ...SOURCES.map((source): Case => ({
    name: `${source}, hostile given_name`,
    event: eventFor(source, (attributes) => (attributes.given_name = HOSTILE_NAME)),
    expected: 'en',
  })),
  ...SOURCES.flatMap((source) =>
    (['en', 'fr'] as const).map((locale): Case => ({
      name: `${source}, no name, locale ${locale}`,
      event: eventFor(source, (attributes) => {
        attributes.given_name = undefined;
        attributes.locale = locale;
      }),
      expected: locale,
    })),
  ),
  {
    name: 'given_name that cleans to nothing: name is used',
    event: eventFor('CustomMessage_SignUp', (attributes) => {
      attributes.given_name = ' \u200b\r\n{####} ';
      attributes.name = 'Grace \u200b\tHopper';
      attributes.locale = 'fr_ca';
    }),
    expected: 'fr',
  },
  ...(
    [
      [' FR_ca ', 'fr'],
      ['fr-FR,fr;q=0.9', 'en'],
    ] as const
  ).map(([locale, expected]): Case => ({
    name: `locale ${JSON.stringify(locale)}: ${expected === 'fr' ? 'read as fr-ca' : 'not a tag, the default'}`,
    event: eventFor('CustomMessage_SignUp', (attributes) => (attributes.locale = locale)),
    expected,
  })),
  {
    name: 'long given_name cut at a space',
    event: eventFor('CustomMessage_AdminCreateUser', (attributes) => {
      attributes.given_name = 'Pablo Diego José Francisco de Paula Ana María';
    }),
    expected: 'en',
  },
  {
    name: 'userName that needs URL encoding',
    event: { ...eventFor('CustomMessage_ForgotPassword'), userName: 'ada+lovelace@example.com/é' },
    expected: 'en',
  },
  {
    name: 'email change to an allowed domain written in capitals',
    event: eventFor(
      'CustomMessage_UpdateUserAttribute',
      (attributes) => (attributes.email = 'Ada@EXAMPLE.COM'),
    ),
    expected: 'en',
  },
  ...(['CustomMessage_UpdateUserAttribute', 'CustomMessage_VerifyUserAttribute'] as const).map(
    (source): Case => ({
      name: `${source}, refused domain (a subdomain of the allowed one), locale fr`,
      event: eventFor(source, (attributes) => {
        attributes.email = 'ada@mail.example.com';
        attributes.locale = 'fr';
      }),
      expected: 'refused',
    }),
  ),
];

let baseline: Handler;
let toolkit: Handler;

/** One invocation on a copy of `event`: the response, or the thrown error's message. */
async function answer(handler: Handler, event: CustomMessageTriggerEvent): Promise<Answer> {
  const logs = captureLogs();
  try {
    return { response: (await handler(structuredClone(event), benchContext())).response };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    logs.restore();
  }
}

beforeAll(async () => {
  // The baseline reads process.env when it is imported, as in the bench's child process.
  for (const [key, value] of Object.entries(ENV)) if (value !== undefined) vi.stubEnv(key, value);
  vi.resetModules();
  const module = await import('../../tools/bench/entries/cold-start/custom-message.js');
  baseline = module.handler as unknown as Handler;
  toolkit = createCustomMessageHandler({ env: ENV });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('the cold-start bench’s hand-written CustomMessage', () => {
  it('covers every fixture, every source in five locale cases, and refusals', () => {
    expect(fixtureCases.length).toBeGreaterThanOrEqual(12);
    expect(SOURCES).toHaveLength(7);
    expect(CASES).toHaveLength(fixtureCases.length + 7 * 5 + 7 + 7 * 2 + 8);
  });

  it.each(CASES)('answers as the toolkit: $name', async ({ event, expected }) => {
    const fromToolkit = await answer(toolkit, event);
    const fromBaseline = await answer(baseline, event);

    expect(fromBaseline).toEqual(fromToolkit);
    // Not both broken the same way: the answer is the one expected, independently of either side.
    if (expected === 'refused') {
      expect(fromToolkit).toEqual({ error: REFUSAL });
    } else {
      expect(fromToolkit).toHaveProperty('response');
      const response = (fromToolkit as { response: CustomMessageTriggerEvent['response'] }).response;
      expect(response.emailMessage).toContain(`<html lang="${expected}">`);
      expect(response.emailMessage?.split('{####}')).toHaveLength(2);
      expect(response.smsMessage).toMatch(/^Bench App ?: .*\{####\}$/);
      expect(response.emailSubject).toContain('Bench App');
    }
  });

  it('gives the texts of the templates (literals written here)', async () => {
    const english = await answer(baseline, loadEvent('custom-message/sign-up.json'));
    const french = await answer(baseline, loadEvent('custom-message/sign-up-fr.json'));
    const admin = await answer(baseline, loadEvent('custom-message/admin-create-user.json'));

    expect(english).toEqual({
      response: expect.objectContaining({
        emailSubject: 'Ada, confirm your Bench App account',
        smsMessage: 'Bench App: your confirmation code is {####}',
      }) as unknown,
    });
    const englishBody = (english as { response: { emailMessage: string } }).response.emailMessage;
    expect(englishBody).toContain('<p>Hello Ada,</p>\n<p>Thanks for signing up to Bench App.');
    expect(englishBody).toContain(
      '<a href="https:&#x2F;&#x2F;app.example.com&#x2F;confirm-sign-up?username&#x3D;5f2e8a4c-1b3d-4e6f-9a7b-0c1d2e3f4a5b"',
    );
    expect(englishBody.endsWith('</body>\n</html>\n')).toBe(true);
    expect(french).toEqual({
      response: expect.objectContaining({
        emailSubject: 'Amélie, confirmez votre compte Bench App',
        smsMessage: 'Bench App : votre code de confirmation est {####}',
      }) as unknown,
    });
    expect(admin).toEqual({
      response: expect.objectContaining({
        emailSubject: 'Grace, your Bench App account is ready',
        smsMessage: 'Bench App: your username is {username} and your temporary password is {####}',
      }) as unknown,
    });
  });

  it('cleans, caps and escapes a hostile name as the toolkit does (literals written here)', async () => {
    const signUp = await answer(
      baseline,
      eventFor('CustomMessage_SignUp', (a) => (a.given_name = HOSTILE_NAME)),
    );
    const admin = await answer(
      baseline,
      eventFor('CustomMessage_AdminCreateUser', (a) => (a.given_name = HOSTILE_NAME)),
    );

    expect(HOSTILE_NAME).toHaveLength(60);
    const { emailSubject, emailMessage } = (signUp as { response: Record<string, string> }).response;
    // Cut at 39 units: the surrogate pair at 39-40 is not split; the subject is not HTML-escaped.
    expect(emailSubject).toBe('<script> {username}Ève "O\'B" & `x`=/y z, confirm your Bench App account');
    expect(emailMessage).toContain(
      '<p>Hello &lt;script&gt; {username}Ève &quot;O&#39;B&quot; &amp; &#x60;x&#x60;&#x3D;&#x2F;y z,</p>',
    );
    // On AdminCreateUser, {username} is a placeholder too: it goes from the name.
    expect((admin as { response: Record<string, string> }).response.emailSubject).toBe(
      '<script> Ève "O\'B" & `x`=/y z😀 !, your Bench App account is ready',
    );
  });
});
