import { readFileSync } from 'node:fs';
import {
  createLocalDynamoDbClient,
  createTenantTable,
  domainRuleItem,
  startDynalite,
  membershipItem,
  seedTenantItems,
  tenantItem,
} from '../lib/local-dynamodb.js';
import { sandboxSubOf } from './emulate-cognito.js';

export interface TenantSeed {
  readonly tenants: readonly { tenantId: string; name?: string; plan: string; status: string }[];
  readonly memberships: readonly { email: string; tenantId: string; role: string; default?: boolean }[];
  /** Domain rules (CONTRACT.md, PostConfirmation): `domain` in canonical form, `role` defaults to member. */
  readonly domainRules?: readonly { domain: string; tenantId: string; role?: string }[];
  /** Memberships keyed as they are (`USER#<sub>`, `CLIENT#<app client id>`), for the recorded events. */
  readonly fixtures?: readonly { pk: string; tenantId: string; role: string; default?: boolean }[];
}

export const TENANT_SEED_FILE = new URL('./seed/tenants.json', import.meta.url);

export interface TenantTable {
  /** The DynamoDB endpoint (`AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

/** Starts dynalite (in memory) with the contract's tenant table, seeded from `seed/tenants.json`. */
export async function startTenantTable(options: {
  port: number;
  tableName: string;
  host?: string;
}): Promise<TenantTable> {
  const db = await startDynalite({ host: options.host, port: options.port });
  const { endpoint } = db;
  const client = createLocalDynamoDbClient(endpoint);
  try {
    await createTenantTable(client, options.tableName);
    await seedTenantItems(client, options.tableName, tenantItemsOf(readTenantSeed()));
  } finally {
    client.destroy();
  }
  return { endpoint, tableName: options.tableName, stop: () => db.stop() };
}

export function readTenantSeed(): TenantSeed {
  return JSON.parse(readFileSync(TENANT_SEED_FILE, 'utf8')) as TenantSeed;
}

/** The seed as table items; a member's key is the sub the sandbox gives that email. */
export function tenantItemsOf(seed: TenantSeed): ReturnType<typeof tenantItem>[] {
  return [
    ...seed.tenants.map((tenant) => tenantItem(tenant.tenantId, tenant.plan, tenant.status, tenant.name)),
    ...seed.memberships.map((member) =>
      membershipItem(sandboxSubOf(member.email), member.tenantId, member.role, member.default),
    ),
    ...(seed.domainRules ?? []).map((rule) => domainRuleItem(rule.domain, rule.tenantId, rule.role)),
    ...(seed.fixtures ?? []).map((member) => ({
      pk: member.pk,
      sk: `TENANT#${member.tenantId}`,
      role: member.role,
      ...(member.default === undefined ? {} : { default: member.default }),
    })),
  ];
}
