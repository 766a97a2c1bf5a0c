import { createEnvReader, type Env } from '../../shared/config.js';
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

/** Reads and checks the trigger's configuration once; throws one ConfigError naming every bad variable. */
export function readTenantClaimsConfig(env: Env = process.env): TenantClaimsConfig {
  const reader = createEnvReader(env);
  const tableName = reader.string('TENANT_TABLE_NAME', { required: true });
  const onLookupFailure = reader.oneOf('ON_LOOKUP_FAILURE', ['deny', 'stale', 'omit'] as const, {
    default: 'deny',
  });
  const onMissingTenant = reader.oneOf('ON_MISSING_TENANT', ['omit', 'deny', 'provision'] as const, {
    default: 'deny',
  });
  const groups = reader.oneOf('GROUP_OVERRIDE', ['preserve', 'suppress'] as const, { default: 'preserve' });
  const prefix = reader.string('TENANT_CLAIM_PREFIX', { default: '' });
  const maxClaimsBytes = reader.number('TENANT_CLAIMS_MAX_BYTES', {
    default: 1_024,
    min: 128,
    max: 8_192,
    integer: true,
  });
  const ttlSeconds = reader.number('TENANT_CACHE_TTL_SECONDS', {
    default: 300,
    min: 0,
    max: 86_400,
    integer: true,
  });
  const negativeTtlSeconds = reader.number('TENANT_NEGATIVE_CACHE_TTL_SECONDS', {
    default: 30,
    min: 0,
    max: 86_400,
    integer: true,
  });
  const staleMaxSeconds = reader.number('TENANT_STALE_MAX_SECONDS', {
    default: 900,
    min: 0,
    max: 86_400,
    integer: true,
  });
  const maxEntries = reader.number('TENANT_CACHE_MAX_ENTRIES', {
    default: 10_000,
    min: 1,
    max: 1_000_000,
    integer: true,
  });
  let claimNames: TenantClaimNames | undefined;
  try {
    claimNames = toTenantClaimNames(prefix);
  } catch (error) {
    if (!(error instanceof ReservedClaimError)) throw error;
    reader.problem('TENANT_CLAIM_PREFIX', `makes a claim name Cognito reserves or refuses ("${prefix}")`);
  }
  const dynamoDb = readTenantTableClientConfig(reader);
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
