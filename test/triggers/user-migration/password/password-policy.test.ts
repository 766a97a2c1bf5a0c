import { describe, expect, it } from 'vitest';
import {
  COGNITO_DEFAULT_POLICY,
  meetsPasswordPolicy,
} from '../../../../triggers/user-migration/password/password-policy.js';

describe('meetsPasswordPolicy with Cognito’s default policy', () => {
  it.each([
    ['a password with every class', 'Abcdef1!', true],
    ['a space inside as the symbol', 'Abc def1', true],
    ['a password one character short', 'Abcde1!', false],
    ['a password without a capital', 'abcdef1!', false],
    ['a password without a small letter', 'ABCDEF1!', false],
    ['a password without a digit', 'Abcdefg!', false],
    ['a password without a symbol', 'Abcdefg1', false],
    ['a password with a leading space', ' Abcdef1!', false],
    ['a password with a trailing space', 'Abcdef1! ', false],
  ])('judges %s', (_case, password, expected) => {
    expect(meetsPasswordPolicy(password, COGNITO_DEFAULT_POLICY)).toBe(expected);
  });

  it('accepts a short lower-case password under a relaxed policy', () => {
    const relaxed = {
      minLength: 6,
      requireLowercase: true,
      requireUppercase: false,
      requireNumbers: false,
      requireSymbols: false,
    };

    expect(meetsPasswordPolicy('abcdef', relaxed)).toBe(true);
  });

  it('counts characters, not UTF-16 units', () => {
    const policy = { ...COGNITO_DEFAULT_POLICY, minLength: 8, requireSymbols: false };

    expect(meetsPasswordPolicy('Ab1😀😀😀😀', policy)).toBe(false);
  });
});
