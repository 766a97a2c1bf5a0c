import { describe, expect, it } from 'vitest';
import {
  flattenToOneLine,
  passesBodyCharacterCheck,
  sanitizeValue,
} from '../../../triggers/custom-message/text-safety.js';

describe('sanitizeValue', () => {
  it.each([
    { label: 'keeps an ordinary name', value: 'Amélie Poulain', expected: 'Amélie Poulain' },
    {
      label: 'turns CR/LF into one space',
      value: 'Eve\r\n\r\nBcc: x@evil.test',
      expected: 'Eve Bcc: x@evil.test',
    },
    {
      label: 'drops U+202E and the other bidi controls',
      value: '\u202AEve\u202E\u2067gnp\u2069',
      expected: 'Evegnp',
    },
    { label: 'drops zero-width characters', value: 'E\u200Bv\u200C\u200De\u2060', expected: 'Eve' },
    { label: 'drops NUL and ESC', value: 'Eve\u0000\u001B[31m', expected: 'Eve[31m' },
    {
      label: 'turns U+2028, NEL and a no-break space into spaces',
      value: 'A\u2028B\u0085C\u00A0D',
      expected: 'A B C D',
    },
    { label: 'drops private-use and lone surrogates', value: 'Eve\uE000\uD800', expected: 'Eve' },
    { label: 'keeps an emoji made of a surrogate pair', value: 'Eve 🎉', expected: 'Eve 🎉' },
    { label: 'reads a non-string as empty', value: 42, expected: '' },
  ])('$label', ({ value, expected }) => {
    // Act
    const clean = sanitizeValue(value);

    // Assess
    expect(clean).toBe(expected);
  });

  it.each([
    { value: 'Eve {####}', expected: 'Eve' },
    { value: '{##{####}##}', expected: '' },
    { value: '{user{username}name}', expected: '' },
  ])('removes placeholders from $value, even ones its removal would form', ({ value, expected }) => {
    // Act
    const clean = sanitizeValue(value, ['{####}', '{username}']);

    // Assess
    expect(clean).toBe(expected);
  });

  it('cuts a long value at 40 code units without splitting a surrogate pair', () => {
    // Prepare: 39 letters then an emoji (2 code units) would make 41.
    const value = `${'a'.repeat(39)}🎉tail`;

    // Act
    const clean = sanitizeValue(value);

    // Assess
    expect(clean).toBe('a'.repeat(39));
  });
});

describe('flattenToOneLine', () => {
  it('makes one trimmed line of a multi-line text', () => {
    // Act
    const line = flattenToOneLine('  Your code\r\n is\t{####}\n');

    // Assess
    expect(line).toBe('Your code is {####}');
  });
});

describe('passesBodyCharacterCheck', () => {
  it.each([
    {
      label: 'HTML with accents and punctuation',
      body: '<p class="x">Élodie, code {####}</p>\n',
      passes: true,
    },
    { label: 'an emoji (a symbol)', body: '<p>🎉 {####}</p>', passes: true },
    { label: 'a zero-width space', body: '<p>\u200B{####}</p>', passes: false },
    { label: 'a no-break space (not Java whitespace)', body: '<p>a\u00A0b {####}</p>', passes: false },
    { label: 'NUL', body: '<p>\u0000{####}</p>', passes: false },
  ])('says $passes for $label', ({ body, passes }) => {
    // Act
    const result = passesBodyCharacterCheck(body);

    // Assess
    expect(result).toBe(passes);
  });
});
