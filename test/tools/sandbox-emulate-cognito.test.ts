import { describe, expect, it } from 'vitest';
import {
  cognitoDefaultEmailOf,
  emulateEmailVerifiedOnConfirmation,
  fillEmail,
  readSenderEvent,
} from '../../tools/sandbox/emulate-cognito.js';
import { loadEvent } from '../support/events.js';

// cognito-local 5.3 sends the confirmation without email_verified; the fixture is what Cognito sends.
const cognitoLocalConfirmation = (overrides: { clientId?: string | null; triggerSource?: string } = {}) => {
  const event = loadEvent<{
    triggerSource: string;
    callerContext: { clientId: string | null };
    request: { userAttributes: Record<string, string> };
  }>('post-confirmation/confirm-sign-up.json');
  delete event.request.userAttributes.email_verified;
  if (overrides.clientId !== undefined) event.callerContext.clientId = overrides.clientId;
  if (overrides.triggerSource) event.triggerSource = overrides.triggerSource;
  return event;
};

describe('emulateEmailVerifiedOnConfirmation', () => {
  it('marks the email verified on a code-confirmed sign-up, as Cognito does, and names the user', () => {
    // Act
    const { event, verified } = emulateEmailVerifiedOnConfirmation(cognitoLocalConfirmation());

    // Assess
    expect(event).toEqual(loadEvent('post-confirmation/confirm-sign-up.json'));
    expect(verified).toEqual({
      userPoolId: 'us-east-1_EXAMPLE',
      username: '2f6c3a1e-8d4b-4f7a-9c2e-5b1d0e9a7c31',
      email: 'new.hire@acme.example.com',
    });
  });

  it.each([
    ['an admin confirmation (no app client)', { clientId: null }],
    ['a confirmed password reset', { triggerSource: 'PostConfirmation_ConfirmForgotPassword' }],
    ['another trigger', { triggerSource: 'PreSignUp_SignUp' }],
  ])('leaves %s as it is', (_case, overrides) => {
    // Prepare
    const original = cognitoLocalConfirmation(overrides);

    // Act
    const { event, verified } = emulateEmailVerifiedOnConfirmation(structuredClone(original));

    // Assess
    expect(event).toEqual(original);
    expect(verified).toBeUndefined();
  });

  it('leaves an event whose email is already verified as it is', () => {
    // Prepare
    const already = loadEvent('post-confirmation/confirm-sign-up.json');

    // Act / Assess
    expect(emulateEmailVerifiedOnConfirmation(already)).toEqual({ event: already });
  });
});

describe("Cognito's own message for a pool without a custom sender", () => {
  it.each([
    [
      'a sign-up code, from a pool with no message settings',
      'CustomEmailSender_SignUp',
      {},
      { emailSubject: 'Your verification code', emailMessage: 'Your verification code is {####}. ' },
    ],
    [
      'a forgot-password code, from the pool verification template',
      'CustomEmailSender_ForgotPassword',
      { VerificationMessageTemplate: { EmailSubject: 'Code', EmailMessage: 'Use {####}' } },
      { emailSubject: 'Code', emailMessage: 'Use {####}' },
    ],
    [
      'an invitation, from its own template',
      'CustomEmailSender_AdminCreateUser',
      { VerificationMessageTemplate: { EmailSubject: 'Code', EmailMessage: 'Use {####}' } },
      {
        emailSubject: 'Your temporary password',
        emailMessage: 'Your username is {username} and temporary password is {####}. ',
      },
    ],
  ])('makes %s', (_case, source, pool, expected) => {
    expect(cognitoDefaultEmailOf(source, pool)).toEqual(expected);
  });

  it('puts the code and the username where the placeholders stand', () => {
    // Act
    const email = fillEmail(
      { emailSubject: 'Hi', emailMessage: '{username}: {####}, again {####}' },
      '123456',
      'ana@example.com',
    );

    // Assess
    expect(email).toEqual({ emailSubject: 'Hi', emailMessage: 'ana@example.com: 123456, again 123456' });
  });

  it('reads only a custom email sender event that carries a code', () => {
    // Prepare
    const event = {
      userPoolId: 'local_1',
      userName: 'u',
      triggerSource: 'CustomEmailSender_SignUp',
      request: { code: 'AYAD' },
    };

    // Act / Assess
    expect(readSenderEvent(event)).toBe(event);
    expect(readSenderEvent({ ...event, triggerSource: 'CustomMessage_SignUp' })).toBeUndefined();
    expect(readSenderEvent({ ...event, request: {} })).toBeUndefined();
  });
});
