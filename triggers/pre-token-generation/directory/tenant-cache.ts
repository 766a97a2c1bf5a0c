import { raceDeadline } from '../../../shared/deadline.js';

/** Where a cached read's value came from. */
export type CacheSource = 'cache' | 'load' | 'shared-load';

export interface CacheRead<T> {
  readonly value: T;
  readonly source: CacheSource;
}

export interface TenantCacheOptions<T> {
  /** How long a loaded value is served without asking the directory again. 0 disables caching. */
  readonly ttlMs: number;
  /** How long a negative value (see `isNegative`) is served; shorter, so a new membership shows up soon. */
  readonly negativeTtlMs: number;
  /** How old (since it was loaded) a value may be and still be served as stale when a load fails. */
  readonly staleMaxMs: number;
  /** Entries kept at most; the least recently used goes first. */
  readonly maxEntries: number;
  /** Values that get `negativeTtlMs` instead of `ttlMs`. */
  readonly isNegative?: (value: T) => boolean;
  /** Milliseconds clock; injectable for tests. */
  readonly now?: () => number;
}

/**
 * A per-container cache keyed by principal: TTL, negative caching, single-flight loads, stale values
 * kept for a bounded time, LRU size bound. Nothing is ever shared between keys.
 */
export interface TenantCache<T> {
  /**
   * A fresh value, or the result of `load` (one load per key at a time: concurrent callers share it).
   * Rejects with the load's error, or the signal's reason when `signal` aborts first.
   */
  read(key: string, load: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<CacheRead<T>>;
  /** The last good value of `key` if it is no older than `staleMaxMs`; for a failed load. */
  readStale(key: string): T | undefined;
  /** Stores a value loaded outside `read`, replacing what was held (e.g. a negative value made wrong by a write). */
  remember(key: string, value: T): void;
  /** Number of entries held (fresh or stale). */
  size(): number;
  clear(): void;
}

interface Entry<T> {
  readonly value: T;
  readonly loadedAt: number;
  readonly freshUntil: number;
}

/** Creates a {@link TenantCache}. */
export function createTenantCache<T>(options: TenantCacheOptions<T>): TenantCache<T> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<T>>();
  const inflight = new Map<string, Promise<T>>();

  const keepUntil = (entry: Entry<T>): number =>
    Math.max(entry.freshUntil, entry.loadedAt + options.staleMaxMs);

  const touch = (key: string, entry: Entry<T>): void => {
    // Map keeps insertion order: re-inserting moves the key to the most recently used end.
    entries.delete(key);
    entries.set(key, entry);
  };

  const store = (key: string, value: T): void => {
    const loadedAt = now();
    const ttl = options.isNegative?.(value) ? Math.min(options.negativeTtlMs, options.ttlMs) : options.ttlMs;
    touch(key, { value, loadedAt, freshUntil: loadedAt + ttl });
    while (entries.size > options.maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  };

  const lookup = (key: string): Entry<T> | undefined => {
    const entry = entries.get(key);
    if (entry !== undefined && now() > keepUntil(entry)) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    async read(key, load, signal) {
      const entry = lookup(key);
      if (entry !== undefined && now() < entry.freshUntil) {
        touch(key, entry);
        return { value: entry.value, source: 'cache' };
      }
      const shared = inflight.get(key);
      if (shared !== undefined) return { value: await raceDeadline(shared, signal), source: 'shared-load' };
      // The first caller's signal bounds the shared load; later callers still stop at their own signal.
      const loading = load(signal).then((value) => {
        store(key, value);
        return value;
      });
      const settled = loading.finally(() => inflight.delete(key));
      settled.catch(() => undefined);
      inflight.set(key, settled);
      return { value: await raceDeadline(settled, signal), source: 'load' };
    },
    readStale(key) {
      const entry = lookup(key);
      if (entry === undefined || now() - entry.loadedAt > options.staleMaxMs) return undefined;
      return entry.value;
    },
    remember(key, value) {
      store(key, value);
    },
    size: () => entries.size,
    clear() {
      entries.clear();
      inflight.clear();
    },
  };
}
