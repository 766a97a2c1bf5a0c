import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changesUnderNfkc,
  hasInvisibleCharacter,
  isLocalAtom,
} from '../../../shared/email-domain/email-domain-policy.js';

// The full checks, as the policy states them; the fast paths must answer exactly as these do.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;
const LOCAL_ATOM = /^[A-Za-z0-9#$&'*+/=?^_`{|}~\-\p{L}\p{M}\p{N}]+$/u;

// ASCII (every code point 0-127), mixed with the characters that matter around it: spaces, the
// soft hyphen, zero-width and bidi controls, fullwidth forms, letters of other scripts, surrogates.
const interesting = fc.constantFrom(
  ' ',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u200d',
  '\u202e',
  '\ufeff',
  '\uff21',
  '\uff0e',
  'é',
  'ß',
  'ﬁ',
  'я',
  '中',
  '\ud800',
  '\u0301',
  '\u3000',
  '\u2028',
  '\u{1d400}',
  'ǅ',
);
const asciiChar = fc.integer({ min: 0, max: 127 }).map((code) => String.fromCharCode(code));
const text = fc
  .array(fc.oneof(asciiChar, asciiChar, interesting, fc.string({ unit: 'grapheme', maxLength: 1 })), {
    maxLength: 24,
  })
  .map((parts) => parts.join(''));

describe('the ASCII fast paths of the email-domain policy', () => {
  it('finds an invisible character exactly where the full Unicode check finds one', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(hasInvisibleCharacter(value)).toBe(INVISIBLE.test(value));
      }),
      {
        numRuns: 5_000,
      },
    );
  });

  it('says NFKC changes a text exactly when normalizing it does', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(changesUnderNfkc(value)).toBe(value.normalize('NFKC') !== value);
      }),
      {
        numRuns: 5_000,
      },
    );
  });

  it('accepts a local-part atom exactly when the full Unicode pattern does', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(isLocalAtom(value)).toBe(LOCAL_ATOM.test(value));
      }),
      {
        numRuns: 5_000,
      },
    );
  });

  it.each([
    ['a plain ASCII atom', 'jane_doe+news', false, false, true],
    ['a space', 'jane doe', true, false, false],
    ['a zero-width space', 'jane\u200bdoe', true, false, false],
    ['a fullwidth letter', 'j\uff41ne', false, true, true],
    ['a Cyrillic letter', 'jаne', false, false, true],
    ['a tab', 'jane\tdoe', true, false, false],
  ])('answers for %s as the full checks do', (_label, value, invisible, changes, atom) => {
    expect([hasInvisibleCharacter(value), changesUnderNfkc(value), isLocalAtom(value)]).toEqual([
      invisible,
      changes,
      atom,
    ]);
    expect([INVISIBLE.test(value), value.normalize('NFKC') !== value, LOCAL_ATOM.test(value)]).toEqual([
      invisible,
      changes,
      atom,
    ]);
  });
});
