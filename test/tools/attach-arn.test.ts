import { describe, expect, it } from 'vitest';
import { checkFunctionArns, parseLambdaArn, regionOfUserPool } from '../../tools/attach/arn.js';

describe('parseLambdaArn', () => {
  it.each([
    {
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:kit-pre-sign-up',
      expected: {
        partition: 'aws',
        region: 'eu-west-1',
        account: '123456789012',
        functionName: 'kit-pre-sign-up',
        qualifier: undefined,
      },
    },
    {
      arn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:fn:live',
      expected: {
        partition: 'aws-cn',
        region: 'cn-north-1',
        account: '123456789012',
        functionName: 'fn',
        qualifier: 'live',
      },
    },
    { arn: 'kit-pre-sign-up', expected: undefined },
    { arn: 'arn:aws:lambda:eu-west-1:123456789012:layer:x', expected: undefined },
    { arn: 'arn:aws:s3:::bucket', expected: undefined },
  ])('reads $arn', ({ arn, expected }) => {
    // Act / Assess
    expect(parseLambdaArn(arn)).toEqual(expected);
  });
});

describe('regionOfUserPool', () => {
  it.each([
    {
      pool: { Arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC', Id: 'eu-west-1_AbC' },
      expected: 'eu-west-1',
    },
    { pool: { Id: 'ap-southeast-2_XyZ9' }, expected: 'ap-southeast-2' },
    { pool: { Arn: 'arn:aws:cognito-idp:local:local:userpool/local_1', Id: 'local_1' }, expected: 'local' },
    { pool: {}, expected: undefined },
  ])('finds $expected', ({ pool, expected }) => {
    // Act / Assess
    expect(regionOfUserPool(pool)).toBe(expected);
  });
});

describe('checkFunctionArns', () => {
  it('accepts functions in the pool region', () => {
    // Act
    const problems = checkFunctionArns(
      { PreSignUp: 'arn:aws:lambda:eu-west-1:123456789012:function:a' },
      'eu-west-1',
    );

    // Assess
    expect(problems).toEqual([]);
  });

  it('names every function in another region and every value that is not a Lambda ARN', () => {
    // Act
    const problems = checkFunctionArns(
      {
        PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:a',
        CustomMessage: 'my-function',
        UserMigration: 'arn:aws:lambda:eu-west-1:123456789012:function:ok',
      },
      'eu-west-1',
    );

    // Assess
    expect(problems).toEqual([
      'PreSignUp: the function is in us-east-1 but the user pool is in eu-west-1',
      'CustomMessage: "my-function" is not a Lambda function ARN',
    ]);
  });

  it('checks the sender key: a KMS key ARN in the pool region, not an alias', () => {
    // Act
    const problems = [
      ...checkFunctionArns(
        {
          CustomSender: 'arn:aws:lambda:eu-west-1:123456789012:function:sender',
          CustomSenderKmsKey: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab',
        },
        'eu-west-1',
      ),
      ...checkFunctionArns(
        {
          CustomSender: 'arn:aws:lambda:eu-west-1:123456789012:function:sender',
          CustomSenderKmsKey: 'alias/codes',
        },
        'eu-west-1',
      ),
    ];

    // Assess
    expect(problems).toEqual([
      'CustomSenderKmsKey: the key is in us-east-1 but the user pool is in eu-west-1',
      'CustomSenderKmsKey: "alias/codes" is not a KMS key ARN (an alias will not do)',
    ]);
  });
});
