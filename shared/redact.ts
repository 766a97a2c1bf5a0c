/**
 * Redaction for everything the toolkit logs. It runs as the Powertools Logger's JSON replacer, so it
 * holds for every log line, including the event that `POWERTOOLS_LOGGER_LOG_EVENT=true` logs and
 * DEBUG output: secrets are replaced by key, and hash- or token-shaped strings by pattern wherever
 * they appear (error messages and stacks included).
 */

import { isPersonalKey } from './personal-attributes.js';

export const REDACTED = '[REDACTED]';
export const PERSONAL = '[PERSONAL]';

// The key patterns below are matched against the lower-cased key, without the `i` flag: every key the
// case-insensitive patterns matched still matches (their letters are ASCII), a few confusable ones more (the
// Kelvin sign lower-cases to k). test/shared/redaction.test.ts checks this against the case-insensitive patterns.

/** Keys whose values are secrets, whatever their case or position (`request.password`, `temporaryPassword`, ...). */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|password|secret|token|^code$|codeparameter|^otp$|hash|salt|authorization|cookie|credential|session|private.?key|api.?key|one_click_link/;

// SECRET_KEY as plain string tests, which is what the first log line runs: V8 compiles a regex on its first
// run and again to machine code on its second, ~0.9 M instructions for SECRET_KEY at every cold start.
// test/shared/redaction.test.ts checks that both answer alike.
const SECRET_WORDS = [
  'password',
  'secret',
  'token',
  'codeparameter',
  'hash',
  'salt',
  'authorization',
  'cookie',
  'credential',
  'session',
  'one_click_link',
];
const SECRET_ENDINGS = ['pass', 'passwd', 'passphrase'];
const PRIVATE_OR_API_KEY = /(?:private|api).?key/;

/** Whether SECRET_KEY matches `lowerKey`. */
function namesSecret(lowerKey: string): boolean {
  if (lowerKey === 'code' || lowerKey === 'otp') return true;
  for (const word of SECRET_WORDS) if (lowerKey.includes(word)) return true;
  for (const ending of SECRET_ENDINGS) if (lowerKey.endsWith(ending)) return true;
  return lowerKey.includes('key') && PRIVATE_OR_API_KEY.test(lowerKey);
}

/** User-supplied free-form maps that may carry anything, secrets included (whole lower-cased keys). */
const OPAQUE_KEYS = new Set(['validationdata', 'clientmetadata']);

let secretKeyAnyCase: RegExp | undefined;

/** Whether `key` names a secret or an opaque map (see SECRET_KEY, OPAQUE_KEYS); `lowerKey` is `key.toLowerCase()`. */
function isSecretKey(key: string, lowerKey: string): boolean {
  if (namesSecret(lowerKey) || OPAQUE_KEYS.has(lowerKey)) return true;
  if (lowerKey.length === key.length) return false;
  // Lower-casing lengthened the key (U+0130 İ becomes two code units): match it as written, in any case.
  secretKeyAnyCase ??= new RegExp(`${SECRET_KEY.source}|^(${[...OPAQUE_KEYS].join('|')})$`, 'i');
  return secretKeyAnyCase.test(key);
}

/** Where errors keep their diagnosis (Node's `code`/`errno`/`syscall`, SQLSTATE): read, when they look like one. */
const DIAGNOSTIC_KEYS = new Set(['code', 'errno', 'syscall', 'sqlstate']);
// ECONNREFUSED, ER_ACCESS_DENIED_ERROR, UND_ERR_SOCKET; SQLSTATE 28P01; errno 1366. A Cognito verification
// code (six digits) or an encrypted code (long base64) has neither shape, so `code` stays redacted for them.
const DIAGNOSTIC_VALUE = /^(?:[A-Z][A-Z0-9_]{1,63}|[0-9A-Z]{5})$/;
const SYSCALL_VALUE = /^[a-z_]{2,32}$/;

function isDiagnosticValue(key: string, value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && Math.abs(value) <= 99_999;
  if (typeof value !== 'string') return false;
  return key.toLowerCase() === 'syscall' ? SYSCALL_VALUE.test(value) : DIAGNOSTIC_VALUE.test(value);
}

