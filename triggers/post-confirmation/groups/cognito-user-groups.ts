import type {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { abortReason, raceDeadline } from '../../../shared/deadline.js';
import { loadCognitoIdentityProviderModule } from '../../../shared/embedded-modules/hosted-packages.js';
import type { TenantTableClientConfig } from '../../../shared/tenant-table-client.js';
import { GroupMembershipError } from '../errors.js';
import type { UserGroups } from './user-groups.js';

interface LoadedClient {
  readonly client: CognitoIdentityProviderClient;
  readonly Command: typeof AdminAddUserToGroupCommand;
}

export interface CognitoUserGroupsConfig {
  /** Request timeout, connection timeout and attempts, as for the tenant table's client. */
  readonly clients: TenantTableClientConfig;
  /** A client of your own (tests: one pointed at cognito-local); default: a new one. */
  readonly client?: CognitoIdentityProviderClient;
}

/**
 * {@link UserGroups} through Cognito's `AdminAddUserToGroup`. The SDK client is loaded when this is
 * called (the cold start), and only when groups are configured; it honours `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`.
 * It comes from its embedded copy (the client and that one command, on the bundle's own SDK stack), so a
 * function without groups does not parse it at cold start.
 *
 * @example
 * ```ts
 * const groups = createCognitoUserGroups({ clients: config.clients });
 * await groups.addUserToGroup({ userPoolId, username }, 'customers', deadline.signal);
 * ```
 */
export function createCognitoUserGroups(config: CognitoUserGroupsConfig): UserGroups {
  const loading: Promise<LoadedClient> = loadCognitoIdentityProviderModule().then((sdk) => ({
    client:
      config.client ??
      new sdk.CognitoIdentityProviderClient({
        maxAttempts: config.clients.maxAttempts,
        requestHandler: {
          requestTimeout: config.clients.requestTimeoutMs,
          throwOnRequestTimeout: true,
          connectionTimeout: config.clients.connectionTimeoutMs,
        },
      }),
    Command: sdk.AdminAddUserToGroupCommand,
  }));
  // A failed load shows on the first use, as a fault of that invocation.
  loading.catch(() => undefined);
  return {
    async addUserToGroup(target, group, signal) {
      try {
        const { client, Command } = await raceDeadline(loading, signal);
        await raceDeadline(
          client.send(
            new Command({ UserPoolId: target.userPoolId, Username: target.username, GroupName: group }),
            { abortSignal: signal },
          ),
          signal,
        );
      } catch (error) {
        if (signal.aborted) throw abortReason(signal);
        throw new GroupMembershipError('AdminAddUserToGroup failed', { cause: error });
      }
    },
  };
}
