import { createEnvReader, type Env } from '../../shared/config.js';
import {
  hasEmailDomainSource,
  readEmailDomainSources,
  type EmailDomainSources,
} from '../../shared/email-domain/email-domain-sources.js';
import type { MessageConfig } from './render-message.js';
import { unicodePattern } from '../../shared/unicode-pattern.js';

export interface CustomMessageConfig {
  readonly message: MessageConfig;
  /** The email-domain policy for email changes; undefined when none is configured (no check). */
  readonly emailDomainSources: EmailDomainSources | undefined;
}

// With names capped at 40 (text-safety.ts), 48 keeps every shipped subject and SMS under 140.
const MAX_APP_NAME_LENGTH = 48;
// Letters, marks, symbols, digits, punctuation and the space; in ASCII, every printable character.
const APP_NAME_CHARACTERS = unicodePattern(String.raw`^[\p{L}\p{M}\p{S}\p{N}\p{P} ]+$`, 'u', /^[!-~ ]+$/);

/**
 * Reads `APP_NAME`, `APP_URL`, `DEFAULT_LOCALE` and, when any is set, the email-domain policy
 * variables, once, at cold start; fails with one error naming every bad variable. `locales` are the
 * locales the templates exist in.
 */
export function readCustomMessageConfig(env: Env, locales: readonly string[]): CustomMessageConfig {
  const reader = createEnvReader(env);
  const appName = reader.string('APP_NAME', {
    required: true,
    doc: 'Product name shown in messages; at most 48 characters, on one line',
  });
  const appUrlText = reader.string('APP_URL', {
    required: true,
    doc: 'Absolute `https://` (or `http://`) base URL of your app, no query or fragment; links in messages are built from it',
  });
  const defaultLocale = reader.string('DEFAULT_LOCALE', {
    default: 'en',
    doc: "Locale used when the user's `locale` attribute is missing or has no templates; a folder under `templates/`",
  });

  // The name reaches subjects and SMS unescaped: it must be one clean line that Cognito accepts.
  if (appName !== undefined && appName.length > MAX_APP_NAME_LENGTH) {
    reader.problem('APP_NAME', `must be at most ${MAX_APP_NAME_LENGTH} characters`);
  } else if (appName !== undefined && !APP_NAME_CHARACTERS.for(appName).test(appName)) {
    reader.problem('APP_NAME', 'must hold only letters, digits, punctuation, symbols and spaces');
  }
  const appUrl = appUrlText === undefined ? undefined : parseAppUrl(appUrlText);
  if (appUrlText !== undefined && appUrl === undefined) {
    reader.problem('APP_URL', 'must be an absolute http(s) URL without query, fragment or credentials');
  }
  if (!locales.includes(defaultLocale)) {
    reader.problem(
      'DEFAULT_LOCALE',
      `must be one of the template locales (${locales.join(', ')}), got "${defaultLocale}"`,
    );
  }
  const emailDomainSources = hasEmailDomainSource(env) ? readEmailDomainSources(env, reader) : undefined;
  reader.done();
  return Object.freeze({
    message: Object.freeze({ appName: appName ?? '', appUrl: appUrl ?? '', defaultLocale }),
    emailDomainSources,
  });
}

// Templates append paths (`/sign-in?...`), so the base has no query, fragment or trailing slash.
function parseAppUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  return url.href.replace(/\/+$/, '');
}
