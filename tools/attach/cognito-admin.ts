import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  type UpdateUserPoolRequest,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AttachError } from './errors.js';
import type { FunctionSource, UserPoolAdmin } from './ports.js';
import type { ToolkitFunctions } from './lambda-config.js';
import type { MfaSnapshot } from './verify.js';

export interface AwsClientOptions {
  readonly region: string;
  /** Overrides the endpoint (cognito-local); the SDK already honours AWS_ENDPOINT_URL*. */
  readonly endpoint?: string | undefined;
}

const PERMISSION_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'NotAuthorizedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);

/** A UserPoolAdmin backed by the real Cognito API (or anything that speaks it). */
export function createCognitoUserPoolAdmin(options: AwsClientOptions): UserPoolAdmin {
  const client = new CognitoIdentityProviderClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  return {
    async describeUserPool(userPoolId: string): Promise<UserPoolType> {
      try {
        const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
        if (!UserPool) throw new AttachError(`DescribeUserPool returned no pool for ${userPoolId}.`);
        return UserPool;
      } catch (error) {
        throw explainAwsError(error, 'cognito-idp:DescribeUserPool', userPoolId, options.region);
      }
    },
    async getMfaConfig(userPoolId: string): Promise<MfaSnapshot | undefined> {
      try {
        const { $metadata: _metadata, ...mfa } = await client.send(
          new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }),
        );
        return mfa;
      } catch (error) {
        if (isPermissionError(error)) return undefined;
        throw explainAwsError(error, 'cognito-idp:GetUserPoolMfaConfig', userPoolId, options.region);
      }
    },
    async updateUserPool(input: UpdateUserPoolRequest): Promise<void> {
      try {
        await client.send(new UpdateUserPoolCommand(input));
      } catch (error) {
        throw explainAwsError(error, 'cognito-idp:UpdateUserPool', input.UserPoolId ?? '', options.region);
      }
    },
  };
}

/** The `--functions` list, as given. */
export function createStaticFunctionSource(functions: ToolkitFunctions): FunctionSource {
  return { resolveFunctions: () => Promise.resolve(functions) };
}

/** Turns an SDK error into one sentence that says what to check; keeps the original as `cause`. */
export function explainAwsError(error: unknown, action: string, resource: string, region: string): Error {
  if (error instanceof AttachError) return error;
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'ResourceNotFoundException') {
    return new AttachError(
      `User pool ${resource} was not found in ${region}. Check --user-pool-id and --region.`,
      { cause: error },
    );
  }
  if (isPermissionError(error)) {
    return new AttachError(
      `Not allowed to call ${action} on ${resource} (${name}: ${detail}). ` +
        'The caller needs cognito-idp:DescribeUserPool, cognito-idp:UpdateUserPool and cognito-idp:GetUserPoolMfaConfig on the pool.',
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new AttachError(
      `No AWS credentials found (${detail}). Set AWS_PROFILE or the AWS_* credential variables.`,
      { cause: error },
    );
  }
  if (name === 'InvalidParameterException' && action.endsWith('UpdateUserPool')) {
    return new AttachError(`Cognito refused the update, so nothing was changed: ${detail}`, { cause: error });
  }
  return new AttachError(`${action} failed for ${resource}: ${name || 'Error'}: ${detail}`, { cause: error });
}

function isPermissionError(error: unknown): boolean {
  return error instanceof Error && PERMISSION_ERRORS.has(error.name);
}
