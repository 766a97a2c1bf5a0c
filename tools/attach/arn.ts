import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { SENDER_KEY, type ToolkitFunctions, type ToolkitTrigger } from './lambda-config.js';

/** The parts of a Lambda function ARN (`arn:aws:lambda:eu-west-1:123456789012:function:name[:alias]`). */
export interface LambdaArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly functionName: string;
  readonly qualifier?: string | undefined;
}

const LAMBDA_ARN =
  /^arn:([a-z-]+):lambda:([a-z0-9-]+):(\d{12}|[a-z0-9-]+):function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9$_-]+))?$/;
const USER_POOL_ID = /^([\w-]+)_[0-9a-zA-Z]+$/;
const KMS_KEY_ARN = /^arn:[a-z-]+:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;
const USER_POOL_ARN = /^arn:[a-z-]+:cognito-idp:([a-z0-9-]+):/;

/** The parts of a Lambda function ARN, or undefined when `arn` is not one. */
export function parseLambdaArn(arn: string): LambdaArn | undefined {
  const match = LAMBDA_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = '', region = '', account = '', functionName = '', qualifier] = match;
  return { partition, region, account, functionName, qualifier };
}

/** The region a pool id names (`eu-west-1_AbC123` -> `eu-west-1`), or undefined. */
export function regionOfUserPoolId(userPoolId: string): string | undefined {
  return USER_POOL_ID.exec(userPoolId)?.[1];
}

/** The pool's region: from its ARN when described, else from its id. */
export function regionOfUserPool(pool: Pick<UserPoolType, 'Arn' | 'Id'>): string | undefined {
  const fromArn = pool.Arn ? USER_POOL_ARN.exec(pool.Arn)?.[1] : undefined;
  return fromArn ?? (pool.Id ? regionOfUserPoolId(pool.Id) : undefined);
}

/** One sentence per function that is not a Lambda ARN or lives outside the pool's region. */
export function checkFunctionArns(functions: ToolkitFunctions, poolRegion: string | undefined): string[] {
  const problems: string[] = [];
  const keyArn = functions[SENDER_KEY];
  if (keyArn) {
    const keyRegion = KMS_KEY_ARN.exec(keyArn)?.[1];
    if (keyRegion === undefined)
      problems.push(`${SENDER_KEY}: "${keyArn}" is not a KMS key ARN (an alias will not do)`);
    else if (poolRegion && keyRegion !== poolRegion) {
      problems.push(`${SENDER_KEY}: the key is in ${keyRegion} but the user pool is in ${poolRegion}`);
    }
  }
  for (const [trigger, arn] of Object.entries(functions) as [ToolkitTrigger, string | undefined][]) {
    if (!arn || (trigger as string) === SENDER_KEY) continue;
    const parsed = parseLambdaArn(arn);
    if (!parsed) {
      problems.push(`${trigger}: "${arn}" is not a Lambda function ARN`);
    } else if (poolRegion && parsed.region !== poolRegion) {
      // Cognito invokes triggers only in the pool's own region.
      problems.push(`${trigger}: the function is in ${parsed.region} but the user pool is in ${poolRegion}`);
    }
  }
  return problems;
}
