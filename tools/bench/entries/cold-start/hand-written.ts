// What every hand-written cold-start baseline shares: the way a careful team writes a Cognito trigger
// by hand on the mission's stack, the Powertools Logger injected by middy, one log line per answer.
// Each baseline imports exactly the clients its configuration needs and does the same I/O as the
// toolkit's bundle; no deadline, no fallback, no redaction, no config validation beyond the obvious.
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';

export const logger = new Logger();

/** The handler wrapped the usual way: middy with the Logger's context injection. */
export function handWritten<E>(handle: (event: E, context: Context) => Promise<E>) {
  return middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
}

/** `example.com *.example.org` (comma or space separated) to lower-case entries. */
export function splitDomainList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

/** Whether `email`'s domain is allowed: a deny wins, `*.x` matches subdomains of x only. */
export function isEmailDomainAllowed(email: string, allowed: string[], denied: string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const matches = (entry: string): boolean =>
    entry.startsWith('*.') ? domain.endsWith(entry.slice(1)) : domain === entry;
  return email.includes('@') && !denied.some(matches) && (allowed.length === 0 || allowed.some(matches));
}

/** A legacy row's columns to Cognito attributes, as a hand-written migration maps them. */
export function legacyAttributes(row: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of ['email', 'given_name', 'family_name', 'locale'] as const) {
    if (typeof row[key] === 'string') attributes[key] = row[key];
  }
  if (row.email_verified !== undefined) attributes.email_verified = String(row.email_verified === true);
  return attributes;
}

/** Answers a forgot-password migration from a legacy row (or refuses), as the toolkit does. */
export function answerForgotPassword<
  E extends { response: { userAttributes?: unknown; messageAction?: unknown } },
>(event: E, row: Record<string, unknown> | undefined): E {
  if (row === undefined || row.disabled === true) {
    logger.info('user migration refused');
    throw new Error('[MIGRATION_FAILED] Incorrect username or password.');
  }
  event.response.userAttributes = legacyAttributes(row);
  event.response.messageAction = 'SUPPRESS';
  logger.info('user migrated');
  return event;
}
