import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { verifyUpdate, type PoolSnapshot } from '../../tools/attach/verify.js';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:kit-pre-token';
const POOL: UserPoolType = {
  Id: 'eu-west-1_AbC123',
  Name: 'customers',
  Policies: { PasswordPolicy: { MinimumLength: 14, TemporaryPasswordValidityDays: 2 } },
  MfaConfiguration: 'OPTIONAL',
  LambdaConfig: { PostConfirmation: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' },
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 2 },
  LastModifiedDate: new Date('2025-01-01T00:00:00Z'),
  EstimatedNumberOfUsers: 10,
};
const MFA = { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } };
const SENT = {
  ...POOL.LambdaConfig,
  PreTokenGenerationConfig: { LambdaArn: ARN, LambdaVersion: 'V2_0' as const },
};

function snapshot(changes: Partial<UserPoolType>, mfa: PoolSnapshot['mfa'] = MFA): PoolSnapshot {
  return { pool: { ...structuredClone(POOL), ...changes }, mfa };
}

describe('verifyUpdate', () => {
  it('accepts a pool whose only change is the LambdaConfig that was sent', () => {
    // Act
    const result = verifyUpdate(snapshot({}), snapshot({ LambdaConfig: SENT }), SENT);

    // Assess
    expect(result).toEqual({ unexpected: [], lambdaConfigMismatch: [] });
  });

  it.each([
    { case: 'LastModifiedDate', changes: { LastModifiedDate: new Date('2025-06-01T00:00:00Z') } },
    { case: 'EstimatedNumberOfUsers', changes: { EstimatedNumberOfUsers: 11 } },
    {
      case: 'the deprecated UnusedAccountValidityDays mirror',
      changes: { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } },
    },
    {
      case: 'a legacy token ARN echoed next to the config',
      changes: { LambdaConfig: { ...SENT, PreTokenGeneration: ARN } },
    },
  ])('ignores a change of $case', ({ changes }) => {
    // Act
    const result = verifyUpdate(snapshot({}), snapshot({ LambdaConfig: SENT, ...changes }), SENT);

    // Assess
    expect(result).toEqual({ unexpected: [], lambdaConfigMismatch: [] });
  });

  it.each([
    {
      case: 'a password policy reset to its default',
      after: snapshot({
        LambdaConfig: SENT,
        Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 2 } },
      }),
      expected: [{ path: 'Policies.PasswordPolicy.MinimumLength', before: 14, after: 8 }],
    },
    {
      case: 'MFA turned off',
      after: snapshot({ LambdaConfig: SENT, MfaConfiguration: 'OFF' }),
      expected: [{ path: 'MfaConfiguration', before: 'OPTIONAL', after: 'OFF' }],
    },
    {
      case: 'the software token factor disabled',
      after: snapshot({ LambdaConfig: SENT }, { ...MFA, SoftwareTokenMfaConfiguration: { Enabled: false } }),
      expected: [{ path: 'MfaConfig.SoftwareTokenMfaConfiguration.Enabled', before: true, after: false }],
    },
  ])('reports $case', ({ after, expected }) => {
    // Act
    const result = verifyUpdate(snapshot({}), after, SENT);

    // Assess
    expect(result.unexpected).toEqual(expected);
  });

  it('reports a stored LambdaConfig that differs from the one sent, such as a lost trigger', () => {
    // Act
    const result = verifyUpdate(
      snapshot({}),
      snapshot({ LambdaConfig: { PreTokenGenerationConfig: SENT.PreTokenGenerationConfig } }),
      SENT,
    );

    // Assess
    expect(result.lambdaConfigMismatch).toEqual([
      {
        path: 'LambdaConfig.PostConfirmation',
        before: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome',
        after: undefined,
      },
    ]);
  });

  it('skips the MFA factors when only one of the two reads could see them', () => {
    // Act
    const result = verifyUpdate(snapshot({}), snapshot({ LambdaConfig: SENT }, undefined), SENT);

    // Assess
    expect(result.unexpected).toEqual([]);
  });
});
