/**
 * The trigger sources AWS documents for each Cognito trigger, exactly. A trigger accepts only its own
 * list: any other `triggerSource` (a typo, a prefix trick such as `TokenGeneration_Bogus`) is a malformed
 * event, answered by the trigger's fail mode. Source: the Amazon Cognito Developer Guide, "Connecting
 * API actions to Lambda triggers" and each trigger's page.
 *
 * @example
 * ```ts
 * createTriggerHandler({ name: 'pre-sign-up', failMode: 'closed', triggerSources: PRE_SIGN_UP_SOURCES, handle });
 * ```
 */
export const PRE_SIGN_UP_SOURCES = /* @__PURE__ */ Object.freeze([
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PreSignUp_ExternalProvider',
] as const);

export const USER_MIGRATION_SOURCES = /* @__PURE__ */ Object.freeze([
  'UserMigration_Authentication',
  'UserMigration_ForgotPassword',
] as const);

export const PRE_TOKEN_GENERATION_SOURCES = /* @__PURE__ */ Object.freeze([
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
  'TokenGeneration_ClientCredentials',
] as const);

export const CUSTOM_MESSAGE_SOURCES = /* @__PURE__ */ Object.freeze([
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication',
] as const);

export const POST_CONFIRMATION_SOURCES = /* @__PURE__ */ Object.freeze([
  'PostConfirmation_ConfirmSignUp',
  'PostConfirmation_ConfirmForgotPassword',
] as const);

/** Custom email sender sources (the Developer Guide's "Custom email sender Lambda trigger sources"). */
export const CUSTOM_EMAIL_SENDER_SOURCES = /* @__PURE__ */ Object.freeze([
  'CustomEmailSender_SignUp',
  'CustomEmailSender_ResendCode',
  'CustomEmailSender_ForgotPassword',
  'CustomEmailSender_UpdateUserAttribute',
  'CustomEmailSender_VerifyUserAttribute',
  'CustomEmailSender_AdminCreateUser',
  'CustomEmailSender_AccountTakeOverNotification',
  'CustomEmailSender_Authentication',
] as const);

/** Custom SMS sender sources (the Developer Guide's "Custom SMS sender Lambda trigger sources"). */
export const CUSTOM_SMS_SENDER_SOURCES = /* @__PURE__ */ Object.freeze([
  'CustomSMSSender_SignUp',
  'CustomSMSSender_ResendCode',
  'CustomSMSSender_ForgotPassword',
  'CustomSMSSender_UpdateUserAttribute',
  'CustomSMSSender_VerifyUserAttribute',
  'CustomSMSSender_AdminCreateUser',
  'CustomSMSSender_Authentication',
] as const);

/** Both sender triggers: one function serves the CustomEmailSender and CustomSMSSender slots. */
export const CUSTOM_SENDER_SOURCES = /* @__PURE__ */ joinSources(
  CUSTOM_EMAIL_SENDER_SOURCES,
  CUSTOM_SMS_SENDER_SOURCES,
);

// Every list is made by a call marked pure: a bundle keeps (and makes at import) only the lists it uses.
function joinSources<A extends readonly string[], B extends readonly string[]>(
  first: A,
  second: B,
): readonly [...A, ...B] {
  return Object.freeze([...first, ...second] as const);
}
