/**
 * What a user-controlled value may carry into a message, and Cognito's own checks on the result.
 * Pure string functions: no I/O, no logging.
 */
import { unicodePattern } from '../../shared/unicode-pattern.js';

/** Cognito's limits on a CustomMessage response, in UTF-16 code units (Java's `String.length`). */
export const MESSAGE_LIMITS = Object.freeze({
  emailMessage: { min: 6, max: 20_000 },
  emailSubject: { min: 1, max: 140 },
  smsMessage: { min: 6, max: 140 },
});

/**
 * Longest attribute value (UTF-16 code units, as Cognito counts) that reaches a template: with an
 * `APP_NAME` of at most 48, every shipped subject and SMS stays under 140 whatever the name.
 */
export const MAX_VALUE_LENGTH = 40;

// Line breaks and every other separator become one space, so a value can never start a new header line.
const BREAKS_AND_SEPARATORS = unicodePattern(
  String.raw`[\r\n\t\v\f\u0085\u2028\u2029\p{Zs}]+`,
  'gu',
  /[\r\n\t\v\f ]+/g,
);
// Control (NUL, ESC...), format (bidi overrides U+202A-U+202E and isolates U+2066-U+2069, zero-width
// U+200B-U+200D, BOM U+FEFF, soft hyphen), private-use, lone surrogates and unassigned code points.
// None of them passes Cognito's character check, and none belongs in a name shown to a person.
const INVISIBLE_OR_CONTROL = unicodePattern(
  String.raw`[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}]`,
  'gu',
  // eslint-disable-next-line no-control-regex -- control characters are what this class is about
  /[\x00-\x1f\x7f]/g,
);
const SPACES = / {2,}/g;

// EmailMessage pattern of Cognito's API: [\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*. Cognito is a Java service, where
// \s means [ \t\n\v\f\r] only (JavaScript's \s would also let U+00A0, U+2028 and U+FEFF through).
// Every printable ASCII character but the space is in \p{L}, \p{N}, \p{P} or \p{S}: the twins say `!-~`.
const COGNITO_BODY_PATTERN = unicodePattern(
  String.raw`^[\p{L}\p{M}\p{S}\p{N}\p{P} \t\n\v\f\r*]*$`,
  'u',
  /^[!-~ \t\n\v\f\r]*$/,
);
// EmailSubject pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}\s]+
const COGNITO_SUBJECT_PATTERN = unicodePattern(
  String.raw`^[\p{L}\p{M}\p{S}\p{N}\p{P} \t\n\v\f\r]+$`,
  'u',
  /^[!-~ \t\n\v\f\r]+$/,
);

/**
 * Makes a user-controlled value safe to show on one line: separators and line breaks become a space,
 * invisible and control characters go, every `placeholders` occurrence goes (so a name cannot add a
 * second `{####}` that Cognito would fill with the code), and the result is capped.
 */
export function sanitizeValue(value: unknown, placeholders: readonly string[] = []): string {
  if (typeof value !== 'string') return '';
  let text = value.replace(BREAKS_AND_SEPARATORS.for(value), ' ');
  text = text.replace(INVISIBLE_OR_CONTROL.for(text), '');
  // Removing one occurrence can join two halves into a new one ("{##{####}##}"), hence the loop.
  for (let previous = ''; previous !== text;) {
    previous = text;
    for (const placeholder of placeholders) if (placeholder !== '') text = text.split(placeholder).join('');
  }
  text = text.replace(SPACES, ' ').trim();
  if (text.length <= MAX_VALUE_LENGTH) return text;
  // Cut on a code point boundary, never between the halves of a surrogate pair.
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > MAX_VALUE_LENGTH) break;
    cut += char;
  }
  return cut.trim();
}

/** Flattens rendered text to one clean line: what goes into a subject or an SMS. */
export function flattenToOneLine(text: string): string {
  const spaced = text.replace(BREAKS_AND_SEPARATORS.for(text), ' ');
  return spaced.replace(INVISIBLE_OR_CONTROL.for(spaced), '').replace(SPACES, ' ').trim();
}

/** True when `body` passes Cognito's EmailMessage character check. */
export function passesBodyCharacterCheck(body: string): boolean {
  return COGNITO_BODY_PATTERN.for(body).test(body);
}

/** True when `subject` passes Cognito's EmailSubject character check. */
export function passesSubjectCharacterCheck(subject: string): boolean {
  return COGNITO_SUBJECT_PATTERN.for(subject).test(subject);
}

/** Number of non-overlapping occurrences of `needle` in `text`. */
export function countOccurrences(text: string, needle: string): number {
  return needle === '' ? 0 : text.split(needle).length - 1;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#x60;',
  '=': '&#x3D;',
  '/': '&#x2F;',
};

/** HTML-escapes text for an element or a quoted attribute (the same set mustache escapes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=/]/g, (char) => HTML_ENTITIES[char] ?? char);
}
