import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';

/** The toolkit's five triggers, named as the `LambdaConfig` slots (and `--functions` keys). */
export type ToolkitTrigger =
  'PreSignUp' | 'UserMigration' | 'PreTokenGeneration' | 'CustomMessage' | 'PostConfirmation';

export const TOOLKIT_TRIGGERS: readonly ToolkitTrigger[] = Object.freeze([
  'PreSignUp',
  'UserMigration',
  'PreTokenGeneration',
  'CustomMessage',
  'PostConfirmation',
]);

/** Function ARNs per trigger; a trigger left out is neither attached nor detached. */
export type ToolkitFunctions = Readonly<Partial<Record<ToolkitTrigger, string>>>;

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

type SimpleSlot = Exclude<ToolkitTrigger, 'PreTokenGeneration'>;
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
