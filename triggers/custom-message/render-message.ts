import { MUSTACHE_WRITER } from './parsed-templates.js';
import { selectLocale } from './select-locale.js';
import { mustacheWriterOf, type TemplateCatalog } from './template-catalog.js';
import {
  MESSAGE_LIMITS,
  countOccurrences,
  escapeHtml,
  flattenToOneLine,
  passesBodyCharacterCheck,
  passesSubjectCharacterCheck,
  sanitizeValue,
} from './text-safety.js';
import { unicodePattern } from '../../shared/unicode-pattern.js';

/** The seven CustomMessage trigger sources and the template name each one uses. */
export const TEMPLATE_NAMES = Object.freeze({
  CustomMessage_SignUp: 'sign-up',
  CustomMessage_AdminCreateUser: 'admin-create-user',
  CustomMessage_ResendCode: 'resend-code',
  CustomMessage_ForgotPassword: 'forgot-password',
  CustomMessage_UpdateUserAttribute: 'update-user-attribute',
  CustomMessage_VerifyUserAttribute: 'verify-user-attribute',
  CustomMessage_Authentication: 'authentication',
});

export type MessageSource = keyof typeof TEMPLATE_NAMES;

export const MESSAGE_SOURCES = Object.freeze(Object.keys(TEMPLATE_NAMES) as MessageSource[]);

/** The three files a source needs in a locale, e.g. `sign-up.subject.txt`. */
export const TEMPLATE_SUFFIXES = Object.freeze({
  emailSubject: '.subject.txt',
  emailMessage: '.html',
  smsMessage: '.sms.txt',
});

export type MessageField = keyof typeof TEMPLATE_SUFFIXES;

/** What the templates may use besides the event (see `config.ts`). */
export interface MessageConfig {
  readonly appName: string;
  /** Absolute http(s) URL without a trailing slash. */
  readonly appUrl: string;
  readonly defaultLocale: string;
}

/** The parts of a CustomMessage event the message depends on, as they arrived (unvalidated). */
export interface MessageRequest {
  readonly source: unknown;
  readonly userName: unknown;
  readonly userAttributes: unknown;
  readonly codeParameter: unknown;
  readonly usernameParameter: unknown;
}

export interface RenderedMessage {
  readonly emailSubject: string;
  readonly emailMessage: string;
  readonly smsMessage: string;
}

/** Why no message was rendered; Cognito then sends its default message. */
export type RenderFailureReason =
  | 'UNKNOWN_SOURCE'
  | 'UNUSABLE_PLACEHOLDER'
  | 'TEMPLATE_MISSING'
  | 'UNSAFE_TEMPLATE'
  | 'RENDER_FAILED'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'CHARACTER_CHECK'
  | 'PLACEHOLDER_COUNT';

export type RenderOutcome =
  | { readonly ok: true; readonly locale: string; readonly message: RenderedMessage }
  | {
      readonly ok: false;
      readonly reason: RenderFailureReason;
      /** For logs: names what failed, never a user value. */
      readonly detail: string;
      readonly locale?: string;
      readonly field?: MessageField;
    };

/**
 * Renders the three messages for a CustomMessage event, or says why it cannot (the caller then leaves
 * the event unchanged). Pure: templates, config and event values in, strings out.
 */
export function renderMessage(
  request: MessageRequest,
  catalog: TemplateCatalog,
  config: MessageConfig,
): RenderOutcome {
  const source = request.source;
  if (typeof source !== 'string' || !Object.hasOwn(TEMPLATE_NAMES, source)) {
    return fail('UNKNOWN_SOURCE', 'The trigger source has no template');
  }
  const templateName = TEMPLATE_NAMES[source as MessageSource];
  const needsUsername = source === 'CustomMessage_AdminCreateUser';

  const code = usablePlaceholder(request.codeParameter);
  if (code === undefined) return fail('UNUSABLE_PLACEHOLDER', 'request.codeParameter is missing or unsafe');
  const username = needsUsername ? usablePlaceholder(request.usernameParameter) : undefined;
  if (needsUsername && username === undefined) {
    return fail('UNUSABLE_PLACEHOLDER', 'request.usernameParameter is missing or unsafe');
  }
  const placeholders = username === undefined ? [code] : [code, username];

  const attributes = asRecord(request.userAttributes);
  const locale = findLocale(catalog, templateName, attributes.locale, config.defaultLocale);
  if (locale === undefined) return fail('TEMPLATE_MISSING', `No complete template set for ${templateName}`);

  const files = {
    emailSubject: catalog.template(locale, templateName + TEMPLATE_SUFFIXES.emailSubject) ?? '',
    emailMessage: catalog.template(locale, templateName + TEMPLATE_SUFFIXES.emailMessage) ?? '',
    smsMessage: catalog.template(locale, templateName + TEMPLATE_SUFFIXES.smsMessage) ?? '',
  };
  const partials = catalog.partials(locale);
  const view = buildView(request.userName, attributes, code, username, placeholders, config, locale);
  // Renders the shipped texts from their parse done ahead of time (parsed-templates.ts).
  const mustache = mustacheWriterOf(catalog);

  let rendered: RenderedMessage;
  try {
    if ([files.emailMessage, ...Object.values(partials)].some((text) => mustache.hasUnescapedTag(text))) {
      return fail(
        'UNSAFE_TEMPLATE',
        `${templateName}.html or a partial uses {{{...}}} or {{&...}}`,
        locale,
        'emailMessage',
      );
    }
    rendered = {
      emailSubject: flattenToOneLine(mustache.render(files.emailSubject, view, {}, { escape: keepText })),
      emailMessage: mustache.render(files.emailMessage, view, partials, { escape: escapeHtml }),
      smsMessage: flattenToOneLine(mustache.render(files.smsMessage, view, {}, { escape: keepText })),
    };
  } catch (error) {
    // mustache's messages quote the template (ours), never the view.
    return fail(
      'RENDER_FAILED',
      `${templateName}: ${error instanceof Error ? error.message : 'render error'}`,
      locale,
    );
  }
  return checkMessage(rendered, placeholders, locale);
}

