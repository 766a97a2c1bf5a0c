import { createHmac, randomBytes } from 'node:crypto';
import type { HashParams, HashScheme } from './hash-scheme.js';

/**
 * A dummy hash that follows the store: unknown users are verified against a real hash of the parameter set
 * (scheme and cost) that most of the distinct users this container has verified have. Its verification
 * costs exactly what theirs costs, and its result is never used (an unknown user is refused whatever it
 * says).
 *
 * Why an attacker cannot steer it: a parameter set wins by distinct users (keyed hashes of usernames, so
 * retrying one account counts once), a set that has the lead keeps it on a tie, and only hashes that were
 * actually verified (within the limits and the budget) are counted. One row they control, however cheap or
 * expensive, is outvoted as soon as two real users of the common set have signed in; before the container
 * has seen any real hash, the configured default applies.
 */
export interface StoreFollowingDummy {
  /** Notes the verified hash of a real user (`username` is only kept as a keyed hash). */
  observe(username: string, storedHash: string): void;
  /** The current dummy: a hash of the leading parameter set, or undefined before any was seen. */
  current(): string | undefined;
}

export interface StoreFollowingDummyOptions {
  /** A hash's scheme and parameters, or undefined when it cannot be read. */
  readonly inspect: (stored: string) => { scheme: HashScheme; params: HashParams } | undefined;
  /** Distinct users counted per parameter set (default 64): enough to outvote a few hostile rows. */
  readonly maxUsersPerSet?: number;
  /** Parameter sets tracked at once (default 16); the smallest non-leading set makes room. */
  readonly maxSets?: number;
}

interface ParameterSet {
  readonly hash: string;
  readonly users: Set<string>;
}

/**
 * @example
 * ```ts
 * const dummy = createStoreFollowingDummy({ inspect: inspectLegacyHash });
 * dummy.observe('alice', alicesHash); // after verifying Alice's password
 * verify(password, user?.passwordHash ?? dummy.current() ?? DEFAULT_DUMMY_HASH);
 * ```
 */
export function createStoreFollowingDummy(options: StoreFollowingDummyOptions): StoreFollowingDummy {
  const maxUsers = options.maxUsersPerSet ?? 64;
  const maxSets = options.maxSets ?? 16;
  const userKey = randomBytes(32);
  const sets = new Map<string, ParameterSet>();
  let leader: string | undefined;

  return {
    observe(username, storedHash) {
      const inspected = options.inspect(storedHash);
      if (inspected === undefined) return;
      const key = describeParameterSet(inspected.scheme, inspected.params);
      let set = sets.get(key);
      if (set === undefined) {
        if (sets.size >= maxSets) evictSmallest(sets, leader);
        set = { hash: storedHash, users: new Set() };
        sets.set(key, set);
      }
      if (set.users.size < maxUsers) {
        set.users.add(createHmac('sha256', userKey).update(username, 'utf8').digest('base64'));
      }
      const incumbent = leader === undefined ? undefined : sets.get(leader);
      // Strictly more distinct users to take the lead: a tie keeps the incumbent.
      if (incumbent === undefined || set.users.size > incumbent.users.size) leader = key;
    },
    current() {
      return leader === undefined ? undefined : sets.get(leader)?.hash;
    },
  };
}

/** A stable name for a scheme and its parameters (keys sorted, so the order they were parsed in is moot). */
export function describeParameterSet(scheme: HashScheme, params: HashParams): string {
  const entries = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${scheme}:${entries.map(([name, value]) => `${name}=${String(value)}`).join(',')}`;
}

function evictSmallest(sets: Map<string, ParameterSet>, leader: string | undefined): void {
  let smallest: string | undefined;
  for (const [key, set] of sets) {
    if (key === leader) continue;
    if (smallest === undefined || set.users.size < (sets.get(smallest)?.users.size ?? 0)) smallest = key;
  }
  if (smallest !== undefined) sets.delete(smallest);
}
