import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../../../../shared/errors.js';
import {
  createTenantCache,
  type TenantCacheOptions,
} from '../../../../triggers/pre-token-generation/directory/tenant-cache.js';

interface Value {
  readonly tenant: string | undefined;
}

function setup(overrides: Partial<TenantCacheOptions<Value>> = {}) {
  let clock = 1_000_000;
  const cache = createTenantCache<Value>({
    ttlMs: 60_000,
    negativeTtlMs: 5_000,
    staleMaxMs: 300_000,
    maxEntries: 100,
    isNegative: (value) => value.tenant === undefined,
    now: () => clock,
    ...overrides,
  });
  const loads: string[] = [];
  const loader = (key: string, value: Value) => async () => {
    loads.push(key);
    return value;
  };
  const failing = async (): Promise<Value> => {
    throw new Error('directory down');
  };
  return { cache, loads, loader, failing, advance: (ms: number) => (clock += ms) };
}

const NO_ABORT = new AbortController().signal;

describe('createTenantCache', () => {
  it('serves a loaded value from the cache until its TTL passes', async () => {
    // Prepare
    const { cache, loads, loader, advance } = setup();
    await cache.read('USER#a', loader('USER#a', { tenant: 'acme' }), NO_ABORT);

    // Act
    advance(59_999);
    const cached = await cache.read('USER#a', loader('USER#a', { tenant: 'other' }), NO_ABORT);
    advance(2);
    const reloaded = await cache.read('USER#a', loader('USER#a', { tenant: 'globex' }), NO_ABORT);

    // Assess
    expect(cached).toEqual({ value: { tenant: 'acme' }, source: 'cache' });
    expect(reloaded).toEqual({ value: { tenant: 'globex' }, source: 'load' });
    expect(loads).toEqual(['USER#a', 'USER#a']);
  });

  it('keeps a negative value only for the negative TTL', async () => {
    // Prepare
    const { cache, loads, loader, advance } = setup();
    await cache.read('USER#new', loader('USER#new', { tenant: undefined }), NO_ABORT);

    // Act
    advance(4_999);
    const cached = await cache.read('USER#new', loader('USER#new', { tenant: 'acme' }), NO_ABORT);
    advance(2);
    const reloaded = await cache.read('USER#new', loader('USER#new', { tenant: 'acme' }), NO_ABORT);

    // Assess
    expect(cached.source).toBe('cache');
    expect(reloaded).toEqual({ value: { tenant: 'acme' }, source: 'load' });
    expect(loads).toHaveLength(2);
  });

  it('makes one load for concurrent misses of one key', async () => {
    // Prepare
    const { cache } = setup();
    let loads = 0;
    let release: (value: Value) => void = () => undefined;
    const slow = () => {
      loads += 1;
      return new Promise<Value>((resolve) => (release = resolve));
    };

    // Act
    const reads = Array.from({ length: 10 }, () => cache.read('USER#a', slow, NO_ABORT));
    release({ tenant: 'acme' });
    const results = await Promise.all(reads);

    // Assess
    expect(loads).toBe(1);
    expect(results.map((result) => result.value.tenant)).toEqual(Array(10).fill('acme'));
    expect(results.filter((result) => result.source === 'load')).toHaveLength(1);
  });

  it('never answers one key with another key’s value', async () => {
    // Prepare
    const { cache, loader } = setup();
    await cache.read('USER#a', loader('USER#a', { tenant: 'acme' }), NO_ABORT);

    // Act
    const other = await cache.read('USER#b', loader('USER#b', { tenant: 'globex' }), NO_ABORT);

    // Assess
    expect(other).toEqual({ value: { tenant: 'globex' }, source: 'load' });
    expect(cache.readStale('USER#c')).toBeUndefined();
  });

  it('rejects with the load error, caches nothing, and lets the next read try again', async () => {
    // Prepare
    const { cache, failing, loader } = setup();

    // Act
    const failed = cache.read('USER#a', failing, NO_ABORT);

    // Assess
    await expect(failed).rejects.toThrow('directory down');
    expect(cache.readStale('USER#a')).toBeUndefined();
    await expect(cache.read('USER#a', loader('USER#a', { tenant: 'acme' }), NO_ABORT)).resolves.toMatchObject(
      { source: 'load' },
    );
  });

  it('keeps the last good value as stale up to its bound, then forgets it', async () => {
    // Prepare
    const { cache, loader, failing, advance } = setup();
    await cache.read('USER#a', loader('USER#a', { tenant: 'acme' }), NO_ABORT);

    // Act
    advance(61_000);
    await expect(cache.read('USER#a', failing, NO_ABORT)).rejects.toThrow('directory down');
    const withinBound = cache.readStale('USER#a');
    advance(300_000 - 61_000);
    const atBound = cache.readStale('USER#a');
    advance(1);
    const pastBound = cache.readStale('USER#a');

    // Assess
    expect(withinBound).toEqual({ tenant: 'acme' });
    expect(atBound).toEqual({ tenant: 'acme' });
    expect(pastBound).toBeUndefined();
    expect(cache.size()).toBe(0);
  });

  it('stops waiting when the caller’s signal aborts, with the signal’s reason', async () => {
    // Prepare
    const { cache } = setup();
    const controller = new AbortController();
    const never = () => new Promise<Value>(() => undefined);

    // Act
    const read = cache.read('USER#a', never, controller.signal);
    controller.abort(new DeadlineExceededError());

    // Assess
    await expect(read).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('evicts the least recently used entry beyond its size bound', async () => {
    // Prepare
    const { cache, loads, loader } = setup({ maxEntries: 2 });
    await cache.read('USER#a', loader('USER#a', { tenant: 'a' }), NO_ABORT);
    await cache.read('USER#b', loader('USER#b', { tenant: 'b' }), NO_ABORT);
    await cache.read('USER#a', loader('USER#a', { tenant: 'a' }), NO_ABORT);

    // Act
    await cache.read('USER#c', loader('USER#c', { tenant: 'c' }), NO_ABORT);
    const a = await cache.read('USER#a', loader('USER#a', { tenant: 'a' }), NO_ABORT);
    const b = await cache.read('USER#b', loader('USER#b', { tenant: 'b' }), NO_ABORT);

    // Assess
    expect(a.source).toBe('cache');
    expect(b.source).toBe('load');
    expect(cache.size()).toBe(2);
    expect(loads).toEqual(['USER#a', 'USER#b', 'USER#c', 'USER#b']);
  });

  it('loads every time when the TTL is zero', async () => {
    // Prepare
    const { cache, loads, loader } = setup({ ttlMs: 0 });

    // Act
    await cache.read('USER#a', loader('USER#a', { tenant: 'a' }), NO_ABORT);
    await cache.read('USER#a', loader('USER#a', { tenant: 'a' }), NO_ABORT);

    // Assess
    expect(loads).toHaveLength(2);
  });
});
