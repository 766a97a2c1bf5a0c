/** Who to add to a group: the user pool and the username exactly as the event names them. */
export interface GroupTarget {
  readonly userPoolId: string;
  readonly username: string;
}

/**
 * The group port: adds a user to a Cognito group. Adding a user who is already a member succeeds
 * (Cognito's AdminAddUserToGroup is idempotent), so a retried confirmation is harmless.
 */
export interface UserGroups {
  addUserToGroup(target: GroupTarget, group: string, signal: AbortSignal): Promise<void>;
}
