import type {
  PreTokenGenerationTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  PreTokenGenerationV3TriggerEvent,
} from 'aws-lambda';
import { createTriggerHandler, readTriggerConfig } from '../../shared/trigger-handler.js';
import { readTenantClaimsConfig } from './config.js';
import {
  createDynamoDbTenantDirectory,
  createTenantTableClient,
} from './directory/dynamodb-tenant-directory.js';
import { COUNTERS_BY_SOURCE, createTenantClaimsResolver } from './resolve-tenant-claims.js';
import { createTenantCache } from './directory/tenant-cache.js';
import type { TenantLookup } from './directory/tenant-directory.js';
import { PRE_TOKEN_GENERATION_SOURCES } from '../../shared/trigger-sources.js';

/** Every event this trigger accepts: version 1 (ID token), 2 (ID and access tokens) and 3 (adds M2M). */
export type PreTokenGenerationEvent =
  PreTokenGenerationTriggerEvent | PreTokenGenerationV2TriggerEvent | PreTokenGenerationV3TriggerEvent;

const { config, deadline: deadlineSettings } = readTriggerConfig(() => readTenantClaimsConfig());
const resolver = createTenantClaimsResolver({
  directory: createDynamoDbTenantDirectory({
    client: createTenantTableClient(config.dynamoDb),
    tableName: config.tableName,
  }),
  // Per container: survives warm invocations, holds per-principal entries only.
  cache: createTenantCache<TenantLookup>({
    ...config.cache,
    isNegative: (lookup) => lookup.memberships.length === 0,
  }),
  config,
});

export const handler = createTriggerHandler<PreTokenGenerationEvent>(
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
      if (outcome.trimmed) logger.warn('tenant_ids left out to stay within TENANT_CLAIMS_MAX_BYTES');
      logger.debug('Tenant claims decided', { source: outcome.source });
      (event as { response: unknown }).response = outcome.response;
      return event;
    },
  },
  { deadlineSettings },
);
