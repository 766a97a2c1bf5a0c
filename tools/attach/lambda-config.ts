import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';

/**
 * The toolkit's triggers, named as the `LambdaConfig` slots (and `--functions` keys). `CustomSender` is
 * one function in two slots, `CustomEmailSender` and `CustomSMSSender`, with the pool's `KMSKeyID`.
 */
export type ToolkitTrigger =
  | 'PreSignUp'
  | 'UserMigration'
  | 'PreTokenGeneration'
  | 'CustomMessage'
  | 'PostConfirmation'
  | 'CustomSender';

export const TOOLKIT_TRIGGERS: readonly ToolkitTrigger[] = Object.freeze([
  'PreSignUp',
  'UserMigration',
  'PreTokenGeneration',
  'CustomMessage',
  'PostConfirmation',
  'CustomSender',
]);

/** The `--functions` key (and ToolkitFunctions field) of the KMS key the pool encrypts sender codes with. */
export const SENDER_KEY = 'CustomSenderKmsKey';

/**
 * Function ARNs per trigger; a trigger left out is neither attached nor detached. With `CustomSender`,
 * `CustomSenderKmsKey` is the KMS key ARN that becomes the pool's `KMSKeyID`.
 */
export type ToolkitFunctions = Readonly<Partial<Record<ToolkitTrigger, string>>> & {
  readonly [SENDER_KEY]?: string;
};

/** The event version both sender slots are attached with (the only one Cognito has). */
export const SENDER_LAMBDA_VERSION = 'V1_0';
const SENDER_SLOTS = ['CustomEmailSender', 'CustomSMSSender'] as const;

/** Event version of the token trigger (V2_0 and V3_0 need the Essentials or Plus tier). */
export type TokenVersion = 'V1_0' | 'V2_0' | 'V3_0';

export const TOKEN_VERSIONS: readonly TokenVersion[] = Object.freeze(['V1_0', 'V2_0', 'V3_0']);

/** A trigger slot that holds a function that is not ours, so detach leaves it alone. */
export interface ForeignTrigger {
  readonly trigger: ToolkitTrigger;
  readonly arn: string;
}

export interface DetachPlan {
  readonly lambdaConfig: LambdaConfigType;
  readonly removed: readonly ToolkitTrigger[];
  readonly foreign: readonly ForeignTrigger[];
}

type SimpleSlot = Exclude<ToolkitTrigger, 'PreTokenGeneration' | 'CustomSender'>;
const SIMPLE_SLOTS: readonly SimpleSlot[] = [
  'PreSignUp',
  'UserMigration',
  'CustomMessage',
  'PostConfirmation',
];

/** `current` with the chosen triggers set; every other trigger, sender and key kept as it is. */
export function attachToolkitTriggers(
  current: LambdaConfigType | undefined,
  functions: ToolkitFunctions,
  tokenVersion: TokenVersion,
): LambdaConfigType {
  const next: LambdaConfigType = structuredClone(current ?? {});
  for (const slot of SIMPLE_SLOTS) {
    const arn = functions[slot];
    if (arn) next[slot] = arn;
  }
  const tokenArn = functions.PreTokenGeneration;
  if (tokenArn) {
    next.PreTokenGenerationConfig = { LambdaArn: tokenArn, LambdaVersion: tokenVersion };
    // Cognito requires the legacy field, when set, to equal PreTokenGenerationConfig.LambdaArn; only
    // V1_0 pools are meant to carry it, so for V2_0/V3_0 an old legacy ARN is dropped, not kept.
    if (tokenVersion === 'V1_0') next.PreTokenGeneration = tokenArn;
    else delete next.PreTokenGeneration;
  }
  const senderArn = functions.CustomSender;
  if (senderArn) {
    for (const slot of SENDER_SLOTS)
      next[slot] = { LambdaArn: senderArn, LambdaVersion: SENDER_LAMBDA_VERSION };
    // Cognito refuses a sender without the key it encrypts codes with (checked in args.ts).
    if (functions[SENDER_KEY]) next.KMSKeyID = functions[SENDER_KEY];
  }
  return next;
}

/** `current` without the triggers that point at our functions; a slot holding another function stays. */
export function detachToolkitTriggers(
  current: LambdaConfigType | undefined,
  functions: ToolkitFunctions,
): DetachPlan {
  const next: LambdaConfigType = structuredClone(current ?? {});
  const removed: ToolkitTrigger[] = [];
  const foreign: ForeignTrigger[] = [];
  for (const slot of SIMPLE_SLOTS) {
    const ours = functions[slot];
    const installed = next[slot];
    if (!ours || !installed) continue;
    if (installed === ours) {
      delete next[slot];
      removed.push(slot);
    } else {
      foreign.push({ trigger: slot, arn: installed });
    }
  }
  const ours = functions.PreTokenGeneration;
  const installed = next.PreTokenGenerationConfig?.LambdaArn ?? next.PreTokenGeneration;
  if (ours && installed) {
    if (installed === ours) {
      delete next.PreTokenGenerationConfig;
      if (next.PreTokenGeneration === ours) delete next.PreTokenGeneration;
      removed.push('PreTokenGeneration');
    } else {
      foreign.push({ trigger: 'PreTokenGeneration', arn: installed });
    }
  }
  const sender = functions.CustomSender;
  if (sender) {
    let removedSender = false;
    for (const slot of SENDER_SLOTS) {
      const installedSender = next[slot]?.LambdaArn;
      if (!installedSender) continue;
      if (installedSender === sender) {
        delete next[slot];
        removedSender = true;
      } else {
        foreign.push({ trigger: 'CustomSender', arn: installedSender });
      }
    }
    // The key goes only with the last sender slot, and only when it is the one we attached.
    const senderLeft = SENDER_SLOTS.some((slot) => next[slot] !== undefined);
    if (removedSender && !senderLeft && (!functions[SENDER_KEY] || next.KMSKeyID === functions[SENDER_KEY])) {
      delete next.KMSKeyID;
    }
    if (removedSender) removed.push('CustomSender');
  }
  return { lambdaConfig: next, removed, foreign };
}

/**
 * The token trigger as one shape: Cognito may report the legacy `PreTokenGeneration` next to
 * `PreTokenGenerationConfig` (they must be equal), so a legacy field equal to the config's ARN is
 * dropped before two configurations are compared.
 */
export function normaliseLambdaConfig(config: LambdaConfigType | undefined): LambdaConfigType {
  const next: LambdaConfigType = structuredClone(config ?? {});
  if (next.PreTokenGenerationConfig && next.PreTokenGeneration === next.PreTokenGenerationConfig.LambdaArn) {
    delete next.PreTokenGeneration;
  }
  return next;
}

/** The slot names (ours and others) that hold a function in `config`, for the "kept" summary. */
export function listInstalledTriggers(config: LambdaConfigType | undefined): string[] {
  return Object.entries(config ?? {})
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key]) => key)
    .sort();
}
