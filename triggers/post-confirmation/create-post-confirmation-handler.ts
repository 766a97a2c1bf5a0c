import type { Logger } from '@aws-lambda-powertools/logger';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { checkPort, type Env } from '../../shared/config.js';
import type { Deadline } from '../../shared/deadline.js';
import { createTenantTableClient } from '../../shared/tenant-table-client.js';
import { createDynamoDbProvisioningStore } from '../../shared/tenant-provisioning/dynamodb-provisioning-store.js';
import {
  describeProvisioning,
  provisionTenantMembership,
  type ProvisioningOutcome,
} from '../../shared/tenant-provisioning/provision-tenant.js';
import type { TenantProvisioningStore } from '../../shared/tenant-provisioning/provisioning-store.js';
import {
  createTriggerHandlerWithSettings,
  readTriggerConfigAndSettings,
  type TriggerHandler,
  type TriggerHandlerOptions,
} from '../../shared/trigger-handler.js';
import { POST_CONFIRMATION_SOURCES } from '../../shared/trigger-sources.js';
import { readPostConfirmationConfig, type PostConfirmationConfig } from './config.js';
import { planPostConfirmation } from './decide-post-confirmation.js';
import { createCognitoUserGroups } from './groups/cognito-user-groups.js';
import type { GroupTarget, UserGroups } from './groups/user-groups.js';

export type {
  GrantResult,
  TenantProvisioningStore,
} from '../../shared/tenant-provisioning/provisioning-store.js';
export type { DomainRule, MembershipGrant } from '../../shared/tenant-provisioning/decide-provisioning.js';
export type { ProvisioningOutcome } from '../../shared/tenant-provisioning/provision-tenant.js';
export type { GroupTarget, UserGroups } from './groups/user-groups.js';

/** What `createPostConfirmationHandler` takes; everything is optional. */
export interface PostConfirmationHandlerOptions extends TriggerHandlerOptions {
  /** Where domain rules are read and memberships written; when given, TENANT_TABLE_NAME is not required. */
  readonly provisioner?: TenantProvisioningStore;
  /** How users join the POST_CONFIRMATION_GROUPS (default: Cognito's AdminAddUserToGroup). */
  readonly groups?: UserGroups;
}

/**
 * The PostConfirmation handler, fail-open: a sign-up confirmation provisions the user's tenant
 * membership from the domain rule of their verified email, and adds them to POST_CONFIRMATION_GROUPS;
 * every fault is logged and the event returned, so confirmation is never blocked by provisioning.
 *
 * @example
 * ```ts
 * // my-handler.ts: your own store, everything else as bundled
 * import { createPostConfirmationHandler } from 'cognito-trigger-kit/post-confirmation';
 * export const handler = createPostConfirmationHandler({ provisioner: myTenantStore });
 * ```
 */
export function createPostConfirmationHandler(
  options: PostConfirmationHandlerOptions = {},
): TriggerHandler<PostConfirmationTriggerEvent> {
  checkPort('provisioner', options.provisioner, ['readDomainRule', 'grantMembershipIfAbsent']);
  checkPort('groups', options.groups, ['addUserToGroup']);
  const env: Env = options.env ?? process.env;
  // The shared settings are read once, with the config, and handed to the handler below.
  const { config, settings } = readTriggerConfigAndSettings<PostConfirmationConfig>(
    (settings) =>
      readPostConfirmationConfig(env, { tableFromEnv: options.provisioner === undefined }, settings),
    env,
    options.deadlineSettings,
  );
  const provisioner =
    options.provisioner ??
    createDynamoDbProvisioningStore({
      client: createTenantTableClient(config.clients),
      tableName: config.tableName as string,
      writer: 'post-confirmation',
    });
  // The Cognito SDK is loaded only when there are groups to join.
  const groups = config.groups.length === 0 ? undefined : (options.groups ?? createCognitoUserGroups(config));

  return createTriggerHandlerWithSettings<PostConfirmationTriggerEvent>(
    {
      name: 'post-confirmation',
      failMode: 'open',
      triggerSources: POST_CONFIRMATION_SOURCES,
      handle: async (event, { deadline, logger }) => {
        const plan = planPostConfirmation(event, config.groups);
        if (!plan.provision) {
          logger.debug('Nothing to provision for this confirmation');
          return event;
        }
        if (plan.groupsUnaddressable)
          logger.warn('POST_CONFIRMATION_GROUPS skipped: the event names no user pool or username');
        // Independent of each other: a failed group does not undo a membership, nor the reverse.
        const [provisioning, ...joined] = await Promise.allSettled([
          provisionTenantMembership(event.request?.userAttributes, provisioner, deadline.signal),
          ...(groups === undefined || plan.target === undefined
            ? []
            : plan.groups.map((group) =>
                joinGroup(groups, plan.target as GroupTarget, group, deadline).then(() => group),
              )),
        ]);
        logProvisioning(logger, provisioning as PromiseSettledResult<ProvisioningOutcome>);
        joined.forEach((result, index) => {
          const group = plan.groups[index];
          if (result.status === 'fulfilled') logger.info('User added to group', { group });
          else
            logger.error('Adding the user to a group failed; confirmation goes on', {
              group,
              error: result.reason,
            });
        });
        return event;
      },
    },
    { ...options, env },
    settings,
  );
}

function joinGroup(
  groups: UserGroups,
  target: GroupTarget,
  group: string,
  deadline: Deadline,
): Promise<void> {
  return groups.addUserToGroup(target, group, deadline.signal);
}

function logProvisioning(logger: Logger, result: PromiseSettledResult<ProvisioningOutcome>): void {
  if (result.status === 'rejected') {
    logger.error('Tenant provisioning failed; confirmation goes on (PreTokenGeneration may repair it)', {
      outcome: 'provisioning-failed',
      error: result.reason,
    });
    return;
  }
  const { message, fields } = describeProvisioning(result.value);
  logger.info(message, fields);
}
