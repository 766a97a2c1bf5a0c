/**
 * Redaction for everything the toolkit logs. It runs as the Powertools Logger's JSON replacer, so it
 * holds for every log line, including the event that `POWERTOOLS_LOGGER_LOG_EVENT=true` logs and
 * DEBUG output: secrets are replaced by key, and hash- or token-shaped strings by pattern wherever
 * they appear (error messages and stacks included).
 */

export const REDACTED = '[REDACTED]';

/** Keys whose values are secrets, whatever their case or position (`request.password`, `temporaryPassword`, ...). */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|password|secret|token|^code$|codeparameter|^otp$|hash|salt|authorization|cookie|credential|session|private.?key|api.?key/i;

/** User-supplied free-form maps that may carry anything, secrets included. */
const OPAQUE_KEY = /^(validationdata|clientmetadata)$/i;

/** Personal data in events: kept out of logs too (the username travels only as a keyed hash). */
const PERSONAL_KEY =
  /^(username|email|phone_number|given_name|family_name|middle_name|nickname|address|birthdate|preferred_username|usernameparameter|cognito:email_alias|cognito:phone_number_alias|name)$/i;

/** `name` is also an error's class name (`TypeError`, `ConditionalCheckFailedException`): that one stays. */
const ERROR_CLASS_NAME = /^[A-Z][A-Za-z0-9]*(Error|Exception|Fault)$/;

/** Password-hash and token shapes, matched anywhere inside a string. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\$(2[abxy]|wp\$2[aby]|argon2(id|i|d)|P|H|pbkdf2(-sha\d+)?|scrypt|5|6|7|y|gy|sha1|md5)\$[^\s"'`,;)]*/g,
  /\b(pbkdf2_sha(1|256|512)|bcrypt_sha256|bcrypt|argon2|scrypt|sha1|md5|unsalted_md5|crypt)\$[^\s"'`,;)]+/g,
  /\b(pbkdf2:sha\d+(:\d+)?|scrypt:\d+:\d+:\d+)\$[^\s"'`,;)]+/g,
  /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g,
  /\bAQAAAA[A-Za-z0-9+/]{40,}={0,2}/g,
];

// A cheap pre-check: every pattern above contains a `$`, or starts a token (`eyJ`) or an ASP.NET hash (`AQAAAA`).
const MAYBE_SECRET = /\$|eyJ|AQAAAA/;

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
  if (!MAYBE_SECRET.test(text)) return text;
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
    if (SECRET_KEY.test(key) || OPAQUE_KEY.test(key))
      return value === null || value === undefined ? value : REDACTED;
    if (PERSONAL_KEY.test(key) && typeof value === 'string') {
      if (key === 'name' && ERROR_CLASS_NAME.test(value)) return value;
      return '[PERSONAL]';
    }
  }
  if (typeof value === 'string') return scrubSecrets(value);
  if (value instanceof Error) return redactError(value);
  return value;
}

/** A plain copy of an error (and its causes) with secret-shaped text scrubbed. */
function redactError(error: Error, depth = 0): Record<string, unknown> {
  const copy: Record<string, unknown> = {
    name: error.name,
    message: scrubSecrets(error.message),
    stack: error.stack === undefined ? undefined : scrubSecrets(error.stack),
  };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') copy.code = code;
  if (error.cause !== undefined && depth < 5) {
    copy.cause = error.cause instanceof Error ? redactError(error.cause, depth + 1) : error.cause;
  }
  return copy;
}
