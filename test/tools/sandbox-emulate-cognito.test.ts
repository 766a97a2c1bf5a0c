import { describe, expect, it } from 'vitest';
import { emulateEmailVerifiedOnConfirmation } from '../../tools/sandbox/emulate-cognito.js';
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
