import { RejectionError } from '../../shared/errors.js';
import type { TenantLookup, TenantMembership } from './directory/tenant-directory.js';
import { ClaimsBudgetError, ReservedClaimError } from './errors.js';

/**
 * Claims Cognito refuses to let a pre token generation trigger set, from "Claims and scopes reference"
 * in the Cognito developer guide. Group claims (`cognito:groups`, `cognito:roles`,
 * `cognito:preferred_role`) are set through `groupOverrideDetails`, and `scope` through `scopesToAdd`,
 * never through `claimsToAddOrOverride`, so they are refused here too.
 */
export const RESERVED_CLAIMS = Object.freeze([
  'acr',
  'amr',
  'at_hash',
  'aud',
  'auth_time',
  'azp',
  'client_id',
  'device_key',
  'event_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
  'version',
] as const);

/** Prefixes Cognito keeps for itself (`cognito:username`, `cognito:groups`, ...) or for developer attributes. */
export const RESERVED_CLAIM_PREFIXES = Object.freeze(['cognito:', 'dev:'] as const);

export type ReservedClaimName =
  (typeof RESERVED_CLAIMS)[number] | `${(typeof RESERVED_CLAIM_PREFIXES)[number]}${string}`;

/** `N` when a trigger may set a claim of that name, `never` (a type error) for a reserved literal. */
export type SettableClaimName<N extends string> = N extends ReservedClaimName ? never : N;

const RESERVED_SET: ReadonlySet<string> = new Set(RESERVED_CLAIMS);

