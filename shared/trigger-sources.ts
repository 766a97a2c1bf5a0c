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
export const PRE_SIGN_UP_SOURCES = Object.freeze([
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PreSignUp_ExternalProvider',
] as const);

export const USER_MIGRATION_SOURCES = Object.freeze([
  'UserMigration_Authentication',
  'UserMigration_ForgotPassword',
] as const);

export const PRE_TOKEN_GENERATION_SOURCES = Object.freeze([
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
  'TokenGeneration_ClientCredentials',
] as const);

export const CUSTOM_MESSAGE_SOURCES = Object.freeze([
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication',
] as const);

export const POST_CONFIRMATION_SOURCES = Object.freeze([
  'PostConfirmation_ConfirmSignUp',
  'PostConfirmation_ConfirmForgotPassword',
] as const);
