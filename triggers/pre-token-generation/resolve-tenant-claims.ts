import { type Deadline, startDeadline } from '../../shared/deadline.js';
import { ConfigError } from '../../shared/errors.js';
import {
  buildTenantClaims,
  decideLookupFallback,
  selectTenant,
  type GroupConfiguration,
  type TenantClaimsDecision,
} from './build-tenant-claims.js';
import type { TenantClaimsConfig } from './config.js';
import {
  provisionTenantMembership,
  type ProvisioningOutcome,
} from '../../shared/tenant-provisioning/provision-tenant.js';
import type { TenantProvisioningStore } from '../../shared/tenant-provisioning/provisioning-store.js';
import type { TenantCache } from './directory/tenant-cache.js';
import {
  toPrincipalKey,
  type TenantDirectory,
  type TenantLookup,
  type TenantPrincipal,
} from './directory/tenant-directory.js';
import { MalformedTokenEventError } from './errors.js';
import type { CounterName } from '../../shared/metrics.js';

/** Time kept back from the lookup so the failure policy can still answer before the invocation's deadline. */
export const POLICY_RESERVE_MS = 200;

/** The fields of a V1, V2 or V3 pre token generation event that the trigger reads. */
export interface PreTokenEventFacts {
  readonly version: string;
  readonly triggerSource: string;
  readonly callerContext?: { readonly clientId?: string } | null;
  readonly request?: {
    readonly userAttributes?: Readonly<Record<string, string>> | null;
    readonly groupConfiguration?: GroupConfiguration | null;
  } | null;
}

/** How the tenant was found; logged by the handler (never the tenant data itself). */
export type TenantSource =
  'cache' | 'load' | 'shared-load' | 'stale' | 'omitted-after-failure' | 'provisioned';

/** The counters each source adds to the invocation's metrics (a hit rate is CacheHit / (CacheHit + CacheMiss)). */
export const COUNTERS_BY_SOURCE: Readonly<Record<TenantSource, readonly CounterName[]>> = {
  cache: ['CacheHit'],
  load: ['CacheMiss'],
  'shared-load': ['CacheMiss'],
  stale: ['LookupFailure', 'StaleServe'],
  'omitted-after-failure': ['LookupFailure'],
  // ON_MISSING_TENANT=provision wrote a membership: the directory was read, not the cache.
  provisioned: ['CacheMiss'],
};

export interface TenantClaimsOutcome extends TenantClaimsDecision {
  readonly source: TenantSource;
  /** The lookup failure a fallback answered for, if any (for the logs). */
  readonly failure?: unknown;
  /** With ON_MISSING_TENANT=provision, what provisioning did for a user who had no membership. */
  readonly provisioning?: ProvisioningOutcome;
}

export interface TenantClaimsResolver {
  resolve(event: PreTokenEventFacts, deadline: Deadline): Promise<TenantClaimsOutcome>;
}

export interface TenantClaimsResolverDeps {
  readonly directory: TenantDirectory;
  readonly cache: TenantCache<TenantLookup>;
  /** Required for ON_MISSING_TENANT=provision: the PostConfirmation rule's store. */
  readonly provisioner?: TenantProvisioningStore;
  readonly config: Pick<
    TenantClaimsConfig,
    'onLookupFailure' | 'onMissingTenant' | 'groups' | 'claimNames' | 'maxClaimsBytes'
  >;
}

/**
 * Wires the cache, the directory and the core: looks the principal up inside a sub-deadline, applies
 * ON_LOOKUP_FAILURE on any failure (including the sub-deadline), then builds the response.
 */
export function createTenantClaimsResolver(deps: TenantClaimsResolverDeps): TenantClaimsResolver {
  const { directory, cache, config, provisioner } = deps;
  if (config.onMissingTenant === 'provision' && provisioner === undefined)
    throw new ConfigError(['ON_MISSING_TENANT: provision needs a provisioning store']);
  const provisioning = config.onMissingTenant === 'provision' ? provisioner : undefined;
  // After provisioning, `deny` answers for a user the rule could not place.
  const missingPolicy = config.onMissingTenant === 'provision' ? 'deny' : config.onMissingTenant;
  return {
    async resolve(event, deadline) {
      const principal = toPrincipal(event);
      const key = toPrincipalKey(principal);
      const remainingMs = deadline.remainingMs();
      // NO_DEADLINE (tools, tests) has infinite time left, which a timer cannot hold.
      const lookupDeadline = Number.isFinite(remainingMs)
        ? startDeadline(Math.max(0, remainingMs - POLICY_RESERVE_MS))
        : undefined;
      const signal =
        lookupDeadline === undefined
          ? deadline.signal
          : AbortSignal.any([deadline.signal, lookupDeadline.signal]);
      let lookup: TenantLookup | undefined;
      let source: TenantSource;
      let failure: unknown;
      let provisioned: ProvisioningOutcome | undefined;
      try {
        const read = await cache.read(
          key,
          (loadSignal) => directory.lookupMemberships(principal, loadSignal),
          signal,
        );
        lookup = read.value;
        source = read.source;
        // A negative value never keeps a user out: a cached one is read again (a membership may have been
        // written since, by PostConfirmation or an admin), then provisioning runs; on a membership written
        // now or found already there, the lookup is read again and cached.
        if (provisioning !== undefined && principal.kind === 'user' && !hasMembership(lookup)) {
          if (source !== 'load') {
            lookup = await directory.lookupMemberships(principal, signal);
            cache.remember(key, lookup);
            source = 'load';
          }
        }
        if (provisioning !== undefined && principal.kind === 'user' && !hasMembership(lookup)) {
          provisioned = await provisionTenantMembership(event.request?.userAttributes, provisioning, signal);
          if (provisioned.kind !== 'skipped') {
            lookup = await directory.lookupMemberships(principal, signal);
            cache.remember(key, lookup);
            source = 'provisioned';
          }
        }
      } catch (error) {
        failure = error;
        const fallback = decideLookupFallback(config.onLookupFailure, cache.readStale(key), error);
        lookup = fallback.kind === 'stale' ? fallback.lookup : undefined;
        source = fallback.kind === 'stale' ? 'stale' : 'omitted-after-failure';
      } finally {
        lookupDeadline?.dispose();
      }
      const selection = lookup === undefined ? undefined : selectTenant(lookup, missingPolicy);
      const decision = buildTenantClaims(
        {
          version: event.version,
          triggerSource: event.triggerSource,
          groupConfiguration: event.request?.groupConfiguration,
        },
        selection,
        config,
      );
      return {
        ...decision,
        source,
        ...(failure === undefined ? {} : { failure }),
        ...(provisioned === undefined ? {} : { provisioning: provisioned }),
      };
    },
  };
}

/** True when the lookup holds a membership whose tenant exists (what selectTenant counts). */
function hasMembership(lookup: TenantLookup): boolean {
  return lookup.memberships.some((membership) => membership.tenant !== undefined);
}

/** A user is named by `sub` (immutable, set by Cognito); an M2M client by the verified caller client id. */
export function toPrincipal(event: PreTokenEventFacts): TenantPrincipal {
  if (event.triggerSource === 'TokenGeneration_ClientCredentials') {
    const clientId = event.callerContext?.clientId;
    if (typeof clientId !== 'string' || clientId === '')
      throw new MalformedTokenEventError('Client credentials event without callerContext.clientId');
    return { kind: 'client', clientId };
  }
  const sub = event.request?.userAttributes?.sub;
  if (typeof sub !== 'string' || sub === '')
    throw new MalformedTokenEventError('Token generation event without request.userAttributes.sub');
  return { kind: 'user', sub };
}
