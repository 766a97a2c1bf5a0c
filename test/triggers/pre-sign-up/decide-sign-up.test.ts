import { describe, expect, it } from 'vitest';
import { NO_DEADLINE } from '../../../shared/deadline.js';
import type { EmailDomainGuard } from '../../../shared/email-domain/email-domain-guard.js';
import {
  compileEmailDomainPolicy,
  decideEmailDomain,
} from '../../../shared/email-domain/email-domain-policy.js';
import type { SignUpPolicy } from '../../../triggers/pre-sign-up/config.js';
import { decideSignUp } from '../../../triggers/pre-sign-up/decide-sign-up.js';

// An in-memory guard: the real policy, no sources.
const emailDomains: EmailDomainGuard = {
  check: async (email) => decideEmailDomain(compileEmailDomainPolicy({ allowed: ['example.com'] }), email),
};
const defaults: SignUpPolicy = {
  exemptTriggerSources: new Set(),
  autoConfirmFederatedUsers: false,
  federatedWithoutEmail: 'deny',
};

function decide(
  triggerSource: string,
  userAttributes: Record<string, string>,
  policy: Partial<SignUpPolicy> = {},
) {
  return decideSignUp(
    { triggerSource, userAttributes },
    { ...defaults, ...policy },
    { emailDomains, deadline: NO_DEADLINE },
  );
}

describe('decideSignUp', () => {
  it.each(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'])(
    'allows an allowed domain on %s',
    async (source) => {
      // Act
      const decision = await decide(source, { email: 'ana@example.com' });
      // Assess
      expect(decision).toMatchObject({
        outcome: 'allow',
        autoConfirmUser: false,
        autoVerifyEmail: false,
        autoVerifyPhone: false,
      });
    },
  );

  it.each(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'])(
    'refuses a domain outside the policy on %s',
    async (source) => {
      // Act
      const decision = await decide(source, { email: 'ana@gmail.com' });
      // Assess
      expect(decision).toMatchObject({ outcome: 'reject', code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
    },
  );

  it.each([
    ['a forged custom:domain', { email: 'mallory@evil.test', 'custom:domain': 'example.com' }],
    [
      'a forged custom:email_domain and company',
      { email: 'mallory@evil.test', 'custom:email_domain': 'example.com', 'custom:company': 'Example' },
    ],
    [
      'a second email-looking attribute',
      { email: 'mallory@evil.test', 'custom:email': 'mallory@example.com' },
    ],
  ])('ignores %s: only the email attribute decides', async (_name, attributes) => {
    // Act
    const decision = await decide('PreSignUp_SignUp', attributes);
    // Assess
    expect(decision).toMatchObject({ outcome: 'reject', code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
  });

  it.each([
    ['PreSignUp_SignUp', {}],
    ['PreSignUp_AdminCreateUser', {}],
    ['PreSignUp_SignUp', { email: '' }],
    ['PreSignUp_SignUp', { email: 'ana@example.com.' }],
  ])('refuses %s with %j as EMAIL_INVALID', async (source, attributes) => {
    // Act
    const decision = await decide(source, attributes);
    // Assess
    expect(decision).toMatchObject({ outcome: 'reject', code: 'EMAIL_INVALID' });
  });

  it('refuses a federated user without email by default', async () => {
    // Act
    const decision = await decide('PreSignUp_ExternalProvider', { given_name: 'Carol' });
    // Assess
    expect(decision).toMatchObject({
      outcome: 'reject',
      code: 'EMAIL_INVALID',
      reason: 'federated user without email',
    });
  });

  it('lets a federated user without email through when FEDERATED_WITHOUT_EMAIL=allow', async () => {
    // Act
    const decision = await decide('PreSignUp_ExternalProvider', {}, { federatedWithoutEmail: 'allow' });
    // Assess
    expect(decision).toMatchObject({ outcome: 'allow', autoVerifyEmail: false });
  });

  it('still checks a native sign-up without email when FEDERATED_WITHOUT_EMAIL=allow', async () => {
    // Act
    const decision = await decide('PreSignUp_SignUp', {}, { federatedWithoutEmail: 'allow' });
    // Assess
    expect(decision).toMatchObject({ outcome: 'reject', code: 'EMAIL_INVALID' });
  });

  it.each([
    ['PreSignUp_ExternalProvider', true],
    ['PreSignUp_SignUp', false],
    ['PreSignUp_AdminCreateUser', false],
  ])('auto-confirms on %s only when opted in for federated users: %s', async (source, expected) => {
    // Act
    const decision = await decide(source, { email: 'ana@example.com' }, { autoConfirmFederatedUsers: true });
    // Assess
    expect(decision).toMatchObject({ outcome: 'allow', autoConfirmUser: expected });
  });

  it('never auto-verifies, even a federated email its provider marks verified', async () => {
    // Act
    const decision = await decide(
      'PreSignUp_ExternalProvider',
      { email: 'ana@example.com', email_verified: 'true', phone_number_verified: 'true' },
      { autoConfirmFederatedUsers: true },
    );
    // Assess
    expect(decision).toMatchObject({ outcome: 'allow', autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it('lets an exempt trigger source through without checking the email', async () => {
    // Act
    const decision = await decide(
      'PreSignUp_AdminCreateUser',
      { email: 'ops@gmail.com' },
      { exemptTriggerSources: new Set(['PreSignUp_AdminCreateUser']) },
    );
    // Assess
    expect(decision).toMatchObject({
      outcome: 'allow',
      autoConfirmUser: false,
      reason: 'exempt trigger source',
    });
  });

  it('still checks the sources that are not exempt', async () => {
    // Act
    const decision = await decide(
      'PreSignUp_SignUp',
      { email: 'ops@gmail.com' },
      { exemptTriggerSources: new Set(['PreSignUp_AdminCreateUser']) },
    );
    // Assess
    expect(decision).toMatchObject({ outcome: 'reject', code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
  });
});