/** True when Cognito would refuse (or ignore) a claim of this name in `claimsToAddOrOverride`. */
export function isReservedClaim(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_SET.has(lower) || RESERVED_CLAIM_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

export { ClaimsBudgetError, ReservedClaimError } from './errors.js';

/** Returns `name` when a trigger may set it; throws {@link ReservedClaimError} otherwise. */
export function assertSettableClaim<N extends string>(name: SettableClaimName<N>): N {
  if (name.length === 0 || /\s/.test(name) || isReservedClaim(name)) throw new ReservedClaimError(name);
  return name;
}

/** The names under which the tenant claims are added (a configurable prefix may precede the defaults). */
export interface TenantClaimNames {
  readonly tenantId: string;
  readonly tenantRole: string;
  readonly tenantPlan: string;
  readonly tenantIds: string;
}

/** The claim names for a prefix, e.g. `app:` gives `app:tenant_id`; checked against the reserved list. */
export function toTenantClaimNames(prefix = ''): TenantClaimNames {
  return Object.freeze({
    tenantId: assertSettableClaim(`${prefix}tenant_id`),
    tenantRole: assertSettableClaim(`${prefix}tenant_role`),
    tenantPlan: assertSettableClaim(`${prefix}tenant_plan`),
    tenantIds: assertSettableClaim(`${prefix}tenant_ids`),
  });
}

/** The tenant a token is issued for, and every active tenant of the principal. */
export interface TenantSelection {
  readonly tenantId: string;
  readonly role: string;
  readonly plan: string | undefined;
  /** Active tenants, sorted; becomes `tenant_ids` when there is more than one. */
  readonly tenantIds: readonly string[];
}

export type MissingTenantPolicy = 'omit' | 'deny';
/** ON_MISSING_TENANT: `provision` applies the PostConfirmation rule first, then answers as `deny`. */
export type MissingTenantSetting = MissingTenantPolicy | 'provision';
export type LookupFailurePolicy = 'deny' | 'stale' | 'omit';
export type GroupPolicy = 'preserve' | 'suppress';

const byTenantId = (a: TenantMembership, b: TenantMembership): number =>
  a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0;

/**
 * Picks the token's tenant: the `default` membership among active tenants, else the first active one by id.
 * Suspended tenants never reach a token; only suspended ones -> TENANT_SUSPENDED; none -> the missing policy.
 */
export function selectTenant(
  lookup: TenantLookup,
  onMissingTenant: MissingTenantPolicy,
): TenantSelection | undefined {
  // A membership whose tenant item is gone is no membership at all.
  const existing = lookup.memberships.filter((membership) => membership.tenant !== undefined);
  if (existing.length === 0) {
    if (onMissingTenant === 'deny') throw new RejectionError('TENANT_REQUIRED');
    return undefined;
  }
  const active = existing.filter((membership) => membership.tenant?.status === 'active').sort(byTenantId);
  const chosen = active.find((membership) => membership.isDefault) ?? active[0];
  if (chosen === undefined) throw new RejectionError('TENANT_SUSPENDED');
  return Object.freeze({
    tenantId: chosen.tenantId,
    role: chosen.role,
    plan: chosen.tenant?.plan,
    tenantIds: Object.freeze(active.map((membership) => membership.tenantId)),
  });
}

/** What to do when the lookup failed: serve a stale value, omit the claims, or refuse the token. */
export type LookupFallback =
  { readonly kind: 'stale'; readonly lookup: TenantLookup } | { readonly kind: 'omit' };

/** Applies ON_LOOKUP_FAILURE; `stale` without a value inside its bound falls back to deny. */
export function decideLookupFallback(
  policy: LookupFailurePolicy,
  stale: TenantLookup | undefined,
  cause: unknown,
): LookupFallback {
  if (policy === 'omit') return { kind: 'omit' };
  if (policy === 'stale' && stale !== undefined) return { kind: 'stale', lookup: stale };
  throw new RejectionError('TEMPORARY_FAILURE', { cause });
}

/** Group configuration as Cognito sends it (fields may be missing or null). */
export interface GroupConfiguration {
  groupsToOverride?: string[] | null;
  iamRolesToOverride?: string[] | null;
  preferredRole?: string | string[] | null;
}

/** What the builder needs from the event; nothing user-writable decides a tenant. */
export interface TokenRequestFacts {
  readonly version: string;
  readonly triggerSource: string;
  readonly groupConfiguration: GroupConfiguration | null | undefined;
}

export interface TenantClaimsOptions {
  readonly claimNames: TenantClaimNames;
  readonly groups: GroupPolicy;
  /** Budget in bytes for the added claims of one token, measured as UTF-8 JSON. */
  readonly maxClaimsBytes: number;
}

type ClaimValue = string | readonly string[];

export interface V1TenantResponse {
  claimsOverrideDetails: {
    claimsToAddOrOverride?: Record<string, string>;
    groupOverrideDetails?: GroupConfiguration;
  };
}

export interface V2TenantResponse {
  claimsAndScopeOverrideDetails: {
    idTokenGeneration?: { claimsToAddOrOverride: Record<string, ClaimValue> };
    accessTokenGeneration?: { claimsToAddOrOverride: Record<string, ClaimValue> };
    groupOverrideDetails?: GroupConfiguration;
  };
}

export interface TenantClaimsDecision {
  readonly response: V1TenantResponse | V2TenantResponse;
  /** `tenant_ids` was left out to stay within the size budget. */
  readonly trimmed: boolean;
}

/** Event versions 2 and up share one response shape; anything unreadable is treated as version 1. */
export function isVersionTwoOrLater(version: string): boolean {
  const parsed = Number.parseInt(version, 10);
  return Number.isFinite(parsed) && parsed >= 2;
}

/** Builds the response for any event version: tenant claims (or none), groups kept unless configured. */
export function buildTenantClaims(
  request: TokenRequestFacts,
  selection: TenantSelection | undefined,
  options: TenantClaimsOptions,
): TenantClaimsDecision {
  const v2 = isVersionTwoOrLater(request.version);
  const { claims, trimmed } =
    selection === undefined ? { claims: undefined, trimmed: false } : fitClaims(selection, v2, options);
  const isMachine = request.triggerSource === 'TokenGeneration_ClientCredentials';
  // An absent or empty group override strips every group from both tokens; machines have no groups.
  const groupOverrideDetails = isMachine
    ? undefined
    : toGroupOverride(request.groupConfiguration, options.groups);

  if (!v2) {
    const claimsOverrideDetails: V1TenantResponse['claimsOverrideDetails'] = {};
    if (claims !== undefined) claimsOverrideDetails.claimsToAddOrOverride = claims as Record<string, string>;
    if (groupOverrideDetails !== undefined) claimsOverrideDetails.groupOverrideDetails = groupOverrideDetails;
    return { response: { claimsOverrideDetails }, trimmed };
  }
  const details: V2TenantResponse['claimsAndScopeOverrideDetails'] = {};
  if (claims !== undefined) {
    // M2M grants issue an access token only; each token gets its own copy of the claims.
    if (!isMachine) details.idTokenGeneration = { claimsToAddOrOverride: { ...claims } };
    details.accessTokenGeneration = { claimsToAddOrOverride: { ...claims } };
  }
  if (groupOverrideDetails !== undefined) details.groupOverrideDetails = groupOverrideDetails;
  return { response: { claimsAndScopeOverrideDetails: details }, trimmed };
}

function fitClaims(
  selection: TenantSelection,
  v2: boolean,
  options: TenantClaimsOptions,
): { claims: Record<string, ClaimValue>; trimmed: boolean } {
  const names = options.claimNames;
  for (const name of Object.values(names)) assertSettableClaim(name);
  const claims: Record<string, ClaimValue> = {
    [names.tenantId]: selection.tenantId,
    [names.tenantRole]: selection.role,
  };
  if (selection.plan !== undefined) claims[names.tenantPlan] = selection.plan;
  if (selection.tenantIds.length > 1) {
    // Version 1 takes string values only.
    claims[names.tenantIds] = v2 ? [...selection.tenantIds] : selection.tenantIds.join(',');
  }
  let bytes = measureClaims(claims);
  if (bytes <= options.maxClaimsBytes) return { claims, trimmed: false };
  // A partial tenant list would mislead; drop it whole and keep the token's own tenant.
  delete claims[names.tenantIds];
  bytes = measureClaims(claims);
  if (bytes <= options.maxClaimsBytes) return { claims, trimmed: true };
  throw new ClaimsBudgetError(bytes, options.maxClaimsBytes);
}

/** Size of the added claims as they travel inside the token's JSON payload. */
export function measureClaims(claims: Readonly<Record<string, ClaimValue>>): number {
  return Buffer.byteLength(JSON.stringify(claims), 'utf8');
}

function toGroupOverride(
  configuration: GroupConfiguration | null | undefined,
  policy: GroupPolicy,
): GroupConfiguration {
  if (policy === 'suppress') return { groupsToOverride: [], iamRolesToOverride: [] };
  if (configuration === null || configuration === undefined) return {};
  return structuredClone(configuration);
}