/** Password-hash and token shapes, matched anywhere inside a string. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\$(2[abxy]|wp\$2[aby]|argon2(id|i|d)|P|H|pbkdf2(-sha\d+)?|scrypt|5|6|7|y|gy|sha1|md5)\$[^\s"'`,;)]*/g,
  /\b(pbkdf2_sha(1|256|512)|bcrypt_sha256|bcrypt|argon2|scrypt|sha1|md5|unsalted_md5|crypt)\$[^\s"'`,;)]+/g,
  /\b(pbkdf2:sha\d+(:\d+)?|scrypt:\d+:\d+:\d+)\$[^\s"'`,;)]+/g,
  /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g,
  /\bAQAAAA[A-Za-z0-9+/]{40,}={0,2}/g,
];

// A cheap pre-check: every pattern above contains a `$`, or starts a token (`eyJ`) or an ASP.NET hash (`AQAAAA`).
// Plain string tests, not a regex: see namesSecret for what compiling one costs a cold start.
const mayHoldSecret = (text: string): boolean =>
  text.includes('$') || text.includes('eyJ') || text.includes('AQAAAA');

/** Standard Powertools keys and the toolkit's own correlation keys: never secrets, so never scanned. */
const SAFE_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'trigger',
  'trigger_source',
  'user_pool_id',
  'client_id',
  'user',
  'outcome',
  'durationMs',
  'failMode',
  'rejectionCode',
]);

/** Replaces hash- and token-shaped substrings of `text`. */
export function scrubSecrets(text: string): string {
  if (!mayHoldSecret(text)) return text;
  let result = text;
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
  return result;
}

/**
 * A `JSON.stringify` replacer that redacts secrets by key and by shape.
 *
 * @example
 * ```ts
 * JSON.stringify({ request: { password: 'hunter2' } }, redactLogValue); // {"request":{"password":"[REDACTED]"}}
 * ```
 */
export function redactLogValue(key: string, value: unknown): unknown {
  if (SAFE_KEYS.has(key) && typeof value !== 'object') return value;
  if (key !== '') {
    const lowerKey = key.toLowerCase();
    if (DIAGNOSTIC_KEYS.has(lowerKey) && isDiagnosticValue(lowerKey, value)) return value;
    if (isSecretKey(key, lowerKey)) return value === null || value === undefined ? value : REDACTED;
    // Personal data in events is kept out of logs too (the username travels only as a keyed hash), whatever
    // its type: `identities` may arrive as JSON text or as an array, `address` as text or an object.
    if (isPersonalKey(key)) {
      // An error's own name (see redactError) is a class name, not a person's: consumed as it is written.
      if (key === 'name' && typeof value === 'string' && pendingErrorNames.delete(value)) return value;
      return value === null || value === undefined ? value : PERSONAL;
    }
  }
  if (typeof value === 'string') return scrubSecrets(value);
  if (value instanceof Error) return redactError(value);
  return value;
}

// Error names of copies being written: the copy's `name` key is serialised right after the copy is returned,
// and `name` is otherwise a personal attribute. Bounded, so names that are never written cannot pile up.
const pendingErrorNames = new Set<string>();

/** A plain copy of an error (and its causes) with secret-shaped text scrubbed. */
function redactError(error: Error, depth = 0): Record<string, unknown> {
  if (pendingErrorNames.size > 64) pendingErrorNames.clear();
  pendingErrorNames.add(error.name);
  const copy: Record<string, unknown> = {
    name: error.name,
    message: scrubSecrets(error.message),
    stack: error.stack === undefined ? undefined : scrubSecrets(error.stack),
  };
  for (const key of ['code', 'errno', 'syscall', 'sqlState'] as const) {
    const value = (error as Partial<Record<typeof key, unknown>>)[key];
    if (isDiagnosticValue(key, value)) copy[key] = value;
  }
  if (error.cause !== undefined && depth < 5) {
    copy.cause = error.cause instanceof Error ? redactError(error.cause, depth + 1) : error.cause;
  }
  return copy;
}
