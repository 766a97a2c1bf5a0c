import { TriggerKitError } from '../../shared/errors.js';

/** Adding the confirmed user to a Cognito group failed (no such group, no permission, a timeout). A fault. */
export class GroupMembershipError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'GroupMembershipError';
}
