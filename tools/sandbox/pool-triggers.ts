import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';

/**
 * What a pool does at a trigger point when no function is attached there, expressed as the answer the
 * sandbox gives cognito-local instead of running a function:
 * - `unchanged`: the event comes back as it was sent, which cognito-local reads exactly as "no trigger"
 *   (PreSignUp confirms nobody, PreTokenGeneration overrides no claim, CustomMessage keeps the default
 *   message, PostConfirmation does nothing);
 * - `refuse`: a function error, which cognito-local turns into what a pool without the trigger says
 *   (UserMigration: the user is not found, `NotAuthorizedException`);
 * - `cognito-delivers`: cognito-local handed the message to a custom sender and sends nothing itself, so
 *   the sandbox does what Cognito does for a pool without one: its CustomMessage trigger (if attached) or
 *   the default message, delivered (see `emulate-cognito.ts`); cognito-local gets the event unchanged.
 */
export type WhenDetached = 'unchanged' | 'refuse' | 'cognito-delivers';

/** One trigger point of a pool that the sandbox can serve: its LambdaConfig slot and the sandbox's function. */
export interface SandboxTrigger {
  /** The `LambdaConfig` slot (and cognito-local's `TriggerFunctions` key). */
  readonly slot:
    | 'PreSignUp'
    | 'UserMigration'
    | 'PreTokenGeneration'
    | 'CustomMessage'
    | 'PostConfirmation'
    | 'CustomEmailSender';
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

/**
 * The custom email sender, served only with `npm start -- --custom-sender`: cognito-local has one trigger
 * configuration for every pool, and once it has a CustomEmailSender it sends no message itself (and runs no
 * CustomMessage) for any pool, so the sandbox runs it only for a pool whose LambdaConfig attaches it.
 */
export const SANDBOX_SENDER_TRIGGER: SandboxTrigger = Object.freeze({
  slot: 'CustomEmailSender',
  functionName: 'CustomSenderFunction',
  sourcePrefix: 'CustomEmailSender_',
  whenDetached: 'cognito-delivers',
});

/** The sender's event version in a LambdaConfig (the only one Cognito has). */
const SENDER_LAMBDA_VERSION = 'V1_0';

/** cognito-local puts every pool in the region `local`; the sandbox's functions live there too. */
export const SANDBOX_FUNCTION_REGION = 'local';
const SANDBOX_ACCOUNT = '000000000000';

/** The ARN that names a sandbox function in a pool's LambdaConfig. */
export function sandboxFunctionArn(functionName: string): string {
  return `arn:aws:lambda:${SANDBOX_FUNCTION_REGION}:${SANDBOX_ACCOUNT}:function:${functionName}`;
}

/** With `npm start -- --custom-sender`: the KMS key the sandbox's pools encrypt the sender's codes with. */
export interface SandboxCustomSender {
  readonly kmsKeyArn: string;
}

/**
 * The LambdaConfig that attaches every sandbox function. The token trigger is declared `V1_0`
 * because that is the event cognito-local sends (it has no V2/V3 events). With the custom sender, both
 * sender slots and the pool's `KMSKeyID` too, as the template's pool and `npm run attach` set them.
 */
export function sandboxLambdaConfig(customSender?: SandboxCustomSender): LambdaConfigType {
  const config: LambdaConfigType = {};
  for (const trigger of SANDBOX_TRIGGERS) {
    const arn = sandboxFunctionArn(trigger.functionName);
    if (trigger.slot === 'PreTokenGeneration') {
      config.PreTokenGeneration = arn;
      config.PreTokenGenerationConfig = { LambdaArn: arn, LambdaVersion: 'V1_0' };
    } else if (trigger.slot !== 'CustomEmailSender') {
      config[trigger.slot] = arn;
    }
  }
  if (customSender) {
    const sender = { LambdaArn: sandboxFunctionArn(SANDBOX_SENDER_TRIGGER.functionName) };
    config.CustomEmailSender = { ...sender, LambdaVersion: SENDER_LAMBDA_VERSION };
    config.CustomSMSSender = { ...sender, LambdaVersion: SENDER_LAMBDA_VERSION };
    config.KMSKeyID = customSender.kmsKeyArn;
  }
  return config;
}

/** The trigger point an event is sent to, by its `triggerSource`; undefined for a source the sandbox does not serve. */
export function sandboxTriggerOf(triggerSource: string): SandboxTrigger | undefined {
  return [...SANDBOX_TRIGGERS, SANDBOX_SENDER_TRIGGER].find((trigger) =>
    triggerSource.startsWith(trigger.sourcePrefix),
  );
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
      : trigger.slot === 'CustomEmailSender'
        ? lambdaConfig.CustomEmailSender?.LambdaArn
        : lambdaConfig[trigger.slot];
  return arn ? functionNameOf(arn) : undefined;
}

/** `Name`, `Name:qualifier`, `arn:aws:lambda:region:account:function:Name[:qualifier]` -> `Name`. */
export function functionNameOf(reference: string): string {
  const parts = reference.split(':');
  if (parts[0] === 'arn') return parts[6] ?? reference;
  return parts[0]!;
}