/** Whether `source` asks to verify an email the user is changing to (the domain-policy path). */
export function isEmailChangeSource(source: unknown): boolean {
  return source === 'CustomMessage_UpdateUserAttribute' || source === 'CustomMessage_VerifyUserAttribute';
}

function checkMessage(
  message: RenderedMessage,
  placeholders: readonly string[],
  locale: string,
): RenderOutcome {
  for (const field of ['emailSubject', 'emailMessage', 'smsMessage'] as const) {
    const length = message[field].length;
    if (length < MESSAGE_LIMITS[field].min) {
      return fail(
        'TOO_SHORT',
        `${field} has ${length} characters, at least ${MESSAGE_LIMITS[field].min} needed`,
        locale,
        field,
      );
    }
    if (length > MESSAGE_LIMITS[field].max) {
      return fail(
        'TOO_LONG',
        `${field} has ${length} characters, at most ${MESSAGE_LIMITS[field].max} allowed`,
        locale,
        field,
      );
    }
  }
  if (!passesSubjectCharacterCheck(message.emailSubject)) {
    return fail('CHARACTER_CHECK', 'emailSubject fails Cognito’s character check', locale, 'emailSubject');
  }
  if (!passesBodyCharacterCheck(message.emailMessage)) {
    return fail('CHARACTER_CHECK', 'emailMessage fails Cognito’s character check', locale, 'emailMessage');
  }
  for (const [index, placeholder] of placeholders.entries()) {
    const name = index === 0 ? 'codeParameter' : 'usernameParameter';
    for (const field of ['emailMessage', 'smsMessage'] as const) {
      const count = countOccurrences(message[field], placeholder);
      if (count !== 1)
        return fail('PLACEHOLDER_COUNT', `${field} holds ${name} ${count} times, not once`, locale, field);
    }
    // A subject is not where Cognito puts a code or a password.
    if (countOccurrences(message.emailSubject, placeholder) !== 0) {
      return fail('PLACEHOLDER_COUNT', `emailSubject holds ${name}`, locale, 'emailSubject');
    }
  }
  return { ok: true, locale, message };
}

function buildView(
  userName: unknown,
  attributes: Readonly<Record<string, unknown>>,
  code: string,
  username: string | undefined,
  placeholders: readonly string[],
  config: MessageConfig,
  locale: string,
): Record<string, unknown> {
  const clean = (value: unknown): string => sanitizeValue(value, placeholders);
  // The username travels in links only, URL-encoded; lone surrogates would make encodeURIComponent throw.
  const encodedUser = encodeURIComponent(
    typeof userName === 'string' ? userName.replace(LONE_SURROGATES.for(userName), '') : '',
  );
  const { appUrl } = config;
  return {
    appName: config.appName,
    appUrl,
    locale,
    name: clean(attributes.given_name) || clean(attributes.name),
    email: clean(attributes.email),
    code,
    username: username ?? '',
    links: {
      confirmSignUp: `${appUrl}/confirm-sign-up?username=${encodedUser}`,
      resetPassword: `${appUrl}/reset-password?username=${encodedUser}`,
      signIn: `${appUrl}/sign-in?username=${encodedUser}`,
      verifyEmail: `${appUrl}/account/verify-email`,
      account: `${appUrl}/account`,
    },
  };
}

function findLocale(
  catalog: TemplateCatalog,
  templateName: string,
  requested: unknown,
  defaultLocale: string,
): string | undefined {
  const preferred = selectLocale(requested, catalog.locales, defaultLocale);
  return [preferred, defaultLocale].find((locale) =>
    Object.values(TEMPLATE_SUFFIXES).every(
      (suffix) => catalog.template(locale, templateName + suffix) !== undefined,
    ),
  );
}

// Lone surrogates (none in ASCII) and a placeholder's characters (every printable ASCII but the space).
const LONE_SURROGATES = unicodePattern(String.raw`\p{Cs}`, 'gu', /(?!)/g);
const PLACEHOLDER_CHARACTERS = unicodePattern(String.raw`^[\p{L}\p{N}\p{P}\p{S}]+$`, 'u', /^[!-~]+$/);

// A placeholder goes into the body verbatim (Cognito looks for the exact text), so it must read the
// same before and after HTML escaping, and be a short single token.
function usablePlaceholder(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return undefined;
  if (!PLACEHOLDER_CHARACTERS.for(value).test(value) || escapeHtml(value) !== value) return undefined;
  return value;
}

/** Whether a template uses `{{{...}}}` or `{{&...}}` (unescaped output), itself or in a section. */
export function hasUnescapedTag(template: string): boolean {
  return MUSTACHE_WRITER.hasUnescapedTag(template);
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function keepText(text: string): string {
  return text;
}

function fail(
  reason: RenderFailureReason,
  detail: string,
  locale?: string,
  field?: MessageField,
): Extract<RenderOutcome, { ok: false }> {
  return {
    ok: false,
    reason,
    detail,
    ...(locale === undefined ? {} : { locale }),
    ...(field === undefined ? {} : { field }),
  };
}
