import { createEnvReader, type Env } from '../../shared/config.js';
import { DEFAULT_DEADLINE_SETTINGS, type DeadlineSettings } from '../../shared/middleware/deadline-budget.js';
import { readTenantTableClientConfig } from '../../shared/tenant-table-client.js';
import {
  ReservedClaimError,
  toTenantClaimNames,
  type GroupPolicy,
  type LookupFailurePolicy,
  type MissingTenantSetting,
  type TenantClaimNames,
} from './build-tenant-claims.js';

export interface TenantClaimsConfig {
  readonly tableName: string;
  readonly onLookupFailure: LookupFailurePolicy;
  readonly onMissingTenant: MissingTenantSetting;
  readonly groups: GroupPolicy;
  readonly claimNames: TenantClaimNames;
  readonly maxClaimsBytes: number;
  readonly cache: {
    readonly ttlMs: number;
    readonly negativeTtlMs: number;
    readonly staleMaxMs: number;
    readonly maxEntries: number;
  };
  readonly dynamoDb: {
    readonly requestTimeoutMs: number;
    readonly connectionTimeoutMs: number;
    readonly maxAttempts: number;
  };
}

/**
 * Reads and checks the trigger's configuration once; throws one ConfigError naming every bad variable.
 * `deadline` is the deadline settings in force (see `readTriggerConfig`; the defaults when omitted or
 * themselves invalid): the DynamoDB retries must fit the budget an invocation gets from them.
 */
export function readTenantClaimsConfig(
  env: Env = process.env,
  deadline: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
): TenantClaimsConfig {
  const reader = createEnvReader(env);
  const tableName = reader.string('TENANT_TABLE_NAME', {
    required: true,
    doc: 'The tenant table (string keys `pk`, `sk`; see the table model above)',
  });
  const onLookupFailure = reader.oneOf('ON_LOOKUP_FAILURE', ['deny', 'stale', 'omit'] as const, {
    default: 'deny',
    doc: 'DynamoDB failed or was too slow: `deny` → `[TEMPORARY_FAILURE]`; `stale` → the last good value within `TENANT_STALE_MAX_SECONDS`, else deny; `omit` → no tenant claims',
  });
  const onMissingTenant = reader.oneOf('ON_MISSING_TENANT', ['omit', 'deny', 'provision'] as const, {
    default: 'deny',
    doc: '`deny` → `[TENANT_REQUIRED]`; `omit` → the token is issued without tenant claims; `provision` → the PostConfirmation domain rule first (see below), then `deny`',
  });
  const groups = reader.oneOf('GROUP_OVERRIDE', ['preserve', 'suppress'] as const, {
    default: 'preserve',
    doc: "`preserve` copies the request's groups; `suppress` strips them",
  });
  const prefix = reader.string('TENANT_CLAIM_PREFIX', {
    default: '',
    doc: 'E.g. `app:` gives `app:tenant_id`; a prefix that makes a reserved claim (`cognito:`, `dev:`) fails the cold start',
  });
  const maxClaimsBytes = reader.number('TENANT_CLAIMS_MAX_BYTES', {
    default: 1_024,
    min: 128,
    max: 8_192,
    integer: true,
    doc: 'Size budget of the added claims per token (UTF-8 JSON); over it `tenant_ids` is left out (logged)',
  });
  const ttlSeconds = reader.number('TENANT_CACHE_TTL_SECONDS', {
    default: 300,
    min: 0,
    max: 86_400,
    integer: true,
    doc: 'How long a lookup is reused in a warm container (0 = no cache)',
  });
  const negativeTtlSeconds = reader.number('TENANT_NEGATIVE_CACHE_TTL_SECONDS', {
    default: 30,
    min: 0,
    max: 86_400,
    integer: true,
    doc: 'How long "no membership" is reused (shorter, so a new member gets claims soon)',
  });
  const staleMaxSeconds = reader.number('TENANT_STALE_MAX_SECONDS', {
    default: 900,
    min: 0,
    max: 86_400,
    integer: true,
    doc: 'The oldest value `stale` may serve; at least the TTL when `ON_LOOKUP_FAILURE=stale`',
  });
  const maxEntries = reader.number('TENANT_CACHE_MAX_ENTRIES', {
    default: 10_000,
    min: 1,
    max: 1_000_000,
    integer: true,
    doc: 'Per-container cache size (least recently used goes first)',
  });
  let claimNames: TenantClaimNames | undefined;
  try {
    claimNames = toTenantClaimNames(prefix);
  } catch (error) {
    if (!(error instanceof ReservedClaimError)) throw error;
    reader.problem('TENANT_CLAIM_PREFIX', `makes a claim name Cognito reserves or refuses ("${prefix}")`);
  }
  const dynamoDb = readTenantTableClientConfig(reader, deadline);
  if (onLookupFailure === 'stale' && staleMaxSeconds < ttlSeconds) {
    reader.problem(
      'TENANT_STALE_MAX_SECONDS',
      `must be at least TENANT_CACHE_TTL_SECONDS (${ttlSeconds}) when ON_LOOKUP_FAILURE is stale, got ${staleMaxSeconds}`,
    );
  }
  reader.done();

  return Object.freeze({
    tableName,
    onLookupFailure,
    onMissingTenant,
    groups,
    claimNames: claimNames ?? toTenantClaimNames(),
    maxClaimsBytes,
    cache: Object.freeze({
      ttlMs: ttlSeconds * 1_000,
      negativeTtlMs: negativeTtlSeconds * 1_000,
      staleMaxMs: staleMaxSeconds * 1_000,
      maxEntries,
    }),
    dynamoDb,
  });
}
