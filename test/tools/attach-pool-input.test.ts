import {
  UpdateUserPoolRequest$,
  UserPoolType$,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import {
  buildUpdateUserPoolInput,
  DESCRIBE_ONLY_FIELDS,
  UPDATABLE_FIELDS,
} from '../../tools/attach/pool-input.js';

// The SDK's runtime schema: [type, namespace, name, traits, memberNames, memberSchemas, ...].
function memberNames(schema: unknown): string[] {
  return [...((schema as unknown[])[4] as string[])].sort();
}

const FULL_POOL: UserPoolType = {
  Id: 'eu-west-1_AbC123',
  Arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123',
  Name: 'customers',
  Policies: {
    PasswordPolicy: { MinimumLength: 14, RequireSymbols: false, TemporaryPasswordValidityDays: 2 },
  },
  DeletionProtection: 'ACTIVE',
  LambdaConfig: { PostConfirmation: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' },
  AutoVerifiedAttributes: ['email'],
  SmsVerificationMessage: 'Code {####}',
  EmailVerificationMessage: 'Your code is {####}',
  EmailVerificationSubject: 'Verify',
  VerificationMessageTemplate: {
    DefaultEmailOption: 'CONFIRM_WITH_CODE',
    EmailMessage: 'Your code is {####}',
  },
  SmsAuthenticationMessage: 'Auth {####}',
  UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
  MfaConfiguration: 'OPTIONAL',
  DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  EmailConfiguration: {
    EmailSendingAccount: 'DEVELOPER',
    SourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
  },
  SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'ext' },
  UserPoolTags: { team: 'identity' },
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 2 },
  UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
  DcrConfiguration: { EnableStatus: 'Disabled' },
  AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
  UserPoolTier: 'ESSENTIALS',
  KeyConfiguration: { KeyType: 'AWS_OWNED_KEY' },
  IssuerConfiguration: { Type: 'ORIGINAL' },
  AcrConfiguration: { level1: { AcrValue: 'urn:example:low' } },
  Status: 'Enabled',
  LastModifiedDate: new Date('2025-01-02T03:04:05Z'),
  CreationDate: new Date('2024-01-02T03:04:05Z'),
  SchemaAttributes: [{ Name: 'email', AttributeDataType: 'String', Required: true }],
  AliasAttributes: ['preferred_username'],
  UsernameConfiguration: { CaseSensitive: false },
  EstimatedNumberOfUsers: 42,
  Domain: 'customers-auth',
};

describe('buildUpdateUserPoolInput', () => {
  it('covers every UpdateUserPool request field of the installed SDK', () => {
    // Prepare
    const requestFields = memberNames(UpdateUserPoolRequest$).filter((name) => name !== 'UserPoolId');

    // Assess
    expect([...UPDATABLE_FIELDS].sort()).toEqual(requestFields);
  });

  it('classifies every DescribeUserPool field as carried over or not settable', () => {
    // Prepare
    const carried = UPDATABLE_FIELDS.map((field) => (field === 'PoolName' ? 'Name' : field));
    const classified = [...carried, ...DESCRIBE_ONLY_FIELDS].sort();

    // Assess
    expect(classified).toEqual(memberNames(UserPoolType$));
  });

  it('carries every settable field of a fully described pool', () => {
    // Act
    const input = buildUpdateUserPoolInput(FULL_POOL);

    // Assess
    expect(input).toEqual({
      UserPoolId: 'eu-west-1_AbC123',
      PoolName: 'customers',
      Policies: {
        PasswordPolicy: { MinimumLength: 14, RequireSymbols: false, TemporaryPasswordValidityDays: 2 },
      },
      DeletionProtection: 'ACTIVE',
      LambdaConfig: { PostConfirmation: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' },
      AutoVerifiedAttributes: ['email'],
      SmsVerificationMessage: 'Code {####}',
      EmailVerificationMessage: 'Your code is {####}',
      EmailVerificationSubject: 'Verify',
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
        EmailMessage: 'Your code is {####}',
      },
      SmsAuthenticationMessage: 'Auth {####}',
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      MfaConfiguration: 'OPTIONAL',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
      },
      SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'ext' },
      UserPoolTags: { team: 'identity' },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
      DcrConfiguration: { EnableStatus: 'Disabled' },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UserPoolTier: 'ESSENTIALS',
      KeyConfiguration: { KeyType: 'AWS_OWNED_KEY' },
      IssuerConfiguration: { Type: 'ORIGINAL' },
      AcrConfiguration: { level1: { AcrValue: 'urn:example:low' } },
    });
  });

  it.each([
    {
      case: 'drops UnusedAccountValidityDays when TemporaryPasswordValidityDays supersedes it',
      pool: {
        Id: 'us-east-1_a1',
        Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 3 } },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
      },
      expected: { AllowAdminCreateUserOnly: false },
    },
    {
      case: 'keeps UnusedAccountValidityDays when the password policy has no temporary validity',
      pool: {
        Id: 'us-east-1_a1',
        Policies: { PasswordPolicy: { MinimumLength: 8 } },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
      },
      expected: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
    },
  ])('$case', ({ pool, expected }) => {
    // Act
    const input = buildUpdateUserPoolInput(pool as UserPoolType);

    // Assess
    expect(input.AdminCreateUserConfig).toEqual(expected);
  });

  it('leaves out what the pool does not have instead of sending empty values', () => {
    // Act
    const input = buildUpdateUserPoolInput({ Id: 'us-east-1_a1', Name: 'bare', MfaConfiguration: 'OFF' });

    // Assess
    expect(input).toEqual({ UserPoolId: 'us-east-1_a1', PoolName: 'bare', MfaConfiguration: 'OFF' });
  });

  it('returns a copy that does not share objects with the description', () => {
    // Prepare
    const pool = structuredClone(FULL_POOL);

    // Act
    const input = buildUpdateUserPoolInput(pool);
    input.LambdaConfig!.PreSignUp = 'arn:aws:lambda:eu-west-1:123456789012:function:ours';
    input.UserPoolTags!.team = 'changed';

    // Assess
    expect(pool.LambdaConfig).toEqual({
      PostConfirmation: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome',
    });
    expect(pool.UserPoolTags).toEqual({ team: 'identity' });
  });

  it('refuses a description without a pool id', () => {
    // Act / Assess
    expect(() => buildUpdateUserPoolInput({ Name: 'no id' })).toThrow('no Id');
  });
});
