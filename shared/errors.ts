/**
 * The two kinds of error a trigger can end with (see ../README.md, "What a rejected user sees").
 *
 * - A {@link RejectionError} is a decision: its message is user-safe, starts with a stable code in
 *   brackets, and reaches the user unchanged (Cognito shows `<Trigger> failed with error <message>.`).
 * - Anything else is a fault: the middleware logs it with its cause and replaces it with the generic
 *   `[TEMPORARY_FAILURE]` message, so nothing internal reaches the user.
 */

/**
 * The base of every error the toolkit throws. Each area's `errors.ts` extends it; `name` is the
 * subclass's name, and `cause` is passed on. A class whose name must show in the logs of a built
 * bundle sets `name` itself: the bundles are minified, which renames classes.
 *
 * @example
 * ```ts
 * export class LegacyStoreError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'LegacyStoreError';
}
 * throw new LegacyStoreError('The legacy store answered 503', { cause: error });
 * ```
 */
export class TriggerKitError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** Stable codes of the outside contract. */
export type RejectionCode =
  | 'EMAIL_INVALID'
  | 'EMAIL_DOMAIN_NOT_ALLOWED'
  | 'MIGRATION_FAILED'
  | 'TENANT_SUSPENDED'
  | 'TENANT_REQUIRED'
  | 'TEMPORARY_FAILURE';

/**
 * One short, user-safe sentence per code, with no final period: Cognito shows a refusal as
 * `<Trigger> failed with error <message>.` and adds the period itself.
 */
export const REJECTION_MESSAGES: Readonly<Record<RejectionCode, string>> = Object.freeze({
  EMAIL_INVALID: 'The email address is not valid',
  EMAIL_DOMAIN_NOT_ALLOWED: 'Email addresses from this domain are not allowed',
  MIGRATION_FAILED: 'Incorrect username or password',
  TENANT_SUSPENDED: 'Your organisation’s account is suspended',
  TENANT_REQUIRED: 'Your account is not a member of any organisation',
  TEMPORARY_FAILURE: 'The service is temporarily unavailable, please try again',
});

const REJECTION_PATTERN =
  /^\[(EMAIL_INVALID|EMAIL_DOMAIN_NOT_ALLOWED|MIGRATION_FAILED|TENANT_SUSPENDED|TENANT_REQUIRED|TEMPORARY_FAILURE)\] /;

/**
 * A user-facing refusal with a stable code.
 *
 * @example
 * ```ts
 * throw new RejectionError('EMAIL_DOMAIN_NOT_ALLOWED');
 * // message: "[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed"
 * ```
 */
export class RejectionError extends TriggerKitError {
  public readonly code: RejectionCode;

  public constructor(code: RejectionCode, options?: { message?: string; cause?: unknown }) {
    super(`[${code}] ${withoutFinalPeriod(options?.message ?? REJECTION_MESSAGES[code])}`, {
      cause: options?.cause,
    });
    this.name = 'RejectionError';
    this.code = code;
  }
}

// Cognito appends a period to the message it shows; one of our own would make it read "..".
function withoutFinalPeriod(sentence: string): string {
  return sentence.replace(/[\s.]+$/u, '');
}

/** True when `error` is a rejection whose message may be shown to the user as it is. */
export function isRejection(error: unknown): error is RejectionError {
  return error instanceof RejectionError && REJECTION_PATTERN.test(error.message);
}

/** The invocation's budget ran out (see `shared/deadline.ts`). Always a fault, never shown to a user. */
export class DeadlineExceededError extends TriggerKitError {
  public constructor(message = 'The invocation deadline passed', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Bad or missing configuration, found at cold start. Lists every problem at once.
 *
 * @example
 * ```ts
 * new ConfigError(['TENANT_TABLE_NAME: is required', 'ON_LOOKUP_FAILURE: must be one of deny, stale, omit']);
 * ```
 */
export class ConfigError extends TriggerKitError {
  public readonly problems: readonly string[];

  public constructor(problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}

/** The event is not a Cognito trigger event of the expected family. A fault: the fallback answers. */
export class MalformedEventError extends TriggerKitError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Spelled out: the bundles are minified, which renames classes, and `npm run invoke` names this one.
    this.name = 'MalformedEventError';
  }
}

/** Code read the invocation's state outside `createTriggerHandler`'s chain: a programming fault. */
export class InvocationStateError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'InvocationStateError';
}

/** The log hash key's secret could not be read, or holds no usable key (see shared/log-hash-key.ts). */
export class LogHashKeyError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'LogHashKeyError';
}
