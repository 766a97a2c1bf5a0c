import type { UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

/** Every field UpdateUserPool takes besides the pool id. */
export type UpdatableField = Exclude<keyof UpdateUserPoolRequest, 'UserPoolId'>;

type FieldSource = { readonly [K in UpdatableField]-?: (pool: UserPoolType) => UpdateUserPoolRequest[K] };

// A mapped type over every request key: when the SDK adds a field to UpdateUserPoolRequest, the
// build fails here until someone decides how to carry it over (UpdateUserPool resets what it omits).
const FIELD_SOURCES: FieldSource = {
  Policies: (pool) => pool.Policies,
  DeletionProtection: (pool) => pool.DeletionProtection,
  LambdaConfig: (pool) => pool.LambdaConfig,
  AutoVerifiedAttributes: (pool) => pool.AutoVerifiedAttributes,
  SmsVerificationMessage: (pool) => pool.SmsVerificationMessage,
  EmailVerificationMessage: (pool) => pool.EmailVerificationMessage,
  EmailVerificationSubject: (pool) => pool.EmailVerificationSubject,
  VerificationMessageTemplate: (pool) => pool.VerificationMessageTemplate,
  SmsAuthenticationMessage: (pool) => pool.SmsAuthenticationMessage,
  UserAttributeUpdateSettings: (pool) => pool.UserAttributeUpdateSettings,
  // OFF | ON | OPTIONAL only. Which factors are enabled (software token, email, WebAuthn) is set by
  // SetUserPoolMfaConfig, is not part of UpdateUserPool, and is therefore not reset by it.
  MfaConfiguration: (pool) => pool.MfaConfiguration,
  DeviceConfiguration: (pool) => pool.DeviceConfiguration,
  EmailConfiguration: (pool) => pool.EmailConfiguration,
  SmsConfiguration: (pool) => pool.SmsConfiguration,
  UserPoolTags: (pool) => pool.UserPoolTags,
  AdminCreateUserConfig: (pool) => withoutSupersededValidityDays(pool),
  UserPoolAddOns: (pool) => pool.UserPoolAddOns,
  DcrConfiguration: (pool) => pool.DcrConfiguration,
  AccountRecoverySetting: (pool) => pool.AccountRecoverySetting,
  PoolName: (pool) => pool.Name,
  UserPoolTier: (pool) => pool.UserPoolTier,
  KeyConfiguration: (pool) => pool.KeyConfiguration,
  IssuerConfiguration: (pool) => pool.IssuerConfiguration,
  AcrConfiguration: (pool) => pool.AcrConfiguration,
};

/** The UpdateUserPool fields this tool carries over from DescribeUserPool. */
export const UPDATABLE_FIELDS: readonly UpdatableField[] = Object.freeze(
  Object.keys(FIELD_SOURCES) as UpdatableField[],
);

/**
 * DescribeUserPool fields that UpdateUserPool cannot set: read-only, fixed at creation, or changed
 * by another API (schema: AddCustomAttributes; domains: CreateUserPoolDomain). `Name` is not here:
 * it is carried over as `PoolName`.
 */
export const DESCRIBE_ONLY_FIELDS: readonly (keyof UserPoolType)[] = Object.freeze([
  'Id',
  'Arn',
  'Status',
  'LastModifiedDate',
  'CreationDate',
  'SchemaAttributes',
  'AliasAttributes',
  'UsernameAttributes',
  'UsernameConfiguration',
  'EstimatedNumberOfUsers',
  'SmsConfigurationFailure',
  'EmailConfigurationFailure',
  'Domain',
  'CustomDomain',
]);

/** The complete UpdateUserPool input that leaves the described pool exactly as it is. */
export function buildUpdateUserPoolInput(pool: UserPoolType): UpdateUserPoolRequest {
  if (!pool.Id) throw new TypeError('the described user pool has no Id');
  const input: Record<string, unknown> = { UserPoolId: pool.Id };
  for (const field of UPDATABLE_FIELDS) {
    const value = FIELD_SOURCES[field](pool);
    // structuredClone: the input must never alias the description it is later compared with.
    if (value !== undefined && value !== null) input[field] = structuredClone(value);
  }
  return input as unknown as UpdateUserPoolRequest;
}

// DescribeUserPool still reports the deprecated UnusedAccountValidityDays, and UpdateUserPool refuses
// it next to PasswordPolicy.TemporaryPasswordValidityDays ("Please use TemporaryPasswordValidityDays
// in PasswordPolicy instead of UnusedAccountValidityDays"), which supersedes it.
function withoutSupersededValidityDays(pool: UserPoolType): UserPoolType['AdminCreateUserConfig'] {
  const config = pool.AdminCreateUserConfig;
  if (!config || pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays === undefined) return config;
  const { UnusedAccountValidityDays: _superseded, ...rest } = config;
  return rest;
}
