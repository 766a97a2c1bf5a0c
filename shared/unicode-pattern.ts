/**
 * Regular expressions over Unicode properties (`\p{L}`, `\p{Cc}`...) that cost nothing at a cold start
 * unless a non-ASCII string needs them.
 *
 * V8 validates every `\p{...}` class of a regex literal when it parses the bundle (~0.4 ms a class, at
 * every cold start, whether or not the code runs) and compiles the class on its first use (~1 ms more).
 * A CustomMessage bundle held a dozen of them. Built from a string on first need instead, the Unicode
 * regex costs nothing until then, and an ASCII input runs its ASCII twin: a plain regex that answers
 * exactly as the Unicode one on every ASCII string (checked for every pattern made here, on every ASCII
 * character and on random ASCII strings, by test/shared/unicode-pattern.test.ts).
 */

/** A regex over Unicode properties with an ASCII twin; see the module comment. */
export interface UnicodePattern {
  /** The Unicode regex's source, as `new RegExp` takes it. */
  readonly source: string;
  readonly flags: string;
  /** The regex that answers for `input`: the ASCII twin when `input` is ASCII, else the Unicode one. */
  for(input: string): RegExp;
  /** The Unicode regex itself, built on first call. */
  full(): RegExp;
  /** The ASCII twin. */
  readonly ascii: RegExp;
}

// eslint-disable-next-line no-control-regex -- control characters are what this class is about
const ALL_ASCII = /^[\x00-\x7f]*$/;

/** Every pattern made so far, for the test that checks each twin against its Unicode regex. */
export const madeUnicodePatterns: UnicodePattern[] = [];

/**
 * A Unicode-property regex built from `source` on first need, with `ascii` answering for ASCII input.
 * Write `source` with `String.raw` so it reads as the literal would.
 *
 * @example
 * ```ts
 * const LETTERS = unicodePattern(String.raw`^\p{L}+$`, 'u', /^[A-Za-z]+$/);
 * LETTERS.for(name).test(name);
 * ```
 */
export function unicodePattern(source: string, flags: string, ascii: RegExp): UnicodePattern {
  if (ascii.flags.replace('u', '') !== flags.replace('u', '')) {
    throw new TypeError(`The ASCII twin of /${source}/${flags} must have the same flags (but u)`);
  }
  let unicode: RegExp | undefined;
  const full = (): RegExp => (unicode ??= new RegExp(source, flags));
  const pattern: UnicodePattern = {
    source,
    flags,
    ascii,
    full,
    for: (input) => (ALL_ASCII.test(input) ? ascii : full()),
  };
  madeUnicodePatterns.push(pattern);
  return pattern;
}
