import { describe, expect, it } from 'vitest';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import {
  MESSAGE_SOURCES,
  renderMessage,
  type MessageConfig,
  type MessageRequest,
  type MessageSource,
} from '../../../triggers/custom-message/render-message.js';
import {
  createTemplateCatalog,
  type TemplateFiles,
} from '../../../triggers/custom-message/template-catalog.js';

const config: MessageConfig = Object.freeze({
  appName: 'Acme',
  appUrl: 'https://app.acme.test',
  defaultLocale: 'en',
});
const shipped = createTemplateCatalog(EMBEDDED_TEMPLATES);
const LOCALES = ['en', 'fr'] as const;

function requestFor(
  source: MessageSource,
  overrides: Partial<MessageRequest> = {},
  attributes = {},
): MessageRequest {
  return {
    source,
    userName: 'ada',
    userAttributes: { given_name: 'Ada', email: 'ada@example.com', locale: 'en', ...attributes },
    codeParameter: '{####}',
    usernameParameter: source === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
    ...overrides,
  };
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

function rendered(outcome: ReturnType<typeof renderMessage>) {
  if (!outcome.ok) throw new Error(`expected a message, got ${outcome.reason}: ${outcome.detail}`);
  return outcome.message;
}

/** A catalog of one source's three files (plus optional extras) in `en`. */
function catalogOf(files: { subject?: string; html?: string; sms?: string }, extra: TemplateFiles = {}) {
  return createTemplateCatalog({
    'en/sign-up.subject.txt': files.subject ?? 'Confirm your {{appName}} account',
    'en/sign-up.html': files.html ?? '<p>Hello {{name}}, your code is {{code}}</p>',
    'en/sign-up.sms.txt': files.sms ?? '{{appName}}: code {{code}}',
    ...extra,
  });
}

const SOURCE_LOCALE_CASES = MESSAGE_SOURCES.flatMap((source) =>
  LOCALES.map((locale) => ({ source, locale })),
);

describe('renderMessage with the shipped templates', () => {
  it.each(SOURCE_LOCALE_CASES)(
    'renders $source in $locale with each placeholder exactly once',
    ({ source, locale }) => {
      // Prepare
      const request = requestFor(source, {}, { locale });

      // Act
      const outcome = renderMessage(request, shipped, config);

      // Assess
      expect(outcome).toMatchObject({ ok: true, locale });
      const message = rendered(outcome);
      expect(occurrences(message.emailMessage, '{####}')).toBe(1);
      expect(occurrences(message.smsMessage, '{####}')).toBe(1);
      expect(occurrences(message.emailSubject, '{####}')).toBe(0);
      const usernames = source === 'CustomMessage_AdminCreateUser' ? 1 : 0;
      expect(occurrences(message.emailMessage, '{username}')).toBe(usernames);
      expect(occurrences(message.smsMessage, '{username}')).toBe(usernames);
      expect(message.emailMessage).toContain(`<html lang="${locale}">`);
    },
  );

  it.each(SOURCE_LOCALE_CASES)(
    'stays within Cognito’s limits and character check for $source in $locale',
    ({ source, locale }) => {
      // Prepare: the longest name that reaches a template, and the longest APP_NAME the config accepts.
      const request = requestFor(source, {}, { locale, given_name: 'W'.repeat(200) });
      const longConfig = { ...config, appName: 'N'.repeat(48) };

      // Act
      const message = rendered(renderMessage(request, shipped, longConfig));

      // Assess
      expect(message.emailMessage.length).toBeLessThanOrEqual(20_000);
      expect(message.emailSubject.length).toBeLessThanOrEqual(140);
      expect(message.smsMessage.length).toBeLessThanOrEqual(140);
      expect(message.emailMessage).toMatch(/^[\p{L}\p{M}\p{S}\p{N}\p{P} \t\n\r]*$/u);
    },
  );

  it.each(MESSAGE_SOURCES)('takes the placeholders of %s from the event, never hard-coded', (source) => {
    // Prepare
    const request = requestFor(source, {
      codeParameter: '{@@@@}',
      usernameParameter: source === 'CustomMessage_AdminCreateUser' ? '{user}' : null,
    });

    // Act
    const message = rendered(renderMessage(request, shipped, config));

    // Assess
    expect(occurrences(message.emailMessage, '{@@@@}')).toBe(1);
    expect(occurrences(message.smsMessage, '{@@@@}')).toBe(1);
    expect(message.emailMessage).not.toContain('{####}');
    expect(message.emailMessage).not.toContain('{username}');
  });

  it('ships no template that writes a placeholder by hand', () => {
    // Assess
    const offending = Object.entries(EMBEDDED_TEMPLATES)
      .filter(([, text]) => /(?<!\{)\{(####|username)\}(?!\})/.test(text))
      .map(([path]) => path);
    expect(offending).toEqual([]);
  });

  it('puts the username into links URL-encoded and HTML-escaped', () => {
    // Prepare
    const request = requestFor('CustomMessage_SignUp', { userName: 'a&b="c"?d#e/f' });

    // Act
    const message = rendered(renderMessage(request, shipped, config));

    // Assess: encodeURIComponent, then mustache's HTML escaping of the href.
    expect(message.emailMessage).toContain(
      'href="https:&#x2F;&#x2F;app.acme.test&#x2F;confirm-sign-up?username&#x3D;a%26b%3D%22c%22%3Fd%23e%2Ff"',
    );
  });
});

describe('renderMessage escaping of attribute values', () => {
  it.each([
    {
      name: '<a href="https://evil.test">win</a>',
      escaped: 'Hello &lt;a href&#x3D;&quot;https:&#x2F;&#x2F;evil.test&quot;&gt;win&lt;&#x2F;a&gt;,',
      subject: '<a href="https://evil.test">win</a>, confirm your Acme account',
    },
    {
      name: '"><img src=x onerror=alert(1)>',
      escaped: 'Hello &quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;,',
      subject: '"><img src=x onerror=alert(1)>, confirm your Acme account',
    },
    {
      name: "<script>alert('x')</script>",
      escaped: 'Hello &lt;script&gt;alert(&#39;x&#39;)&lt;&#x2F;script&gt;,',
      subject: "<script>alert('x')</script>, confirm your Acme account",
    },
  ])(
    'HTML-escapes $name in the body and keeps it as plain text in the subject',
    ({ name, escaped, subject }) => {
      // Act
      const message = rendered(
        renderMessage(requestFor('CustomMessage_SignUp', {}, { given_name: name }), shipped, config),
      );

      // Assess
      expect(message.emailMessage).toContain(escaped);
      expect(message.emailMessage).not.toMatch(/<(a href="https:\/\/evil|img|script)/);
      expect(message.emailSubject).toBe(subject);
    },
  );

  it.each([
    {
      label: 'CR/LF (header injection)',
      name: 'Eve\r\nBcc: victim@example.net',
      clean: 'Eve Bcc: victim@example.net',
    },
    { label: 'U+202E (right-to-left override)', name: 'Eve\u202Egnp.exe', clean: 'Evegnp.exe' },
    { label: 'U+200B (zero-width space)', name: 'E\u200Bv\u200Be', clean: 'Eve' },
    { label: 'NUL', name: 'Eve\u0000', clean: 'Eve' },
    { label: 'bidi isolates and a BOM', name: '\u2066Eve\u2069\uFEFF', clean: 'Eve' },
    { label: 'a tab and a vertical tab', name: 'Eve\t\vAdams', clean: 'Eve Adams' },
  ])('strips $label from a name in the subject, the SMS and the body', ({ name, clean }) => {
    // Prepare: a catalog whose SMS shows the name too (the shipped SMS messages do not).
    const catalog = catalogOf({
      subject: '{{name}}, confirm your {{appName}} account',
      sms: 'Hi {{name}}, code {{code}}',
    });

    // Act
    const message = rendered(
      renderMessage(requestFor('CustomMessage_SignUp', {}, { given_name: name }), catalog, config),
    );

    // Assess
    expect(message.emailSubject).toBe(`${clean}, confirm your Acme account`);
    expect(message.smsMessage).toBe(`Hi ${clean}, code {####}`);
    expect(message.emailMessage).toBe(`<p>Hello ${clean}, your code is {####}</p>`);
  });

  it.each([
    { name: '{{code}}', shown: '{{code}}' },
    { name: '{{appUrl}}', shown: '{{appUrl}}' },
    { name: '{{#links}}x{{/links}}', shown: '{{#links}}x{{&#x2F;links}}' },
    { name: '{{> header}}', shown: '{{&gt; header}}' },
    { name: '{{{name}}}', shown: '{{{name}}}' },
  ])('leaves template syntax $name in an attribute inert', ({ name, shown }) => {
    // Act
    const message = rendered(
      renderMessage(requestFor('CustomMessage_SignUp', {}, { given_name: name }), shipped, config),
    );

    // Assess
    expect(message.emailMessage).toContain(`Hello ${shown},`);
    expect(occurrences(message.emailMessage, '{####}')).toBe(1);
  });

  it.each([
    { name: 'Eve {####}', source: 'CustomMessage_SignUp' as const, hello: 'Hello Eve,' },
    { name: '{##{####}##}', source: 'CustomMessage_SignUp' as const, hello: 'Hello,' },
    { name: 'Eve {username}', source: 'CustomMessage_AdminCreateUser' as const, hello: 'Hello Eve,' },
  ])(
    'removes a placeholder hidden in a name ($name) so Cognito fills only ours',
    ({ name, source, hello }) => {
      // Act
      const message = rendered(renderMessage(requestFor(source, {}, { given_name: name }), shipped, config));

      // Assess
      expect(message.emailMessage).toContain(hello);
      expect(occurrences(message.emailMessage, '{####}')).toBe(1);
    },
  );

  it('caps a very long name at 40 characters', () => {
    // Act
    const message = rendered(
      renderMessage(requestFor('CustomMessage_SignUp', {}, { given_name: 'é'.repeat(500) }), shipped, config),
    );

    // Assess
    expect(message.emailSubject).toBe(`${'é'.repeat(40)}, confirm your Acme account`);
  });

  it('falls back to the name attribute, then to no name', () => {
    // Act
    const named = rendered(
      renderMessage(
        requestFor('CustomMessage_SignUp', {}, { given_name: undefined, name: 'Ada L.' }),
        shipped,
        config,
      ),
    );
    const nameless = rendered(
      renderMessage(requestFor('CustomMessage_SignUp', {}, { given_name: '\u200B' }), shipped, config),
    );

    // Assess
    expect(named.emailSubject).toBe('Ada L., confirm your Acme account');
    expect(nameless.emailSubject).toBe('Confirm your Acme account');
  });
});

describe('renderMessage locale choice', () => {
  it.each([
    { requested: 'fr', expected: 'fr' },
    { requested: 'fr-FR', expected: 'fr' },
    { requested: 'FR', expected: 'fr' },
    { requested: 'fr_CA', expected: 'fr' },
    { requested: 'en-GB', expected: 'en' },
    { requested: 'de', expected: 'en' },
    { requested: 'tlh', expected: 'en' },
    { requested: '', expected: 'en' },
    { requested: '../fr', expected: 'en' },
    { requested: undefined, expected: 'en' },
    { requested: 42, expected: 'en' },
  ])('uses $expected for a locale attribute of $requested', ({ requested, expected }) => {
    // Act
    const outcome = renderMessage(
      requestFor('CustomMessage_SignUp', {}, { locale: requested }),
      shipped,
      config,
    );

    // Assess
    expect(outcome).toMatchObject({ ok: true, locale: expected });
  });

  it('falls back to DEFAULT_LOCALE when it is not English', () => {
    // Act
    const outcome = renderMessage(requestFor('CustomMessage_SignUp', {}, { locale: 'de' }), shipped, {
      ...config,
      defaultLocale: 'fr',
    });

    // Assess
    expect(outcome).toMatchObject({ ok: true, locale: 'fr' });
    expect(rendered(outcome).emailSubject).toBe('Ada, confirmez votre compte Acme');
  });

  it('falls back to the default locale when the user’s locale lacks one of the three files', () => {
    // Prepare
    const files = Object.fromEntries(
      Object.entries(EMBEDDED_TEMPLATES).filter(([path]) => path !== 'fr/sign-up.sms.txt'),
    );
    const catalog = createTemplateCatalog(files);

    // Act
    const outcome = renderMessage(requestFor('CustomMessage_SignUp', {}, { locale: 'fr' }), catalog, config);

    // Assess
    expect(catalog.locales).toEqual(['en', 'fr']);
    expect(outcome).toMatchObject({ ok: true, locale: 'en' });
  });
});

describe('renderMessage failures (the handler then leaves the event unchanged)', () => {
  const hostileName = 'SENTINEL-<b>Eve</b>';

  it.each([
    {
      label: 'an unknown trigger source',
      source: 'CustomMessage_Future',
      overrides: {},
      reason: 'UNKNOWN_SOURCE',
    },
    {
      label: 'a missing codeParameter',
      source: 'CustomMessage_SignUp',
      overrides: { codeParameter: undefined },
      reason: 'UNUSABLE_PLACEHOLDER',
    },
    {
      label: 'a codeParameter that HTML would change',
      source: 'CustomMessage_SignUp',
      overrides: { codeParameter: '<####>' },
      reason: 'UNUSABLE_PLACEHOLDER',
    },
    {
      label: 'a codeParameter with a space',
      source: 'CustomMessage_SignUp',
      overrides: { codeParameter: '{# #}' },
      reason: 'UNUSABLE_PLACEHOLDER',
    },
    {
      label: 'AdminCreateUser without usernameParameter',
      source: 'CustomMessage_AdminCreateUser',
      overrides: { usernameParameter: null },
      reason: 'UNUSABLE_PLACEHOLDER',
    },
  ])('refuses $label with $reason', ({ source, overrides, reason }) => {
    // Act
    const outcome = renderMessage(
      { ...requestFor(source as MessageSource, {}, { given_name: hostileName }), ...overrides },
      shipped,
      config,
    );

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason });
    expect(JSON.stringify(outcome)).not.toContain('SENTINEL');
  });

  it.each([
    {
      label: 'no template in any locale',
      catalog: createTemplateCatalog({}),
      reason: 'TEMPLATE_MISSING',
      field: undefined,
    },
    {
      label: 'a missing SMS template',
      catalog: createTemplateCatalog({
        'en/sign-up.subject.txt': 'Hi',
        'en/sign-up.html': '<p>{{code}}</p>',
      }),
      reason: 'TEMPLATE_MISSING',
      field: undefined,
    },
    {
      label: 'a triple mustache in the body',
      catalog: catalogOf({ html: '<p>{{{name}}} {{code}}</p>' }),
      reason: 'UNSAFE_TEMPLATE',
      field: 'emailMessage',
    },
    {
      label: 'an unescaped tag in a partial',
      catalog: catalogOf(
        { html: '{{> header}}<p>{{code}}</p>' },
        { 'en/_header.html': '<h1>{{#name}}{{&name}}{{/name}}</h1>' },
      ),
      reason: 'UNSAFE_TEMPLATE',
      field: 'emailMessage',
    },
    {
      label: 'an unclosed section',
      catalog: catalogOf({ html: '<p>{{#name}}Hello {{code}}</p>' }),
      reason: 'RENDER_FAILED',
      field: undefined,
    },
    {
      label: 'a body without the code',
      catalog: catalogOf({ html: '<p>Welcome aboard, {{name}}!</p>' }),
      reason: 'PLACEHOLDER_COUNT',
      field: 'emailMessage',
    },
    {
      label: 'a body with the code twice',
      catalog: catalogOf({ html: '<p>{{code}} or {{code}}</p>' }),
      reason: 'PLACEHOLDER_COUNT',
      field: 'emailMessage',
    },
    {
      label: 'an SMS without the code',
      catalog: catalogOf({ sms: 'Welcome to {{appName}}' }),
      reason: 'PLACEHOLDER_COUNT',
      field: 'smsMessage',
    },
    {
      label: 'a subject with the code',
      catalog: catalogOf({ subject: 'Your code {{code}}' }),
      reason: 'PLACEHOLDER_COUNT',
      field: 'emailSubject',
    },
    {
      label: 'a body over 20,000 characters',
      catalog: catalogOf({ html: `<p>{{code}}</p>${'x'.repeat(19_990)}` }),
      reason: 'TOO_LONG',
      field: 'emailMessage',
    },
    {
      label: 'a subject over 140 characters',
      catalog: catalogOf({ subject: 's'.repeat(141) }),
      reason: 'TOO_LONG',
      field: 'emailSubject',
    },
    {
      label: 'an SMS over 140 characters',
      catalog: catalogOf({ sms: `{{code}}${'s'.repeat(135)}` }),
      reason: 'TOO_LONG',
      field: 'smsMessage',
    },
    {
      label: 'an empty subject',
      catalog: catalogOf({ subject: '  \n' }),
      reason: 'TOO_SHORT',
      field: 'emailSubject',
    },
    {
      label: 'a body with a zero-width space',
      catalog: catalogOf({ html: '<p>\u200B{{code}}</p>' }),
      reason: 'CHARACTER_CHECK',
      field: 'emailMessage',
    },
    {
      label: 'a body with a no-break space',
      catalog: catalogOf({ html: '<p>Code\u00A0: {{code}}</p>' }),
      reason: 'CHARACTER_CHECK',
      field: 'emailMessage',
    },
  ])('fails with $reason on $label', ({ catalog, reason, field }) => {
    // Act
    const outcome = renderMessage(
      requestFor('CustomMessage_SignUp', {}, { given_name: hostileName }),
      catalog,
      config,
    );

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason, ...(field ? { field } : {}) });
    expect(JSON.stringify(outcome)).not.toContain('SENTINEL');
  });

  it('accepts a body of exactly 20,000 characters', () => {
    // Prepare: '<p>{####}</p>' is 13 characters.
    const catalog = catalogOf({ html: `<p>{{code}}</p>${'x'.repeat(20_000 - 13)}` });

    // Act
    const outcome = renderMessage(requestFor('CustomMessage_SignUp'), catalog, config);

    // Assess
    expect(rendered(outcome).emailMessage).toHaveLength(20_000);
  });

  it('fails when a long name pushes the SMS over 140 characters', () => {
    // Prepare: 113 characters besides the name.
    const sms =
      '{{appName}} for {{name}}: code {{code}}, valid for one day. Never share it, not even with our support team. Thanks from all of us.';
    const catalog = catalogOf({ sms });

    // Act
    const short = renderMessage(
      requestFor('CustomMessage_SignUp', {}, { given_name: 'Ada' }),
      catalog,
      config,
    );
    const long = renderMessage(
      requestFor('CustomMessage_SignUp', {}, { given_name: 'W'.repeat(40) }),
      catalog,
      config,
    );

    // Assess
    expect(rendered(short).smsMessage).toHaveLength(116);
    expect(long).toMatchObject({ ok: false, reason: 'TOO_LONG', field: 'smsMessage' });
  });
});
