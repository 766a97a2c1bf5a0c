import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import { createTemplateCatalog } from '../../../triggers/custom-message/template-catalog.js';
import {
  CODE_PLACEHOLDER,
  composeMessage,
  fillCode,
  type ComposedMessage,
} from '../../../triggers/custom-sender/compose-message.js';
import { convertHtmlToText } from '../../../triggers/custom-sender/html-to-text.js';

const catalog = createTemplateCatalog(EMBEDDED_TEMPLATES);
const config = { appName: 'Acme', appUrl: 'https://app.acme.test', defaultLocale: 'en' };
const emailUser = { email: 'ada@example.com', given_name: 'Ada' };
const smsUser = { phone_number: '+14155550123', given_name: 'Ada' };
const takeover = {
  ...emailUser,
  EVENT_ID: 'e-1',
  IP_ADDRESS: '203.0.113.42',
  ACCOUNT_TAKE_OVER_ACTION: 'NO_ACTION',
  ONE_CLICK_LINK_VALID: 'https://cognito-idp.eu-west-1.amazonaws.com/confirm?a=1&fb=VALID',
  ONE_CLICK_LINK_INVALID: 'https://cognito-idp.eu-west-1.amazonaws.com/confirm?a=1&fb=INVALID',
  LOGIN_TIME: '2026-11-30T08:15:04Z',
  CITY: 'Lisbon',
  COUNTRY: 'Portugal',
};

