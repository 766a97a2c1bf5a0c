import { NO_DEADLINE } from '../../shared/deadline.js';
import { toTenantClaimNames } from '../../triggers/pre-token-generation/build-tenant-claims.js';
import { createDynamoDbTenantDirectory } from '../../triggers/pre-token-generation/directory/dynamodb-tenant-directory.js';
import { createTenantClaimsResolver } from '../../triggers/pre-token-generation/resolve-tenant-claims.js';
import { createTenantCache } from '../../triggers/pre-token-generation/directory/tenant-cache.js';
import type {
  TenantDirectory,
  TenantLookup,
} from '../../triggers/pre-token-generation/directory/tenant-directory.js';
import {
  createLocalDynamoDbClient,
  createTenantTable,
  membershipItem,
  seedTenantItems,
  startDynalite,
  tenantItem,
} from '../lib/local-dynamodb.js';
import { measureInterleaved } from './measure.js';
import type { BenchRow } from './types.js';

const GROUP = 'tenant claims (PreTokenGeneration)';
const USERS = 100;
const TOKENS = 1_000;
const WAVE = 20;
const TABLE = 'tenants';

/**
 * The tenant cache: directory lookups per 1,000 tokens for 100 users (the real resolver and adapter
 * against dynalite), concurrent misses with and without single-flight, and the cost of a cache hit
 * against a DynamoDB round trip to the local emulator, all in one run.
 */
export async function benchTenantCache(): Promise<BenchRow[]> {
  const db = await startDynalite();
  const client = createLocalDynamoDbClient(db.endpoint);
  try {
    await createTenantTable(client, TABLE);
    const subs = Array.from({ length: USERS }, (_, index) => `bench-user-${String(index).padStart(3, '0')}`);
    await seedTenantItems(client, TABLE, [
      tenantItem('acme', 'enterprise', 'active'),
      tenantItem('globex', 'pro', 'active'),
      ...subs.flatMap((sub, index) => [
        membershipItem(sub, 'acme', 'member', index % 2 === 0),
        membershipItem(sub, 'globex', 'admin', index % 2 === 1),
      ]),
    ]);
    const dynamo = createDynamoDbTenantDirectory({ client, tableName: TABLE });
    return [
      ...(await benchLookupsPerThousand(dynamo, subs)),
      await benchConcurrentMisses(dynamo, subs),
      await benchHitCost(dynamo, subs),
    ];
  } finally {
    client.destroy();
    await db.stop();
  }
}

function countingDirectory(inner: TenantDirectory): { directory: TenantDirectory; lookups: () => number } {
  let lookups = 0;
  return {
    directory: {
      lookupMemberships(principal, signal) {
        lookups += 1;
        return inner.lookupMemberships(principal, signal);
      },
    },
    lookups: () => lookups,
  };
}

function createResolver(directory: TenantDirectory) {
  return createTenantClaimsResolver({
    directory,
    cache: createTenantCache<TenantLookup>({
      ttlMs: 300_000,
      negativeTtlMs: 30_000,
      staleMaxMs: 900_000,
      maxEntries: 10_000,
      isNegative: (lookup) => lookup.memberships.length === 0,
    }),
    config: {
      onLookupFailure: 'deny',
      onMissingTenant: 'deny',
      groups: 'preserve',
      claimNames: toTenantClaimNames(),
      maxClaimsBytes: 1_024,
    },
  });
}

const tokenEvent = (sub: string) => ({
  version: '2',
  triggerSource: 'TokenGeneration_Authentication',
  request: { userAttributes: { sub }, groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] } },
});

/** A fixed pseudo-random user sequence (LCG), so every run sees the same traffic. */
function trafficOf(subs: readonly string[], tokens: number): string[] {
  let state = 12_345;
  return Array.from({ length: tokens }, (_, index) => {
    // Every user gets at least one token, then the rest at random.
    if (index < subs.length) return subs[index]!;
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return subs[state % subs.length]!;
  });
}

