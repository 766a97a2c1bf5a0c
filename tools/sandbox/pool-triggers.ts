import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';

/**
 * What a pool does at a trigger point when no function is attached there, expressed as the answer the
 * sandbox gives cognito-local instead of running a function:
 * - `unchanged`: the event comes back as it was sent, which cognito-local reads exactly as "no trigger"
 *   (PreSignUp confirms nobody, PreTokenGeneration overrides no claim, CustomMessage keeps the default
 *   message, PostConfirmation does nothing);
 * - `refuse`: a function error, which cognito-local turns into what a pool without the trigger says
 *   (UserMigration: the user is not found, `NotAuthorizedException`).
 */
export type WhenDetached = 'unchanged' | 'refuse';

/** One trigger point of a pool that the sandbox can serve: its LambdaConfig slot and the sandbox's function. */
export interface SandboxTrigger {
  /** The `LambdaConfig` slot (and cognito-local's `TriggerFunctions` key). */
  readonly slot: 'PreSignUp' | 'UserMigration' | 'PreTokenGeneration' | 'CustomMessage' | 'PostConfirmation';
  /** The template's logical id, which is also the sandbox function's name. */
  readonly functionName: string;
  /** The `triggerSource` prefix of the events Cognito sends to this slot. */
  readonly sourcePrefix: string;
  readonly whenDetached: WhenDetached;
}

/**
 * The sandbox's functions, one entry per trigger point: cognito-local's trigger configuration, the
 * LambdaConfig of the sandbox's own pool and `npm run attach -- --sandbox` are all built from it.
 */
export const SANDBOX_TRIGGERS: readonly SandboxTrigger[] = Object.freeze([
  {
    slot: 'PreSignUp',
    functionName: 'PreSignUpFunction',
    sourcePrefix: 'PreSignUp_',
    whenDetached: 'unchanged',
  },
  {
    slot: 'UserMigration',
    functionName: 'UserMigrationFunction',
    sourcePrefix: 'UserMigration_',
    whenDetached: 'refuse',
  },
  {
    slot: 'PreTokenGeneration',
    functionName: 'PreTokenGenerationFunction',
    sourcePrefix: 'TokenGeneration_',
    whenDetached: 'unchanged',
  },
  {
    slot: 'CustomMessage',
    functionName: 'CustomMessageFunction',
    sourcePrefix: 'CustomMessage_',
    whenDetached: 'unchanged',
  },
  {
    slot: 'PostConfirmation',
    functionName: 'PostConfirmationFunction',
    sourcePrefix: 'PostConfirmation_',
    whenDetached: 'unchanged',
  },
]);

/** cognito-local puts every pool in the region `local`; the sandbox's functions live there too. */
export const SANDBOX_FUNCTION_REGION = 'local';
const SANDBOX_ACCOUNT = '000000000000';

/** The ARN that names a sandbox function in a pool's LambdaConfig. */
export function sandboxFunctionArn(functionName: string): string {
  return `arn:aws:lambda:${SANDBOX_FUNCTION_REGION}:${SANDBOX_ACCOUNT}:function:${functionName}`;
}

/**
 * The LambdaConfig that attaches every sandbox function. The token trigger is declared `V1_0`
 * because that is the event cognito-local sends (it has no V2/V3 events).
 */
export function sandboxLambdaConfig(): LambdaConfigType {
  const config: LambdaConfigType = {};
  for (const trigger of SANDBOX_TRIGGERS) {
    const arn = sandboxFunctionArn(trigger.functionName);
    if (trigger.slot === 'PreTokenGeneration') {
      config.PreTokenGeneration = arn;
      config.PreTokenGenerationConfig = { LambdaArn: arn, LambdaVersion: 'V1_0' };
    } else {
      config[trigger.slot] = arn;
    }
  }
  return config;
}

/** The trigger point an event is sent to, by its `triggerSource`; undefined for a source the sandbox does not serve. */
export function sandboxTriggerOf(triggerSource: string): SandboxTrigger | undefined {
  return SANDBOX_TRIGGERS.find((trigger) => triggerSource.startsWith(trigger.sourcePrefix));
}

/** The function a pool's LambdaConfig attaches at a trigger point (by name), or undefined when none is. */
export function attachedFunctionOf(
  lambdaConfig: LambdaConfigType | undefined,
  trigger: SandboxTrigger,
): string | undefined {
  if (lambdaConfig === undefined) return undefined;
  const arn =
    trigger.slot === 'PreTokenGeneration'
      ? (lambdaConfig.PreTokenGenerationConfig?.LambdaArn ?? lambdaConfig.PreTokenGeneration)
      : lambdaConfig[trigger.slot];
  return arn ? functionNameOf(arn) : undefined;
}

/** `Name`, `Name:qualifier`, `arn:aws:lambda:region:account:function:Name[:qualifier]` -> `Name`. */
export function functionNameOf(reference: string): string {
  const parts = reference.split(':');
  if (parts[0] === 'arn') return parts[6] ?? reference;
  return parts[0]!;
}
