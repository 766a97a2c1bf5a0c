import {
  hasUnescapedTag,
  renderMessage,
  type MessageConfig,
  type MessageSource,
} from '../custom-message/render-message.js';
import { loadMustache } from '../custom-message/load-mustache.js';
import { selectLocale } from '../custom-message/select-locale.js';
import type { TemplateCatalog } from '../custom-message/template-catalog.js';
import {
  escapeHtml,
  flattenToOneLine,
  passesSubjectCharacterCheck,
  sanitizeValue,
} from '../custom-message/text-safety.js';
import { convertHtmlToText } from './html-to-text.js';
import { unicodePattern } from '../../shared/unicode-pattern.js';

// A code's characters: letters, digits, punctuation, symbols (in ASCII, every printable but the space).
const CODE_CHARACTERS = unicodePattern(String.raw`^[\p{L}\p{N}\p{P}\p{S}]+$`, 'u', /^[!-~]+$/);

/** Where Cognito's code goes in a composed message until the decrypted code replaces it. */
export const CODE_PLACEHOLDER = '{####}';
/** Where the username goes in an AdminCreateUser message. */
export const USERNAME_PLACEHOLDER = '{username}';
/** The account-takeover email's template files, beside the CustomMessage ones. */
export const ACCOUNT_TAKEOVER_TEMPLATE = 'account-takeover';

export type SenderChannel = 'email' | 'sms';

/** The parts of a sender event the message depends on, as they arrived (unvalidated). */
export interface SenderRequest {
  readonly source: string;
  readonly userName: unknown;
  readonly userAttributes: unknown;
}

/** A message with {@link CODE_PLACEHOLDER} where the code goes (none for account takeover). */
export type ComposedMessage =
  | {
      readonly channel: 'email';
      readonly to: string;
      readonly locale: string;
      readonly subject: string;
      readonly html: string;
      readonly text: string;
      readonly needsCode: boolean;
    }
  | {
      readonly channel: 'sms';
      readonly to: string;
      readonly locale: string;
      readonly text: string;
      readonly needsCode: true;
    };

export type ComposeFailureReason =
  | 'UNKNOWN_SOURCE'
  | 'NO_RECIPIENT'
  | 'UNUSABLE_LINK'
  | 'UNSAFE_TEMPLATE'
  | 'TEMPLATE_MISSING'
  | 'RENDER_FAILED'
  | 'CHARACTER_CHECK'
  | 'UNUSABLE_CODE'
  | string;

export type ComposeOutcome =
  | { readonly ok: true; readonly message: ComposedMessage }
  | { readonly ok: false; readonly reason: ComposeFailureReason; readonly detail: string };

/** The channel a sender source belongs to; undefined for anything else. */
export function channelOf(source: string): SenderChannel | undefined {
  if (source.startsWith('CustomEmailSender_')) return 'email';
  if (source.startsWith('CustomSMSSender_')) return 'sms';
  return undefined;
}

/**
 * Composes the message for a sender event from the CustomMessage templates (same locales, escaping and
 * checks), with {@link CODE_PLACEHOLDER} where the code goes, so the plaintext code is only needed at
 * the moment of sending ({@link fillCode}). Pure: templates, config and event values in, strings out.
 */
export function composeMessage(
  request: SenderRequest,
  catalog: TemplateCatalog,
  config: MessageConfig,
): ComposeOutcome {
  const channel = channelOf(request.source);
  if (channel === undefined) return fail('UNKNOWN_SOURCE', 'not a sender source');
  const attributes = asRecord(request.userAttributes);
  const to = channel === 'email' ? usableEmail(attributes.email) : usablePhone(attributes.phone_number);
  if (to === undefined) {
    return fail(
      'NO_RECIPIENT',
      channel === 'email' ? 'email is missing or malformed' : 'phone_number is missing or not E.164',
    );
  }
  if (request.source === 'CustomEmailSender_AccountTakeOverNotification') {
    return composeAccountTakeover(to, attributes, catalog, config);
  }
  const messageSource =
    `CustomMessage_${request.source.slice(request.source.indexOf('_') + 1)}` as MessageSource;
  const isAdminCreateUser = messageSource === 'CustomMessage_AdminCreateUser';
  const outcome = renderMessage(
    {
      source: messageSource,
      userName: request.userName,
      userAttributes: attributes,
      codeParameter: CODE_PLACEHOLDER,
      usernameParameter: isAdminCreateUser ? USERNAME_PLACEHOLDER : undefined,
    },
    catalog,
    config,
  );
  if (!outcome.ok) return fail(outcome.reason, outcome.detail);
  const { locale, message } = outcome;
  // The username is the event's, shown as it is (escaped in HTML): the user signs in with it.
  const username = isAdminCreateUser
    ? flattenToOneLine(typeof request.userName === 'string' ? request.userName : '')
    : '';
  if (isAdminCreateUser && username === '') return fail('UNUSABLE_PLACEHOLDER', 'userName is missing');
  if (channel === 'sms') {
    return {
      ok: true,
      message: {
        channel,
        to,
        locale,
        text: message.smsMessage.replace(USERNAME_PLACEHOLDER, () => username),
        needsCode: true,
      },
    };
  }
  const html = message.emailMessage.replace(USERNAME_PLACEHOLDER, () => escapeHtml(username));
  return {
    ok: true,
    message: {
      channel,
      to,
      locale,
      subject: message.emailSubject,
      html,
      text: convertHtmlToText(html),
      needsCode: true,
    },
  };
}

