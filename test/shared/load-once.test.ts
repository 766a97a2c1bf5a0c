import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../shared/load-once.js';

describe('loadOnce', () => {
  it('does nothing until it is first called', () => {
    // Prepare
    let calls = 0;
    // Act
    loadOnce(async () => (calls += 1));
    // Assess
    expect(calls).toBe(0);
  });

  it('loads once and gives every caller, concurrent or later, the same value', async () => {
    // Prepare
    let calls = 0;
    const load = loadOnce(async () => ({ loaded: (calls += 1) }));
    // Act
    const [first, second] = await Promise.all([load(), load()]);
    const later = await load();
    // Assess
    expect(calls).toBe(1);
    expect(first).toBe(second);
    expect(later).toBe(first);
  });

  it('keeps no failed load: the next call tries again', async () => {
    // Prepare
    let calls = 0;
    const load = loadOnce(async () => {
      calls += 1;
      if (calls === 1) throw new Error('first load fails');
      return 'module';
    });
    // Act
    const failed = await load().catch((error: unknown) => error);
    const retried = await load();
    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(retried).toBe('module');
    expect(calls).toBe(2);
  });
});
