import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventShapeMiddleware,
  MalformedEventError,
} from '../../../shared/middleware/event-shape-middleware.js';
import {
  CUSTOM_MESSAGE_SOURCES,
  CUSTOM_SENDER_SOURCES,
  POST_CONFIRMATION_SOURCES,
  PRE_SIGN_UP_SOURCES,
  PRE_TOKEN_GENERATION_SOURCES,
  USER_MIGRATION_SOURCES,
} from '../../../shared/trigger-sources.js';

// Written out from the Amazon Cognito Developer Guide, not from the module under test.
const DOCUMENTED: Record<string, readonly string[]> = {
  'pre-sign-up': ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'],
  'user-migration': ['UserMigration_Authentication', 'UserMigration_ForgotPassword'],
  'pre-token-generation': [
    'TokenGeneration_HostedAuth',
    'TokenGeneration_Authentication',
    'TokenGeneration_NewPasswordChallenge',
    'TokenGeneration_AuthenticateDevice',
    'TokenGeneration_RefreshTokens',
    'TokenGeneration_ClientCredentials',
  ],
  'custom-message': [
    'CustomMessage_SignUp',
    'CustomMessage_AdminCreateUser',
    'CustomMessage_ResendCode',
    'CustomMessage_ForgotPassword',
    'CustomMessage_UpdateUserAttribute',
    'CustomMessage_VerifyUserAttribute',
    'CustomMessage_Authentication',
  ],
  'post-confirmation': ['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword'],
  // "Custom email sender Lambda trigger" and "Custom SMS sender Lambda trigger", trigger source tables.
  'custom-sender': [
    'CustomEmailSender_SignUp',
    'CustomEmailSender_Authentication',
    'CustomEmailSender_ForgotPassword',
    'CustomEmailSender_ResendCode',
    'CustomEmailSender_UpdateUserAttribute',
    'CustomEmailSender_VerifyUserAttribute',
    'CustomEmailSender_AdminCreateUser',
    'CustomEmailSender_AccountTakeOverNotification',
    'CustomSMSSender_SignUp',
    'CustomSMSSender_ForgotPassword',
    'CustomSMSSender_ResendCode',
    'CustomSMSSender_VerifyUserAttribute',
    'CustomSMSSender_UpdateUserAttribute',
    'CustomSMSSender_Authentication',
    'CustomSMSSender_AdminCreateUser',
  ],
};
const LISTS: Record<string, readonly string[]> = {
  'pre-sign-up': PRE_SIGN_UP_SOURCES,
  'user-migration': USER_MIGRATION_SOURCES,
  'pre-token-generation': PRE_TOKEN_GENERATION_SOURCES,
  'custom-message': CUSTOM_MESSAGE_SOURCES,
  'post-confirmation': POST_CONFIRMATION_SOURCES,
  'custom-sender': CUSTOM_SENDER_SOURCES,
};

function check(sources: readonly string[], triggerSource: unknown): void {
  const { before } = eventShapeMiddleware({ triggerSources: sources });
  (before as (request: { event: unknown }) => void)({
    event: { triggerSource, request: {}, response: {} },
  });
}

describe('eventShapeMiddleware: trigger sources are matched exactly', () => {
  it.each(Object.keys(DOCUMENTED))('lists exactly the documented sources of %s', (trigger) => {
    expect([...(LISTS[trigger] ?? [])].sort()).toEqual([...(DOCUMENTED[trigger] ?? [])].sort());
  });

  it.each(Object.entries(DOCUMENTED).flatMap(([, sources]) => sources.map((s) => [s, sources] as const)))(
    'accepts the documented source %s',
    (source, sources) => {
      expect(() => check(sources, source)).not.toThrow();
    },
  );

  it.each([
    ['TokenGeneration_Bogus', PRE_TOKEN_GENERATION_SOURCES],
    ['TokenGeneration_', PRE_TOKEN_GENERATION_SOURCES],
    ['PreSignUp_SignUpX', PRE_SIGN_UP_SOURCES],
    ['presignup_signup', PRE_SIGN_UP_SOURCES],
    [' PreSignUp_SignUp', PRE_SIGN_UP_SOURCES],
    ['UserMigration_Authentication\u0000', USER_MIGRATION_SOURCES],
    ['CustomMessage_SignUp ', CUSTOM_MESSAGE_SOURCES],
    ['PostConfirmation_ConfirmSignUp', PRE_SIGN_UP_SOURCES],
  ])('refuses %j as a malformed event', (source, sources) => {
    expect(() => check(sources, source)).toThrow(MalformedEventError);
  });

  it('refuses every string that is not one of the sources, however close to one', () => {
    const all = Object.values(DOCUMENTED).flat();
    const near = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom(...all), fc.string({ minLength: 1 })).map(([s, tail]) => s + tail),
      fc.tuple(fc.constantFrom(...all), fc.nat(40)).map(([s, n]) => s.slice(0, n % s.length)),
      fc.constantFrom(...all).map((s) => s.toUpperCase()),
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(DOCUMENTED)), near, (sources, candidate) => {
        fc.pre(!sources.includes(candidate));
        expect(() => check(sources, candidate)).toThrow(MalformedEventError);
      }),
    );
  });

  it.each([[undefined], [42], [null], [['PreSignUp_SignUp']]])('refuses a non-string source %j', (source) => {
    expect(() => check(PRE_SIGN_UP_SOURCES, source)).toThrow(MalformedEventError);
  });
});
