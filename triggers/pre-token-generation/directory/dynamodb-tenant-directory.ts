import type {
  AttributeValue,
  BatchGetItemCommandOutput,
  DynamoDBClient,
  KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import { abortReason, raceDeadline } from '../../../shared/deadline.js';
import { BatchGetItemCommand, QueryCommand } from '../../../shared/dynamodb.js';
import {
  toPrincipalKey,
  type Tenant,
  type TenantDirectory,
  type TenantLookup,
  type TenantMembership,
  type TenantPrincipal,
} from './tenant-directory.js';

// Moved to shared/ (PostConfirmation uses it too); re-exported so existing imports keep working.
export {
  createTenantTableClient,
  type TenantTableClientConfig,
} from '../../../shared/tenant-table-client.js';

type Item = Record<string, AttributeValue>;

const TENANT_PREFIX = 'TENANT#';
const TENANT_SORT_KEY = 'TENANT';
/** BatchGetItem takes at most 100 keys per request. */
const BATCH_GET_LIMIT = 100;
/** Pause before re-asking for UnprocessedKeys (doubles each round, capped); the signal bounds the total. */
const UNPROCESSED_BACKOFF_MS = 25;
const UNPROCESSED_BACKOFF_MAX_MS = 400;

export interface DynamoDbTenantDirectoryConfig {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * A {@link TenantDirectory} on the contract's table: one Query for the principal's memberships, one
 * BatchGetItem for their tenants (more only for UnprocessedKeys or over 100 memberships). Never a Scan.
 */
export function createDynamoDbTenantDirectory(config: DynamoDbTenantDirectoryConfig): TenantDirectory {
  const { client, tableName } = config;

  const queryMemberships = async (principalKey: string, signal: AbortSignal): Promise<Item[]> => {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await raceDeadline(
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tenant)',
            ExpressionAttributeValues: { ':pk': { S: principalKey }, ':tenant': { S: TENANT_PREFIX } },
            ExpressionAttributeNames: { '#role': 'role', '#default': 'default' },
            ProjectionExpression: 'sk, #role, #default',
            ExclusiveStartKey: startKey,
          }),
          { abortSignal: signal },
        ),
        signal,
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  };

  const getTenants = async (
    tenantIds: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, Tenant>> => {
    const tenants = new Map<string, Tenant>();
    for (let start = 0; start < tenantIds.length; start += BATCH_GET_LIMIT) {
      let request: KeysAndAttributes | undefined = {
        Keys: tenantIds
          .slice(start, start + BATCH_GET_LIMIT)
          .map((id) => ({ pk: { S: `${TENANT_PREFIX}${id}` }, sk: { S: TENANT_SORT_KEY } })),
        ExpressionAttributeNames: { '#status': 'status', '#name': 'name', '#plan': 'plan' },
        ProjectionExpression: 'pk, #plan, #status, #name',
      };
      for (let round = 0; request !== undefined; round += 1) {
        if (round > 0)
          await sleep(
            Math.min(UNPROCESSED_BACKOFF_MS * 2 ** (round - 1), UNPROCESSED_BACKOFF_MAX_MS),
            signal,
          );
        const output: BatchGetItemCommandOutput = await raceDeadline(
          client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: request } }), {
            abortSignal: signal,
          }),
          signal,
        );
        for (const item of output.Responses?.[tableName] ?? []) {
          const tenant = toTenant(item);
          if (tenant !== undefined) tenants.set(tenant.tenantId, tenant);
        }
        const unprocessed: KeysAndAttributes | undefined = output.UnprocessedKeys?.[tableName];
        request = unprocessed?.Keys !== undefined && unprocessed.Keys.length > 0 ? unprocessed : undefined;
      }
    }
    return tenants;
  };

  return {
    async lookupMemberships(principal: TenantPrincipal, signal: AbortSignal): Promise<TenantLookup> {
      const rows = (await queryMemberships(toPrincipalKey(principal), signal))
        .map(toMembershipRow)
        .filter((row): row is MembershipRow => row !== undefined);
      if (rows.length === 0) return Object.freeze({ memberships: Object.freeze([]) });
      const tenants = await getTenants([...new Set(rows.map((row) => row.tenantId))], signal);
      const memberships: TenantMembership[] = rows.map((row) =>
        Object.freeze({ ...row, tenant: tenants.get(row.tenantId) }),
      );
      return Object.freeze({ memberships: Object.freeze(memberships) });
    },
  };
}

interface MembershipRow {
  readonly tenantId: string;
  readonly role: string;
  readonly isDefault: boolean;
}

/** A membership item; one without a tenant id or a role is not a membership (tolerant, never trusted). */
function toMembershipRow(item: Item): MembershipRow | undefined {
  const sortKey = item.sk?.S;
  const role = item.role?.S;
  if (sortKey === undefined || !sortKey.startsWith(TENANT_PREFIX) || role === undefined || role === '')
    return undefined;
  const tenantId = sortKey.slice(TENANT_PREFIX.length);
  if (tenantId === '') return undefined;
  return { tenantId, role, isDefault: item.default?.BOOL === true };
}

function toTenant(item: Item): Tenant | undefined {
  const partitionKey = item.pk?.S;
  if (partitionKey === undefined || !partitionKey.startsWith(TENANT_PREFIX)) return undefined;
  const tenant: { -readonly [K in keyof Tenant]: Tenant[K] } = {
    tenantId: partitionKey.slice(TENANT_PREFIX.length),
    // A missing status is not `active`, so the tenant stays out of tokens.
    status: item.status?.S ?? '',
  };
  if (item.plan?.S !== undefined) tenant.plan = item.plan.S;
  if (item.name?.S !== undefined) tenant.name = item.name.S;
  return Object.freeze(tenant);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