function composed(source: string, attributes: Record<string, string>, userName = 'ada'): ComposedMessage {
  const outcome = composeMessage({ source, userName, userAttributes: attributes }, catalog, config);
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.detail}`);
  return outcome.message;
}

describe('composeMessage', () => {
  it.each([
    ['CustomEmailSender_SignUp', 'Ada, confirm your Acme account'],
    ['CustomEmailSender_ResendCode', 'Your Acme confirmation code'],
    ['CustomEmailSender_ForgotPassword', 'Reset your Acme password'],
    ['CustomEmailSender_UpdateUserAttribute', 'Confirm your new Acme contact details'],
    ['CustomEmailSender_VerifyUserAttribute', 'Verify your Acme contact details'],
    ['CustomEmailSender_AdminCreateUser', 'Ada, your Acme account is ready'],
    ['CustomEmailSender_Authentication', 'Your Acme sign-in code'],
  ])('composes %s from the CustomMessage templates with one code placeholder per part', (source, subject) => {
    // Act
    const message = composed(source, emailUser);

    // Assess
    expect(message).toMatchObject({
      channel: 'email',
      to: 'ada@example.com',
      locale: 'en',
      subject,
      needsCode: true,
    });
    if (message.channel !== 'email') throw new Error('not an email');
    expect(message.html.split(CODE_PLACEHOLDER)).toHaveLength(2);
    expect(message.text.split(CODE_PLACEHOLDER)).toHaveLength(2);
  });

  it.each([
    ['CustomSMSSender_SignUp', 'Acme: your confirmation code is {####}'],
    ['CustomSMSSender_ResendCode', 'Acme: your new confirmation code is {####}'],
    ['CustomSMSSender_ForgotPassword', 'Acme: your password reset code is {####}'],
    ['CustomSMSSender_UpdateUserAttribute', 'Acme: your verification code is {####}'],
    ['CustomSMSSender_VerifyUserAttribute', 'Acme: your verification code is {####}'],
    ['CustomSMSSender_AdminCreateUser', 'Acme: your username is ada.l and your temporary password is {####}'],
    ['CustomSMSSender_Authentication', 'Acme: your sign-in code is {####}'],
  ])('composes %s as the SMS template says', (source, text) => {
    // Act
    const message = composed(source, smsUser, 'ada.l');

    // Assess
    expect(message).toEqual({ channel: 'sms', to: '+14155550123', locale: 'en', text, needsCode: true });
  });

  it('picks the user locale, as CustomMessage does', () => {
    // Act
    const message = composed('CustomSMSSender_SignUp', { ...smsUser, locale: 'fr-CA' });

    // Assess
    expect(message).toMatchObject({ locale: 'fr', text: 'Acme : votre code de confirmation est {####}' });
  });

  it('escapes a hostile name in the HTML and keeps it on one line in the subject', () => {
    // Act
    const message = composed('CustomEmailSender_SignUp', {
      email: 'ada@example.com',
      given_name: '<img src=x onerror=alert(1)>\r\nBcc: x@evil.test',
    });

    // Assess
    if (message.channel !== 'email') throw new Error('not an email');
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('&lt;img src&#x3D;x');
    expect(message.subject).not.toMatch(/[\r\n]/);
  });

  it.each([
    ['an email source without email', 'CustomEmailSender_SignUp', { given_name: 'Ada' }],
    [
      'an email with a line break',
      'CustomEmailSender_SignUp',
      { email: 'ada@example.com\r\nBcc: x@evil.test' },
    ],
    ['an email with a display name', 'CustomEmailSender_SignUp', { email: 'Ada <ada@example.com>' }],
    ['an SMS source without phone_number', 'CustomSMSSender_SignUp', { email: 'ada@example.com' }],
    ['a phone number that is not E.164', 'CustomSMSSender_SignUp', { phone_number: '0700 900 123' }],
  ])('refuses %s (NO_RECIPIENT)', (_label, source, attributes) => {
    // Act
    const outcome = composeMessage({ source, userName: 'ada', userAttributes: attributes }, catalog, config);

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'NO_RECIPIENT' });
  });

  it('refuses a source that is not a sender source', () => {
    // Act
    const outcome = composeMessage(
      { source: 'CustomMessage_SignUp', userName: 'ada', userAttributes: emailUser },
      catalog,
      config,
    );

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'UNKNOWN_SOURCE' });
  });
});

describe('composeMessage for CustomEmailSender_AccountTakeOverNotification', () => {
  it('shows where and when, and both one-click links as buttons and in the text part', () => {
    // Act
    const message = composed('CustomEmailSender_AccountTakeOverNotification', takeover);

    // Assess
    if (message.channel !== 'email') throw new Error('not an email');
    expect(message.needsCode).toBe(false);
    expect(message.subject).toBe('Unusual sign-in to your Acme account');
    expect(message.html).toContain('Where: <strong>Lisbon, Portugal, 203.0.113.42</strong>');
    expect(message.html).toContain('When: <strong>2026-11-30T08:15:04Z</strong>');
    expect(message.html).not.toContain('we blocked it');
    expect(message.text).toContain(
      'Yes, it was me: https://cognito-idp.eu-west-1.amazonaws.com/confirm?a=1&fb=VALID',
    );
    expect(message.text).toContain(
      'No, it was not me: https://cognito-idp.eu-west-1.amazonaws.com/confirm?a=1&fb=INVALID',
    );
  });

  it.each([
    ['BLOCK', 'and we blocked it'],
    ['MFA_REQUIRED', 'and we asked for a second factor'],
    ['MFA_IF_CONFIGURED', 'and we asked for a second factor'],
  ])('says what Cognito did for ACCOUNT_TAKE_OVER_ACTION=%s', (action, words) => {
    // Act
    const message = composed('CustomEmailSender_AccountTakeOverNotification', {
      ...takeover,
      ACCOUNT_TAKE_OVER_ACTION: action,
    });

    // Assess
    expect(message.channel === 'email' && message.html).toContain(words);
  });

  it.each([
    ['a javascript: link', 'javascript:alert(1)'],
    ['an http link', 'http://cognito-idp.eu-west-1.amazonaws.com/confirm'],
    ['a link with credentials', 'https://user:pass@evil.test/'],
    ['no link', ''],
  ])('refuses %s (UNUSABLE_LINK)', (_label, link) => {
    // Act
    const outcome = composeMessage(
      {
        source: 'CustomEmailSender_AccountTakeOverNotification',
        userName: 'ada',
        userAttributes: { ...takeover, ONE_CLICK_LINK_INVALID: link },
      },
      catalog,
      config,
    );

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'UNUSABLE_LINK' });
  });

  it('is in French for a French user', () => {
    // Act
    const message = composed('CustomEmailSender_AccountTakeOverNotification', { ...takeover, locale: 'fr' });

    // Assess
    expect(message.channel === 'email' && message.subject).toBe('Connexion inhabituelle à votre compte Acme');
  });
});

describe('fillCode', () => {
  it('puts a temporary password with HTML characters escaped in the HTML and as it is in the text', () => {
    // Prepare
    const message = composed('CustomEmailSender_AdminCreateUser', emailUser, 'ada');

    // Act
    const outcome = fillCode(message, 'Tmp&<Pass>"9');

    // Assess
    if (!outcome.ok || outcome.message.channel !== 'email') throw new Error('not filled');
    expect(outcome.message.html).toContain('<strong>Tmp&amp;&lt;Pass&gt;&quot;9</strong>');
    expect(outcome.message.text).toContain('Temporary password: Tmp&<Pass>"9');
  });

  it('keeps `$&` and `$1` in a code literally', () => {
    // Act
    const outcome = fillCode(composed('CustomSMSSender_Authentication', smsUser), 'a$&b$1');

    // Assess
    expect(outcome.ok && outcome.message.channel === 'sms' && outcome.message.text).toBe(
      'Acme: your sign-in code is a$&b$1',
    );
  });

  it.each([
    ['empty', ''],
    ['with a space', '12 34'],
    ['with a line break', '1234\n5678'],
    ['too long', 'x'.repeat(257)],
  ])('refuses a code that is %s (UNUSABLE_CODE)', (_label, code) => {
    // Act
    const outcome = fillCode(composed('CustomSMSSender_SignUp', smsUser), code);

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'UNUSABLE_CODE' });
  });

  it('never lets a printable code add markup, and the text part shows it exactly (property)', () => {
    // Prepare
    const message = composed('CustomEmailSender_ForgotPassword', emailUser);
    if (message.channel !== 'email') throw new Error('not an email');
    const tags = (html: string): number => html.split('<').length;
    const printable = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);

    // Act and assess
    fc.assert(
      fc.property(printable, (code) => {
        const outcome = fillCode(message, code);
        expect(outcome.ok && outcome.message.channel).toBe('email');
        if (!outcome.ok || outcome.message.channel !== 'email') return;
        const expectedText = message.text.replace(CODE_PLACEHOLDER, () => code);
        expect(tags(outcome.message.html)).toBe(tags(message.html));
        expect(convertHtmlToText(outcome.message.html)).toBe(expectedText);
        expect(outcome.message.text).toBe(expectedText);
      }),
      { numRuns: 300 },
    );
  });
});

describe('convertHtmlToText', () => {
  it.each([
    ['<p>a</p><p>b</p>', 'a\n\nb'],
    ['a<br>b', 'a\nb'],
    ['<a href="https://x.test/?a=1&amp;b=2">Go</a>', 'Go: https://x.test/?a=1&b=2'],
    ['<p>&amp;lt; stays text</p>', '&lt; stays text'],
    ['<head><title>T</title></head><p>x&#x2F;y&#61;z</p>', 'x/y=z'],
  ])('converts %j', (html, text) => {
    expect(convertHtmlToText(html)).toBe(text);
  });
});