async function benchLookupsPerThousand(
  dynamo: TenantDirectory,
  subs: readonly string[],
): Promise<BenchRow[]> {
  const { directory, lookups } = countingDirectory(dynamo);
  const resolver = createResolver(directory);
  const serve = async (traffic: readonly string[]): Promise<void> => {
    for (let start = 0; start < traffic.length; start += WAVE) {
      await Promise.all(
        traffic.slice(start, start + WAVE).map((sub) => resolver.resolve(tokenEvent(sub), NO_DEADLINE)),
      );
    }
  };
  await serve(trafficOf(subs, TOKENS));
  const coldLookups = lookups();
  await serve(trafficOf([...subs].reverse(), TOKENS));
  const warmLookups = lookups() - coldLookups;
  const coldFromCache = 1 - coldLookups / TOKENS;
  const warmFromCache = 1 - warmLookups / TOKENS;
  // Each user's first token in a cold container must look up: for 1,000 tokens and 100 users the
  // best any per-container cache can do is 1 - 100/1,000 = 90 %.
  const ceiling = 1 - USERS / TOKENS;
  return [
    {
      group: GROUP,
      name: `directory lookups, first ${TOKENS} tokens of ${USERS} users in a cold container`,
      measured: coldLookups,
      baseline: TOKENS,
      unit: 'lookups',
      ratio: coldLookups / TOKENS,
      goal: `informational (ceiling ${(ceiling * 100).toFixed(0)}% from cache)`,
      met: true,
      note: `${(coldFromCache * 100).toFixed(1)}% from cache; baseline is one lookup per token (no cache). One miss per user is unavoidable in a cold container, so this workload cannot exceed ${(ceiling * 100).toFixed(0)}%.`,
    },
    {
      group: GROUP,
      name: `directory lookups, next ${TOKENS} tokens of the same ${USERS} users, warm container within one TTL`,
      measured: warmLookups,
      baseline: TOKENS,
      unit: 'lookups',
      ratio: warmLookups / TOKENS,
      goal: '≥ 95% from cache (ratio ≤ 0.05×)',
      met: warmFromCache >= 0.95,
      note: `${(warmFromCache * 100).toFixed(1)}% from cache once each user has been seen (the steady state of a warm container within TENANT_CACHE_TTL_SECONDS).`,
    },
  ];
}

/** A cache without single-flight: check, load, store. The usual hand-written cache, as a baseline. */
function createNaiveResolver(directory: TenantDirectory) {
  const entries = new Map<string, TenantLookup>();
  return async (sub: string): Promise<TenantLookup> => {
    const hit = entries.get(sub);
    if (hit !== undefined) return hit;
    const value = await directory.lookupMemberships({ kind: 'user', sub }, NO_DEADLINE.signal);
    entries.set(sub, value);
    return value;
  };
}

async function benchConcurrentMisses(dynamo: TenantDirectory, subs: readonly string[]): Promise<BenchRow> {
  // A burst: every user asks for 5 tokens at once (sign-in, then parallel refreshes from tabs).
  const burst = subs.flatMap((sub) => Array.from({ length: 5 }, () => sub));
  const toolkit = countingDirectory(dynamo);
  const resolver = createResolver(toolkit.directory);
  await Promise.all(burst.map((sub) => resolver.resolve(tokenEvent(sub), NO_DEADLINE)));
  const naive = countingDirectory(dynamo);
  const naiveResolve = createNaiveResolver(naive.directory);
  await Promise.all(burst.map((sub) => naiveResolve(sub)));
  return {
    group: GROUP,
    name: `lookups for a burst of ${burst.length} concurrent tokens (${USERS} users × 5), single-flight vs a cache without it`,
    measured: toolkit.lookups(),
    baseline: naive.lookups(),
    unit: 'lookups',
    ratio: toolkit.lookups() / naive.lookups(),
    goal: '≤ 0.25× (one lookup per user)',
    met: toolkit.lookups() / naive.lookups() <= 0.25,
  };
}

async function benchHitCost(dynamo: TenantDirectory, subs: readonly string[]): Promise<BenchRow> {
  const resolver = createResolver(dynamo);
  const warm = subs[0]!;
  await resolver.resolve(tokenEvent(warm), NO_DEADLINE);
  let index = 0;
  const medians = await measureInterleaved(
    {
      hit: () => resolver.resolve(tokenEvent(warm), NO_DEADLINE),
      roundTrip: () =>
        dynamo.lookupMemberships({ kind: 'user', sub: subs[index++ % subs.length]! }, NO_DEADLINE.signal),
    },
    { rounds: 15, opsPerRound: 40 },
  );
  const hit = medians.hit!;
  const roundTrip = medians.roundTrip!;
  return {
    group: GROUP,
    name: 'cached token (resolver, cache hit, claims built) vs a Query + BatchGetItem round trip to dynalite',
    measured: hit,
    baseline: roundTrip,
    unit: 'ms/op',
    ratio: hit / roundTrip,
    goal: '≤ 0.05×',
    met: hit / roundTrip <= 0.05,
    note: 'dynalite on localhost is faster than DynamoDB over the network (typically 3–10 ms per call in-region), so the real gap is larger.',
  };
}
