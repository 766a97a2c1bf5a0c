/**
 * The user pool's password policy, mirrored here because Cognito does not enforce it on a password
 * that arrives through the migration trigger.
 */
export interface PasswordPolicy {
  readonly minLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

/** Cognito's default policy for a new user pool. */
export const COGNITO_DEFAULT_POLICY: PasswordPolicy = Object.freeze({
  minLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
});

// The special characters Cognito counts as symbols (a space counts when it is not leading or trailing).
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/** True when `password` would be accepted by a user pool with `policy`. */
export function meetsPasswordPolicy(password: string, policy: PasswordPolicy): boolean {
  // Cognito refuses a password that starts or ends with whitespace, whatever the policy.
  if (password !== password.trim()) return false;
  if ([...password].length < policy.minLength) return false;
  if (policy.requireLowercase && !/[a-z]/.test(password)) return false;
  if (policy.requireUppercase && !/[A-Z]/.test(password)) return false;
  if (policy.requireNumbers && !/[0-9]/.test(password)) return false;
  if (policy.requireSymbols && ![...password].some((character) => SYMBOLS.has(character))) return false;
  return true;
}