/**
 * Puts the decrypted code where {@link CODE_PLACEHOLDER} is: HTML-escaped in the HTML part, as it is in
 * the text part and the SMS. The composed message holds the placeholder exactly once per part.
 */
export function fillCode(message: ComposedMessage, code: string): ComposeOutcome {
  if (!message.needsCode) return { ok: true, message };
  // A code or temporary password is one printable token; anything else is not what Cognito sends.
  if (code.length === 0 || code.length > 256 || !CODE_CHARACTERS.for(code).test(code)) {
    return fail('UNUSABLE_CODE', 'the decrypted code is empty, too long or not printable');
  }
  const replace = (text: string, value: string): string => text.replace(CODE_PLACEHOLDER, () => value);
  if (message.channel === 'sms')
    return { ok: true, message: { ...message, text: replace(message.text, code) } };
  return {
    ok: true,
    message: { ...message, html: replace(message.html, escapeHtml(code)), text: replace(message.text, code) },
  };
}

function composeAccountTakeover(
  to: string,
  attributes: Readonly<Record<string, unknown>>,
  catalog: TemplateCatalog,
  config: MessageConfig,
): ComposeOutcome {
  const thisWasMe = usableLink(attributes.ONE_CLICK_LINK_VALID);
  const thisWasNotMe = usableLink(attributes.ONE_CLICK_LINK_INVALID);
  if (thisWasMe === undefined || thisWasNotMe === undefined) {
    return fail('UNUSABLE_LINK', 'ONE_CLICK_LINK_VALID or ONE_CLICK_LINK_INVALID is not an https URL');
  }
  const preferred = selectLocale(attributes.locale, catalog.locales, config.defaultLocale);
  const hasTemplates = (locale: string): boolean =>
    catalog.template(locale, `${ACCOUNT_TAKEOVER_TEMPLATE}.html`) !== undefined &&
    catalog.template(locale, `${ACCOUNT_TAKEOVER_TEMPLATE}.subject.txt`) !== undefined;
  const locale = [preferred, config.defaultLocale].find(hasTemplates);
  if (locale === undefined) return fail('TEMPLATE_MISSING', `No ${ACCOUNT_TAKEOVER_TEMPLATE} templates`);
  const htmlTemplate = catalog.template(locale, `${ACCOUNT_TAKEOVER_TEMPLATE}.html`) as string;
  const subjectTemplate = catalog.template(locale, `${ACCOUNT_TAKEOVER_TEMPLATE}.subject.txt`) as string;
  const partials = catalog.partials(locale);
  if ([htmlTemplate, ...Object.values(partials)].some(hasUnescapedTag)) {
    return fail(
      'UNSAFE_TEMPLATE',
      `${ACCOUNT_TAKEOVER_TEMPLATE}.html or a partial uses {{{...}}} or {{&...}}`,
    );
  }
  const action =
    typeof attributes.ACCOUNT_TAKE_OVER_ACTION === 'string' ? attributes.ACCOUNT_TAKE_OVER_ACTION : '';
  const where = [attributes.CITY, attributes.COUNTRY, attributes.IP_ADDRESS]
    .map((value) => sanitizeValue(value))
    .filter((value) => value !== '')
    .join(', ');
  const view = {
    appName: config.appName,
    locale,
    name: sanitizeValue(attributes.given_name) || sanitizeValue(attributes.name),
    when: sanitizeValue(attributes.LOGIN_TIME) || '?',
    where: where || '?',
    device: sanitizeValue(attributes.DEVICE_NAME),
    actionBlocked: action === 'BLOCK',
    actionMfa: action.startsWith('MFA'),
    links: { thisWasMe, thisWasNotMe, account: `${config.appUrl}/account` },
  };
  let html: string;
  let subject: string;
  try {
    const mustache = loadMustache();
    html = mustache.render(htmlTemplate, view, partials, { escape: escapeHtml });
    subject = flattenToOneLine(
      mustache.render(subjectTemplate, view, {}, { escape: (text: string) => text }),
    );
  } catch (error) {
    return fail(
      'RENDER_FAILED',
      `${ACCOUNT_TAKEOVER_TEMPLATE}: ${error instanceof Error ? error.message : 'render error'}`,
    );
  }
  if (subject.length === 0 || !passesSubjectCharacterCheck(subject)) {
    return fail('CHARACTER_CHECK', 'the account-takeover subject is empty or fails the character check');
  }
  return {
    ok: true,
    message: { channel: 'email', to, locale, subject, html, text: convertHtmlToText(html), needsCode: false },
  };
}

// The address SES gets: one mailbox, no display name, no line break, within RFC 5321's 254.
function usableEmail(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 254) return undefined;
  return /^[^\s@<>",;:()[\]\\]+@[^\s@<>",;:()[\]\\]+\.[^\s@<>",;:()[\]\\]+$/.test(value) ? value : undefined;
}

// SNS sends to E.164 numbers: + and 8 to 15 digits.
function usablePhone(value: unknown): string | undefined {
  return typeof value === 'string' && /^\+[1-9]\d{7,14}$/.test(value) ? value : undefined;
}

// Cognito's one-click links are https URLs to its own endpoint; anything else is not put in a button.
function usableLink(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function fail(reason: ComposeFailureReason, detail: string): Extract<ComposeOutcome, { ok: false }> {
  return { ok: false, reason, detail };
}
