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
