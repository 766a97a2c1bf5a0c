import { createHash } from 'node:crypto';
import type { AnswerHook } from './lambda-invoke-server.js';

/**
 * The sub the sandbox gives a migrated user: a UUID derived from the lower-cased username, so the
 * seeded tenant table can name a legacy user's memberships before the user has ever signed in.
 */
export function sandboxSubOf(username: string): string {
  const hex = createHash('sha256')
    .update(`cognito-trigger-kit-sandbox:${username.trim().toLowerCase()}`)
    .digest('hex');
  // Shaped as a version 4 UUID, like the subs Cognito issues.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Cognito gives every user it creates from a UserMigration answer a `sub`; cognito-local 5.3 gives
 * none, and then issues tokens without a subject. The sandbox adds the sub Cognito would have added,
 * after the trigger has answered, so what the trigger returned is otherwise untouched.
 */
export const emulateCognitoAnswer: AnswerHook = (_functionName, event, answer) => {
  const source = (event as { triggerSource?: unknown } | null)?.triggerSource;
  if (source !== 'UserMigration_Authentication' || typeof answer !== 'object' || answer === null)
    return answer;
  const migrated = answer as { userName?: unknown; response?: { userAttributes?: Record<string, string> } };
  const attributes = migrated.response?.userAttributes;
  if (attributes === undefined || attributes.sub !== undefined || typeof migrated.userName !== 'string')
    return answer;
  return {
    ...migrated,
    response: {
      ...migrated.response,
      userAttributes: { ...attributes, sub: sandboxSubOf(migrated.userName) },
    },
  };
};

/** A user whose email the sandbox marked verified, to be written back to cognito-local as Cognito would. */
export interface VerifiedEmail {
  readonly userPoolId: string;
  readonly username: string;
  readonly email: string;
}

/**
 * Cognito marks the email verified when a user confirms their sign-up with the code it sent there (the
 * sandbox pool sends codes by email: `AutoVerifiedAttributes: [email]`), so PostConfirmation sees
 * `email_verified: "true"`; cognito-local 5.3 leaves the attribute out. For `PostConfirmation_ConfirmSignUp`
 * from `ConfirmSignUp` (it has an app client; `AdminConfirmSignUp` has none and verifies nothing, in
 * Cognito too), the sandbox adds it to the event and says which user to update.
 */
export function emulateEmailVerifiedOnConfirmation(event: unknown): {
  event: unknown;
  verified?: VerifiedEmail;
} {
  const confirmation = event as {
    triggerSource?: unknown;
    userPoolId?: unknown;
    userName?: unknown;
    callerContext?: { clientId?: unknown } | null;
    request?: { userAttributes?: Record<string, string> | null } | null;
  } | null;
  const attributes = confirmation?.request?.userAttributes;
  if (
    confirmation?.triggerSource !== 'PostConfirmation_ConfirmSignUp' ||
    typeof confirmation.callerContext?.clientId !== 'string' ||
    typeof confirmation.userPoolId !== 'string' ||
    typeof confirmation.userName !== 'string' ||
    typeof attributes?.email !== 'string' ||
    attributes.email_verified === 'true'
  )
    return { event };
  return {
    event: {
      ...confirmation,
      request: { ...confirmation.request, userAttributes: { ...attributes, email_verified: 'true' } },
    },
    verified: {
      userPoolId: confirmation.userPoolId,
      username: confirmation.userName,
      email: attributes.email,
    },
  };
}

/** Where Cognito puts the code and the username in a message (`{####}`, `{username}`). */
export const CODE_PARAMETER = '{####}';
export const USERNAME_PARAMETER = '{username}';

/** An email as Cognito sends it: the subject and the body, placeholders still in it. */
export interface CognitoEmail {
  readonly emailSubject: string;
  readonly emailMessage: string;
}

/** The fields of a custom sender event that Cognito's own delivery needs. */
export interface SenderEvent {
  readonly version?: unknown;
  readonly region?: unknown;
  readonly userPoolId: string;
  readonly triggerSource: string;
  readonly userName: string;
  readonly callerContext?: unknown;
  readonly request: {
    readonly code: string;
    readonly userAttributes?: Record<string, string> | null;
    readonly clientMetadata?: unknown;
  };
}

/** The event when it is one cognito-local sent to a custom email sender, else undefined. */
export function readSenderEvent(event: unknown): SenderEvent | undefined {
  const candidate = event as Partial<SenderEvent> | null;
  return typeof candidate?.triggerSource === 'string' &&
    candidate.triggerSource.startsWith('CustomEmailSender_') &&
    typeof candidate.userPoolId === 'string' &&
    typeof candidate.userName === 'string' &&
    typeof candidate.request?.code === 'string'
    ? (candidate as SenderEvent)
    : undefined;
}

/**
 * The CustomMessage event for the message a custom sender event stands for, as cognito-local builds it
 * when no sender is configured (`CustomMessage_<source>`, the code and username as placeholders): a pool
 * without a sender runs its CustomMessage trigger on it, as Cognito does.
 */
export function customMessageEventOf(event: SenderEvent): Record<string, unknown> {
  return {
    version: event.version,
    region: event.region,
    userPoolId: event.userPoolId,
    triggerSource: event.triggerSource.replace(/^CustomEmailSender_/, 'CustomMessage_'),
    userName: event.userName,
    callerContext: event.callerContext,
    request: {
      userAttributes: event.request.userAttributes,
      codeParameter: CODE_PARAMETER,
      usernameParameter: USERNAME_PARAMETER,
      clientMetadata: event.request.clientMetadata,
    },
    response: { smsMessage: '', emailMessage: '', emailSubject: '' },
  };
}

/** The pool's message settings Cognito's default email is made of (from `DescribeUserPool`). */
export interface PoolMessageSettings {
  readonly VerificationMessageTemplate?: { EmailMessage?: string; EmailSubject?: string };
  readonly EmailVerificationMessage?: string;
  readonly EmailVerificationSubject?: string;
  readonly AdminCreateUserConfig?: {
    InviteMessageTemplate?: { EmailMessage?: string; EmailSubject?: string };
  };
}

/**
 * The email Cognito sends for `triggerSource` when no trigger changes it: the pool's own message settings,
 * else Cognito's defaults. An invitation (`AdminCreateUser`) has its own template; every other code email
 * (sign-up, resend, forgot password, attribute verification) uses the verification message.
 */
export function cognitoDefaultEmailOf(triggerSource: string, pool: PoolMessageSettings = {}): CognitoEmail {
  if (triggerSource.endsWith('_AdminCreateUser')) {
    const invite = pool.AdminCreateUserConfig?.InviteMessageTemplate;
    return {
      emailSubject: invite?.EmailSubject || 'Your temporary password',
      emailMessage:
        invite?.EmailMessage ||
        `Your username is ${USERNAME_PARAMETER} and temporary password is ${CODE_PARAMETER}. `,
    };
  }
  const template = pool.VerificationMessageTemplate;
  return {
    emailSubject: template?.EmailSubject || pool.EmailVerificationSubject || 'Your verification code',
    emailMessage:
      template?.EmailMessage ||
      pool.EmailVerificationMessage ||
      `Your verification code is ${CODE_PARAMETER}. `,
  };
}

/** The email with the code and the username put in, as Cognito sends it. */
export function fillEmail(email: CognitoEmail, code: string, username: string): CognitoEmail {
  return {
    emailSubject: email.emailSubject,
    emailMessage: email.emailMessage
      .replaceAll(CODE_PARAMETER, code)
      .replaceAll(USERNAME_PARAMETER, username),
  };
}
