import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';

type DynaliteFactory = (options?: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

// dynalite is CommonJS without types; load it the CommonJS way and type the one call we make.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

/** Credentials that a local DynamoDB accepts (it checks only that they are present). */
export const LOCAL_AWS_CREDENTIALS: { readonly accessKeyId: string; readonly secretAccessKey: string } = {
  accessKeyId: 'local',
  secretAccessKey: 'local',
};

/**
 * Starts an in-memory dynalite (a real DynamoDB API), by default on an ephemeral port of 127.0.0.1.
 *
 * @example
 * ```ts
 * const db = await startDynalite();
 * const client = createLocalDynamoDbClient(db.endpoint);
 * await createTenantTable(client, 'tenants');
 * await db.stop();
 * ```
 */
export async function startDynalite(
  options: { host?: string; port?: number } = {},
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A DynamoDB client for a local endpoint, with dummy credentials and no retries to hide errors. */
// The SDK writes bookkeeping onto the credentials object, so each client gets its own copy.
export function createLocalDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_AWS_CREDENTIALS },
    maxAttempts: 1,
  });
}

/** Creates the contract's tenant table: string keys `pk` (partition) and `sk` (sort), on demand. */
export async function createTenantTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/** A plain item: strings, numbers and booleans become S, N and BOOL attributes. */
export type PlainItem = Readonly<Record<string, string | number | boolean>>;

/** Membership item of the contract: `USER#<sub>` / `TENANT#<tenantId>`. */
export function membershipItem(sub: string, tenantId: string, role: string, isDefault?: boolean): PlainItem {
  const item: Record<string, string | boolean> = { pk: `USER#${sub}`, sk: `TENANT#${tenantId}`, role };
  if (isDefault !== undefined) item.default = isDefault;
  return item;
}

/** Tenant item of the contract: `TENANT#<tenantId>` / `TENANT`. */
export function tenantItem(
  tenantId: string,
  plan: string,
  status: 'active' | 'suspended' | string,
  name?: string,
): PlainItem {
  const item: Record<string, string> = { pk: `TENANT#${tenantId}`, sk: 'TENANT', plan, status };
  if (name !== undefined) item.name = name;
  return item;
}

/** Domain rule item of the contract: `DOMAIN#<domain>` / `TENANT`, `tenantId`, optional `role`. */
export function domainRuleItem(domain: string, tenantId: string, role?: string): PlainItem {
  const item: Record<string, string> = { pk: `DOMAIN#${domain}`, sk: 'TENANT', tenantId };
  if (role !== undefined) item.role = role;
  return item;
}

/** Every item under `USER#<sub>` (the user's memberships), as stored. */
export async function queryUserItems(
  client: DynamoDBClient,
  tableName: string,
  sub: string,
): Promise<Record<string, AttributeValue>[]> {
  const output = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `USER#${sub}` } },
    }),
  );
  return output.Items ?? [];
}

/** Writes `items` (25 per BatchWriteItem, retrying unprocessed ones). */
export async function seedTenantItems(
  client: DynamoDBClient,
  tableName: string,
  items: readonly PlainItem[],
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items
      .slice(start, start + 25)
      .map((item) => ({ PutRequest: { Item: toAttributes(item) } }));
    while (requests.length > 0) {
      const output = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (output.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

function toAttributes(item: PlainItem): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    attributes[name] =
      typeof value === 'string'
        ? { S: value }
        : typeof value === 'number'
          ? { N: String(value) }
          : { BOOL: value };
  }
  return attributes;
}

/** Creates a Powertools Idempotency table (partition key `id`, on demand), as template.yaml's sender table. */
export async function createIdempotencyTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}
