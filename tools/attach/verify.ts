import type { LambdaConfigType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { diffValues, type Change } from './diff.js';
import { normaliseLambdaConfig } from './lambda-config.js';

/** The MFA settings GetUserPoolMfaConfig reports (DescribeUserPool shows only OFF/ON/OPTIONAL). */
export type MfaSnapshot = Readonly<Record<string, unknown>>;

/** What the tool reads of a pool, before and after the update. */
export interface PoolSnapshot {
  readonly pool: UserPoolType;
  /** Absent when the caller may not call GetUserPoolMfaConfig. */
  readonly mfa?: MfaSnapshot | undefined;
}

export interface Verification {
  /** Settings other than LambdaConfig that differ: any entry means the pool was hurt. */
  readonly unexpected: readonly Change[];
  /** Where the stored LambdaConfig differs from the one that was sent. */
  readonly lambdaConfigMismatch: readonly Change[];
}

// Fields that change on their own: the update itself stamps LastModifiedDate, and users may sign
// up between the two reads. LambdaConfig is checked separately, against what was sent.
const IGNORED_FIELDS = new Set(['LastModifiedDate', 'EstimatedNumberOfUsers', 'LambdaConfig']);

/** The description as compared before/after: volatile fields and LambdaConfig left out. */
export function normaliseDescription(snapshot: PoolSnapshot): Record<string, unknown> {
  const pool: Record<string, unknown> = Object.fromEntries(
    Object.entries(snapshot.pool).filter(([key]) => !IGNORED_FIELDS.has(key)),
  );
  const adminCreateUser = snapshot.pool.AdminCreateUserConfig;
  if (
    adminCreateUser &&
    snapshot.pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== undefined
  ) {
    // Deprecated mirror of TemporaryPasswordValidityDays that the update cannot send back (see pool-input.ts).
    const { UnusedAccountValidityDays: _mirror, ...rest } = adminCreateUser;
    pool.AdminCreateUserConfig = rest;
  }
  if (snapshot.mfa !== undefined) pool.MfaConfig = snapshot.mfa;
  return pool;
}

/** Proves (or disproves) that the update changed LambdaConfig, as sent, and nothing else. */
export function verifyUpdate(
  before: PoolSnapshot,
  after: PoolSnapshot,
  sentLambdaConfig: LambdaConfigType | undefined,
): Verification {
  const comparableBefore = normaliseDescription(before);
  const comparableAfter = normaliseDescription(after);
  // Compare MFA factor settings only when both reads could see them.
  if ((before.mfa === undefined) !== (after.mfa === undefined)) {
    delete comparableBefore.MfaConfig;
    delete comparableAfter.MfaConfig;
  }
  return {
    unexpected: diffValues(comparableBefore, comparableAfter),
    lambdaConfigMismatch: diffValues(
      normaliseLambdaConfig(sentLambdaConfig),
      normaliseLambdaConfig(after.pool.LambdaConfig),
      'LambdaConfig',
    ),
  };
}
