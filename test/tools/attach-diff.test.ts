import { describe, expect, it } from 'vitest';
import { diffValues, formatChanges, toComparable } from '../../tools/attach/diff.js';

describe('toComparable', () => {
  it.each([
    {
      case: 'turns a date into its ISO string',
      value: new Date('2025-01-02T03:04:05Z'),
      expected: '2025-01-02T03:04:05.000Z',
    },
    { case: 'treats null as absent', value: null, expected: undefined },
    { case: 'treats an empty object as absent', value: { a: undefined, b: {} }, expected: undefined },
    { case: 'treats an empty array as absent', value: [], expected: undefined },
    {
      case: 'sorts keys and keeps array order',
      value: { b: [2, 1], a: 'x' },
      expected: { a: 'x', b: [2, 1] },
    },
  ])('$case', ({ value, expected }) => {
    // Act / Assess
    expect(toComparable(value)).toStrictEqual(expected);
  });
});

describe('diffValues', () => {
  it('finds nothing between values that differ only in absent fields and key order', () => {
    // Act
    const changes = diffValues({ a: 1, b: { c: 'x', d: null }, e: [] }, { b: { c: 'x' }, a: 1 });

    // Assess
    expect(changes).toEqual([]);
  });

  it('reports each leaf of an added or removed object on its own path', () => {
    // Act
    const changes = diffValues(
      { LambdaConfig: { PostConfirmation: 'p' } },
      {
        LambdaConfig: {
          PostConfirmation: 'p',
          PreTokenGenerationConfig: { LambdaArn: 'arn', LambdaVersion: 'V2_0' },
        },
      },
    );

    // Assess
    expect(changes).toEqual([
      { path: 'LambdaConfig.PreTokenGenerationConfig.LambdaArn', before: undefined, after: 'arn' },
      { path: 'LambdaConfig.PreTokenGenerationConfig.LambdaVersion', before: undefined, after: 'V2_0' },
    ]);
  });

  it('compares arrays as a whole and reports a type change as one line', () => {
    // Act
    const changes = diffValues({ list: ['a', 'b'], mixed: 'text' }, { list: ['b', 'a'], mixed: { k: 1 } });

    // Assess
    expect(changes).toEqual([
      { path: 'list', before: ['a', 'b'], after: ['b', 'a'] },
      { path: 'mixed', before: 'text', after: { k: 1 } },
    ]);
  });
});

describe('formatChanges', () => {
  it('marks additions, removals and replacements', () => {
    // Act
    const lines = formatChanges([
      { path: 'LambdaConfig.PreSignUp', before: undefined, after: 'arn:new' },
      { path: 'LambdaConfig.CustomMessage', before: 'arn:old', after: undefined },
      { path: 'Policies.PasswordPolicy.MinimumLength', before: 14, after: 8 },
    ]);

    // Assess
    expect(lines).toEqual([
      '+ LambdaConfig.PreSignUp: arn:new',
      '- LambdaConfig.CustomMessage: arn:old',
      '~ Policies.PasswordPolicy.MinimumLength: 14 -> 8',
    ]);
  });
});
