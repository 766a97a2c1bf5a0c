import { TriggerKitError } from '../../shared/errors.js';

/** Adding the confirmed user to a Cognito group failed (no such group, no permission, a timeout). A fault. */
export class GroupMembershipError extends TriggerKitError {}
