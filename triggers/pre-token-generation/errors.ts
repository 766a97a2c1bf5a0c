import { TriggerKitError } from '../../shared/errors.js';

/**
 * A configured claim name is reserved or malformed; a fault of the deployment, never shown to a user.
 *
 * @example
 * ```ts
 * new ReservedClaimError('cognito:groups').message; // 'Claim name "cognito:groups" is reserved ...'
 * ```
 */
export class ReservedClaimError extends TriggerKitError {
  public override name = 'ReservedClaimError';
  public constructor(name: string) {
    super(`Claim name "${name}" is reserved by Cognito or malformed and cannot be set`);
  }
}

/** The added claims do not fit the size budget even without `tenant_ids`. */
export class ClaimsBudgetError extends TriggerKitError {
  public override name = 'ClaimsBudgetError';
  public constructor(bytes: number, budget: number) {
    super(`Tenant claims need ${bytes} bytes, over the budget of ${budget} bytes`);
  }
}

/** A token generation event lacks what the trigger keys on (`sub`, or the client id of an M2M event). A fault. */
export class MalformedTokenEventError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'MalformedTokenEventError';
}
