import type { LambdaConfigType, UpdateUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { AttachOptions } from './args.js';
import { checkFunctionArns, regionOfUserPool } from './arn.js';
import { diffValues, formatChanges } from './diff.js';
import { AttachError } from './errors.js';
import {
  attachToolkitTriggers,
  detachToolkitTriggers,
  listInstalledTriggers,
  type ToolkitFunctions,
} from './lambda-config.js';
import { buildUpdateUserPoolInput } from './pool-input.js';
import type { Console, FunctionSource, UserPoolAdmin } from './ports.js';
import { verifyUpdate, type PoolSnapshot } from './verify.js';

export type AttachStatus = 'dry-run' | 'unchanged' | 'declined' | 'applied' | 'verification-failed';

export interface AttachOutcome {
  readonly status: AttachStatus;
  readonly exitCode: 0 | 1 | 3;
}

export interface AttachDeps {
  readonly admin: UserPoolAdmin;
  readonly functions: FunctionSource;
  readonly console: Console;
}

const OUTCOMES: Readonly<Record<AttachStatus, AttachOutcome>> = {
  'dry-run': { status: 'dry-run', exitCode: 0 },
  unchanged: { status: 'unchanged', exitCode: 0 },
  declined: { status: 'declined', exitCode: 1 },
  applied: { status: 'applied', exitCode: 0 },
  'verification-failed': { status: 'verification-failed', exitCode: 3 },
};

/** Attach (or detach) the toolkit's triggers: plan, show, confirm, apply, read back, prove. */
export async function runAttach(options: AttachOptions, deps: AttachDeps): Promise<AttachOutcome> {
  const { admin, console: out } = deps;
  const functions = await deps.functions.resolveFunctions();
  const before = await readSnapshot(admin, options.userPoolId);
  const pool = before.pool;
  const poolRegion = regionOfUserPool(pool);

  const problems = checkFunctionArns(functions, poolRegion);
  if (!options.detach) problems.push(...checkTier(functions, options, pool.UserPoolTier));
  if (problems.length > 0)
    throw new AttachError(`Cannot ${verb(options)} these functions:\n  ${problems.join('\n  ')}`);

  const current = buildUpdateUserPoolInput(pool);
  const lambdaConfig = planLambdaConfig(current.LambdaConfig, functions, options, out);
  const planned: UpdateUserPoolRequest = { ...current, LambdaConfig: lambdaConfig };
  const changes = diffValues(current, planned);

  out.print(`User pool ${pool.Id} (${pool.Name ?? 'unnamed'}) in ${poolRegion ?? 'an unknown region'}`);
  if (changes.length === 0) {
    out.print(`Nothing to change: the triggers are already ${options.detach ? 'detached' : 'attached'}.`);
    return OUTCOMES.unchanged;
  }
  out.print(
    `Planned change (${changes.length} line${changes.length === 1 ? '' : 's'}; every other setting is sent back as it is):`,
  );
  for (const line of formatChanges(changes)) out.print(`  ${line}`);
  const kept = listInstalledTriggers(lambdaConfig);
  out.print(`LambdaConfig after the change: ${kept.length > 0 ? kept.join(', ') : '(empty)'}`);

  if (options.dryRun) {
    out.print('Dry run: nothing was changed.');
    return OUTCOMES['dry-run'];
  }
  if (!options.yes) {
    if (!out.canAsk) {
      throw new AttachError(
        'Refusing to change the user pool without confirmation: run it on a terminal, or pass --yes.',
      );
    }
    if (!(await out.ask(`Apply this change to ${pool.Id}? [y/N] `))) {
      out.print('Not applied: nothing was changed.');
      return OUTCOMES.declined;
    }
  }

  // Someone may have changed the pool while the question was open; sending the old settings back
  // would silently undo their change.
  const latest = await readSnapshot(admin, options.userPoolId);
  const drift = verifyUpdate(before, latest, pool.LambdaConfig);
  if (drift.unexpected.length > 0 || drift.lambdaConfigMismatch.length > 0) {
    throw new AttachError(
      'The user pool changed since it was read; nothing was changed. Run the command again.',
    );
  }

  await admin.updateUserPool(planned);
  const after = await readSnapshot(admin, options.userPoolId);
  const verification = verifyUpdate(before, after, lambdaConfig);
  if (verification.unexpected.length > 0 || verification.lambdaConfigMismatch.length > 0) {
    out.print('The update was applied, but reading the pool back shows differences that were not planned:');
    for (const line of formatChanges([...verification.unexpected, ...verification.lambdaConfigMismatch]))
      out.print(`  ${line}`);
    out.print('Review these settings in the console; the lines above show the value before -> after.');
    return OUTCOMES['verification-failed'];
  }
  const mfaNote =
    after.mfa === undefined ? ' (MFA factor settings not checked: no cognito-idp:GetUserPoolMfaConfig)' : '';
  out.print(`Applied and verified: only LambdaConfig changed, as planned${mfaNote}.`);
  return OUTCOMES.applied;
}

function planLambdaConfig(
  current: LambdaConfigType | undefined,
  functions: ToolkitFunctions,
  options: AttachOptions,
  out: Console,
): LambdaConfigType {
  if (!options.detach) return attachToolkitTriggers(current, functions, options.tokenVersion);
  const plan = detachToolkitTriggers(current, functions);
  for (const { trigger, arn } of plan.foreign) {
    out.print(`Left in place: ${trigger} points at ${arn}, which is not our function.`);
  }
  return plan.lambdaConfig;
}

function checkTier(functions: ToolkitFunctions, options: AttachOptions, tier: string | undefined): string[] {
  if (!functions.PreTokenGeneration || options.tokenVersion === 'V1_0' || tier !== 'LITE') return [];
  return [
    `PreTokenGeneration: the ${options.tokenVersion} event needs the Essentials or Plus tier and the pool is on LITE; ` +
      'pass --token-version V1_0 or change the pool tier first',
  ];
}

async function readSnapshot(admin: UserPoolAdmin, userPoolId: string): Promise<PoolSnapshot> {
  const [pool, mfa] = await Promise.all([admin.describeUserPool(userPoolId), admin.getMfaConfig(userPoolId)]);
  return { pool, mfa };
}

function verb(options: AttachOptions): string {
  return options.detach ? 'detach' : 'attach';
}
