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

/**
 * Whether every UTF-16 code unit of `text` lies in `low`..`high` (true for ''): `/^[\x00-\x7f]*$/.test(text)`
 * is `everyCodeUnitIn(text, 0x00, 0x7f)`. A loop, not a regex: V8 compiles a regex on its first run and
 * again to machine code on its second, ~50,000 instructions each time, and a cold start ran a handful of
 * such character-class tests (test/shared/unicode-pattern.test.ts checks both answer alike).
 *
 * @example
 * ```ts
 * everyCodeUnitIn('example.com', 0x21, 0x7e); // true: printable ASCII without the space
 * ```
 */
export function everyCodeUnitIn(text: string, low: number, high: number): boolean {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < low || unit > high) return false;
  }
  return true;
}

/**
 * Whether every UTF-16 code unit of `text` is ASCII (below 0x80; true for ''), asked of native code: the
 * UTF-8 length equals the length exactly when no unit is 0x80 or above (each of those takes two or three
 * bytes; a lone surrogate three). On a rendered email body (~1.5 k characters) the first call of
 * {@link everyCodeUnitIn}'s loop took ~0.3 ms of a cold start (interpreted, then compiled while it ran),
 * this ~0.02 ms.
 *
 * @example
 * ```ts
 * isAscii('Hello, Ada'); // true
 * isAscii('Bonjour, Zoë'); // false
 * ```
 */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/** Every pattern made so far, for the test that checks each twin against its Unicode regex. */
export const madeUnicodePatterns: UnicodePattern[] = [];

/**
 * A Unicode-property regex built from `source` on first need, with `ascii` answering for ASCII input.
 * Write `source` with `String.raw` so it reads as the literal would. `ascii` has the same flags as
 * `flags` but `u` (test/shared/unicode-pattern.test.ts checks every pattern the runtime code makes).
 *
 * @example
 * ```ts
 * const LETTERS = unicodePattern(String.raw`^\p{L}+$`, 'u', /^[A-Za-z]+$/);
 * LETTERS.for(name).test(name);
 * ```
 */
export function unicodePattern(source: string, flags: string, ascii: RegExp): UnicodePattern {
  let unicode: RegExp | undefined;
  const full = (): RegExp => (unicode ??= new RegExp(source, flags));
  const pattern: UnicodePattern = {
    source,
    flags,
    ascii,
    full,
    for: (input) => (isAscii(input) ? ascii : full()),
  };
  madeUnicodePatterns.push(pattern);
  return pattern;
}
