import type { UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { ToolkitFunctions } from './lambda-config.js';
import type { MfaSnapshot } from './verify.js';

/** What the tool needs of Cognito. Adapters throw AttachError with a sentence the user can act on. */
export interface UserPoolAdmin {
  describeUserPool(userPoolId: string): Promise<UserPoolType>;
  /** Undefined when the caller may not read the MFA configuration (the proof then skips it). */
  getMfaConfig(userPoolId: string): Promise<MfaSnapshot | undefined>;
  updateUserPool(input: UpdateUserPoolRequest): Promise<void>;
}

/** Where the toolkit's function ARNs come from (`--functions`, or a stack's outputs). */
export interface FunctionSource {
  resolveFunctions(): Promise<ToolkitFunctions>;
}

/** The user in front of the tool. */
export interface Console {
  print(line: string): void;
  /** True when there is a terminal to ask on. */
  readonly canAsk: boolean;
  ask(question: string): Promise<boolean>;
}
