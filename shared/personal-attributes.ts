/**
 * The one list of user attributes that identify a person, for redaction (`shared/redact.ts`): Cognito's
 * standard attributes (OIDC standard claims) and its own `cognito:` attributes, plus the event fields that
 * carry the same values. A log line shows `[PERSONAL]` in their place, whatever the level.
 *
 * @example
 * ```ts
 * isPersonalKey('cognito:email_alias'); // true
 * isPersonalKey('email_verified');      // false
 * ```
 */
export const PERSONAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  // Standard attributes that name, reach, locate or picture the person.
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'website',
  // Cognito's own: the sign-in name, the aliases, and the federated provider's user ids.
  'cognito:username',
  'cognito:email_alias',
  'cognito:phone_number_alias',
  'identities',
  // Event fields with the same values.
  'username',
  'usernameparameter',
  // What CustomEmailSender_AccountTakeOverNotification adds to userAttributes about the sign-in.
  'user_name',
  'ip_address',
  'city',
  'country',
  'device_name',
]);

/**
 * The documented attributes that do not identify anyone by themselves, kept readable in logs: whether an
 * address is verified, a language, a time zone, a timestamp, an account state.
 */
export const NON_PERSONAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'email_verified',
  'phone_number_verified',
  'locale',
  'zoneinfo',
  'updated_at',
  'cognito:user_status',
  'cognito:mfa_enabled',
]);

/** Whether a log key names a personal attribute (case-insensitive; `userName` is `username`). */
export function isPersonalKey(key: string): boolean {
  return PERSONAL_ATTRIBUTES.has(key.toLowerCase());
}
