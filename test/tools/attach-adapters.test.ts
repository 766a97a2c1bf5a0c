import { describe, expect, it } from 'vitest';
import { explainAwsError } from '../../tools/attach/cognito-admin.js';
import { AttachError } from '../../tools/attach/errors.js';
import { readFunctionsFromOutputs } from '../../tools/attach/stack-functions.js';

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('explainAwsError', () => {
  it.each([
    {
      error: awsError('ResourceNotFoundException', 'User pool eu-west-1_X does not exist.'),
      action: 'cognito-idp:DescribeUserPool',
      expected: 'User pool eu-west-1_X was not found in eu-west-1. Check --user-pool-id and --region.',
    },
    {
      error: awsError('AccessDeniedException', 'not authorized to perform: cognito-idp:UpdateUserPool'),
      action: 'cognito-idp:UpdateUserPool',
      expected:
        'Not allowed to call cognito-idp:UpdateUserPool on eu-west-1_X (AccessDeniedException: not authorized to perform: cognito-idp:UpdateUserPool). ' +
        'The caller needs cognito-idp:DescribeUserPool, cognito-idp:UpdateUserPool and cognito-idp:GetUserPoolMfaConfig on the pool.',
    },
    {
      error: awsError('InvalidParameterException', 'Invalid MFA configuration given.'),
      action: 'cognito-idp:UpdateUserPool',
      expected: 'Cognito refused the update, so nothing was changed: Invalid MFA configuration given.',
    },
    {
      error: awsError('ThrottlingException', 'Rate exceeded'),
      action: 'cognito-idp:DescribeUserPool',
      expected: 'cognito-idp:DescribeUserPool failed for eu-west-1_X: ThrottlingException: Rate exceeded',
    },
  ])('explains $error.name', ({ error, action, expected }) => {
    // Act
    const explained = explainAwsError(error, action, 'eu-west-1_X', 'eu-west-1');

    // Assess
    expect(explained).toBeInstanceOf(AttachError);
    expect(explained.message).toBe(expected);
    expect(explained.cause).toBe(error);
  });
});

describe('readFunctionsFromOutputs', () => {
  it('reads the five function ARNs from the stack outputs', () => {
    // Act
    const functions = readFunctionsFromOutputs('kit', [
      { OutputKey: 'PreSignUpFunctionArn', OutputValue: 'arn:1' },
      { OutputKey: 'UserMigrationFunctionArn', OutputValue: 'arn:2' },
      { OutputKey: 'PreTokenGenerationFunctionArn', OutputValue: 'arn:3' },
      { OutputKey: 'CustomMessageFunctionArn', OutputValue: 'arn:4' },
      { OutputKey: 'PostConfirmationFunctionArn', OutputValue: 'arn:5' },
      { OutputKey: 'UserPoolId', OutputValue: 'eu-west-1_X' },
    ]);

    // Assess
    expect(functions).toEqual({
      PreSignUp: 'arn:1',
      UserMigration: 'arn:2',
      PreTokenGeneration: 'arn:3',
      CustomMessage: 'arn:4',
      PostConfirmation: 'arn:5',
    });
  });

  it('reads the custom sender and its key when the stack has them', () => {
    // Act
    const functions = readFunctionsFromOutputs('kit', [
      { OutputKey: 'PreSignUpFunctionArn', OutputValue: 'arn:1' },
      { OutputKey: 'UserMigrationFunctionArn', OutputValue: 'arn:2' },
      { OutputKey: 'PreTokenGenerationFunctionArn', OutputValue: 'arn:3' },
      { OutputKey: 'CustomMessageFunctionArn', OutputValue: 'arn:4' },
      { OutputKey: 'CustomSenderFunctionArn', OutputValue: 'arn:5' },
      { OutputKey: 'CustomSenderKmsKeyArn', OutputValue: 'arn:key' },
    ]);

    // Assess
    expect(functions).toMatchObject({ CustomSender: 'arn:5', CustomSenderKmsKey: 'arn:key' });
  });

  it('names the key output when a stack has the sender without it', () => {
    expect(() =>
      readFunctionsFromOutputs('kit', [
        { OutputKey: 'PreSignUpFunctionArn', OutputValue: 'arn:1' },
        { OutputKey: 'UserMigrationFunctionArn', OutputValue: 'arn:2' },
        { OutputKey: 'PreTokenGenerationFunctionArn', OutputValue: 'arn:3' },
        { OutputKey: 'CustomMessageFunctionArn', OutputValue: 'arn:4' },
        { OutputKey: 'CustomSenderFunctionArn', OutputValue: 'arn:5' },
      ]),
    ).toThrow('Stack kit has no output CustomSenderKmsKeyArn.');
  });

  it('reads a stack of an older template, without PostConfirmation, as the four others', () => {
    // Act
    const functions = readFunctionsFromOutputs('kit', [
      { OutputKey: 'PreSignUpFunctionArn', OutputValue: 'arn:1' },
      { OutputKey: 'UserMigrationFunctionArn', OutputValue: 'arn:2' },
      { OutputKey: 'PreTokenGenerationFunctionArn', OutputValue: 'arn:3' },
      { OutputKey: 'CustomMessageFunctionArn', OutputValue: 'arn:4' },
    ]);

    // Assess
    expect(Object.keys(functions).sort()).toEqual([
      'CustomMessage',
      'PreSignUp',
      'PreTokenGeneration',
      'UserMigration',
    ]);
  });

  it('names every missing output at once', () => {
    // Act / Assess
    expect(() =>
      readFunctionsFromOutputs('kit', [{ OutputKey: 'PreSignUpFunctionArn', OutputValue: 'arn:1' }]),
    ).toThrow(
      'Stack kit has no output UserMigrationFunctionArn, PreTokenGenerationFunctionArn, CustomMessageFunctionArn.',
    );
  });
});
