import { describe, expect, it } from 'vitest';
import { equalDigests } from '../../../../triggers/user-migration/password/digests.js';

describe('equalDigests', () => {
  it.each<[string, number[], number[], boolean]>([
    ['equal bytes', [1, 2, 3], [1, 2, 3], true],
    ['one differing byte', [1, 2, 3], [1, 2, 4], false],
    ['a shorter actual digest', [1, 2], [1, 2, 3], false],
    ['a longer actual digest', [1, 2, 3, 4], [1, 2, 3], false],
    ['two empty digests', [], [], true],
  ])('answers for %s without throwing', (_label, actual, expected, equal) => {
    // Act / Assess
    expect(equalDigests(Uint8Array.from(actual), Uint8Array.from(expected))).toBe(equal);
  });
});
