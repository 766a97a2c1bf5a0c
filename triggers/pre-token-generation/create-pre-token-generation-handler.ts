import type {
  PreTokenGenerationTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  PreTokenGenerationV3TriggerEvent,
} from 'aws-lambda';
import {
  createTriggerHandlerWithSettings,
  readTriggerConfigAndSettings,
  type TriggerHandler,
  type TriggerHandlerOptions,
} from '../../shared/trigger-handler.js';
import { PRE_TOKEN_GENERATION_SOURCES } from '../../shared/trigger-sources.js';
import { readTenantClaimsConfig } from './config.js';
import {
  createDynamoDbTenantDirectory,
  createTenantTableClient,
} from './directory/dynamodb-tenant-directory.js';
import { createTenantCache } from './directory/tenant-cache.js';
import type { TenantDirectory, TenantLookup } from './directory/tenant-directory.js';
import { COUNTERS_BY_SOURCE, createTenantClaimsResolver } from './resolve-tenant-claims.js';
import { checkPort } from '../../shared/config.js';
import { createDynamoDbProvisioningStore } from '../../shared/tenant-provisioning/dynamodb-provisioning-store.js';
import { describeProvisioning } from '../../shared/tenant-provisioning/provision-tenant.js';
import type { TenantProvisioningStore } from '../../shared/tenant-provisioning/provisioning-store.js';

/** Every event this trigger accepts: version 1 (ID token), 2 (ID and access tokens) and 3 (adds M2M). */
export type PreTokenGenerationEvent =
  PreTokenGenerationTriggerEvent | PreTokenGenerationV2TriggerEvent | PreTokenGenerationV3TriggerEvent;

/** What `createPreTokenGenerationHandler` takes; everything is optional. */
export interface PreTokenGenerationHandlerOptions extends TriggerHandlerOptions {
  /**
   * A tenant directory of your own (another table layout, an API); when given, the DynamoDB client is
   * not built, though `TENANT_TABLE_NAME` is still read. The cache and the failure policies apply as bundled.
   */
  readonly directory?: TenantDirectory;
  /**
   * With `ON_MISSING_TENANT=provision`: where the domain rules are read and memberships written (the
   * PostConfirmation rule at token time); default: the tenant table through DynamoDB.
   */
  readonly provisioner?: TenantProvisioningStore;
}

/**
 * The PreTokenGeneration handler, fail-closed: tenant claims from the tenant directory, cached per
 * container. Configuration is read from `env` once, here (cold start); nothing happens at import.
 *
 * @example
 * ```ts
 * import { createPreTokenGenerationHandler } from 'cognito-trigger-kit/pre-token-generation';
 * export const handler = createPreTokenGenerationHandler({ directory: myTenantDirectory });
 * ```
 */
export function createPreTokenGenerationHandler(
  options: PreTokenGenerationHandlerOptions = {},
): TriggerHandler<PreTokenGenerationEvent> {
  const env = options.env ?? process.env;
  checkPort('directory', options.directory, ['lookupMemberships']);
  checkPort('provisioner', options.provisioner, ['readDomainRule', 'grantMembershipIfAbsent']);
  // The shared settings are read once, with the config, and handed to the handler below.
  const { config, settings } = readTriggerConfigAndSettings(
    (settings) => readTenantClaimsConfig(env, settings),
    env,
    options.deadlineSettings,
  );
  const provisioning = config.onMissingTenant === 'provision';
  // Built only when something uses it: a custom directory without provisioning needs no DynamoDB client.
  const client =
    options.directory === undefined || (provisioning && options.provisioner === undefined)
      ? createTenantTableClient(config.dynamoDb)
      : undefined;
  const directory =
    options.directory ??
    createDynamoDbTenantDirectory({
      client: client as NonNullable<typeof client>,
      tableName: config.tableName,
    });
  // ON_MISSING_TENANT=provision: the same rule and conditional write as PostConfirmation.
  const provisioner = !provisioning
    ? undefined
    : (options.provisioner ??
      createDynamoDbProvisioningStore({
        client: client as NonNullable<typeof client>,
        tableName: config.tableName,
        writer: 'pre-token-generation',
      }));
  const resolver = createTenantClaimsResolver({
    directory,
    provisioner,
    // Per handler (so per container): survives warm invocations, holds per-principal entries only.
    cache: createTenantCache<TenantLookup>({
      ...config.cache,
      isNegative: (lookup) => lookup.memberships.length === 0,
    }),
    config,
  });

  return createTriggerHandlerWithSettings<PreTokenGenerationEvent>(
    {
      name: 'pre-token-generation',
      failMode: 'closed',
      triggerSources: PRE_TOKEN_GENERATION_SOURCES,
      handle: async (event, { deadline, logger, metrics }) => {
        const outcome = await resolver.resolve(event, deadline);
        for (const counter of COUNTERS_BY_SOURCE[outcome.source]) metrics.count(counter);
        if (outcome.failure !== undefined) {
          logger.warn('Tenant lookup failed; applied ON_LOOKUP_FAILURE', {
            source: outcome.source,
            error: outcome.failure,
          });
        }
        if (outcome.provisioning !== undefined) {
          const { message, fields } = describeProvisioning(outcome.provisioning);
          logger.info(`${message} at token time`, fields);
        }
        if (outcome.trimmed) logger.warn('tenant_ids left out to stay within TENANT_CLAIMS_MAX_BYTES');
        logger.debug('Tenant claims decided', { source: outcome.source });
        (event as { response: unknown }).response = outcome.response;
        return event;
      },
    },
    { env, logger: options.logger, tracer: options.tracer, metrics: options.metrics },
    settings,
  );
}
