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
