import type { UserAttributeFacts } from '../../shared/tenant-provisioning/decide-provisioning.js';

/** The fields of a PostConfirmation event the trigger reads. */
export interface PostConfirmationFacts {
  readonly triggerSource: string;
  readonly userPoolId?: unknown;
  readonly userName?: unknown;
  readonly request?: { readonly userAttributes?: UserAttributeFacts } | null;
}

/** What the trigger does for one confirmation; the tenant rule itself is decided in shared/tenant-provisioning. */
export interface PostConfirmationPlan {
  /** Apply the provisioning rule to the user's attributes. */
  readonly provision: boolean;
  /** Groups to add the user to (empty: none). */
  readonly groups: readonly string[];
  /** Where to add them: the event's pool and username. */
  readonly target?: { readonly userPoolId: string; readonly username: string };
  /** Groups are configured but the event names no pool or username to add (logged). */
  readonly groupsUnaddressable?: true;
}

/**
 * Plans a confirmation: a sign-up confirmation provisions and joins the configured groups; a
 * confirmed password reset (`PostConfirmation_ConfirmForgotPassword`) does neither.
 *
 * @example
 * ```ts
 * planPostConfirmation({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' }, ['staff']);
 * // { provision: false, groups: [] }
 * ```
 */
export function planPostConfirmation(
  event: PostConfirmationFacts,
  configuredGroups: readonly string[],
): PostConfirmationPlan {
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return { provision: false, groups: [] };
  const userPoolId = event.userPoolId;
  const username = event.userName;
  const addressable =
    typeof userPoolId === 'string' && userPoolId !== '' && typeof username === 'string' && username !== '';
  if (configuredGroups.length === 0) return { provision: true, groups: [] };
  if (!addressable) return { provision: true, groups: [], groupsUnaddressable: true };
  return { provision: true, groups: configuredGroups, target: { userPoolId, username } };
}
