// Every Unicode-property regex of the toolkit is built on first need, with an ASCII twin that answers
// for ASCII input (shared/unicode-pattern.ts). These tests prove, for each pattern the sources make, that
// the twin answers exactly as the Unicode regex on every ASCII string, and that no `\p{...}` regex
// literal is left in the runtime code (V8 validates one at every cold start, used or not).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  everyCodeUnitIn,
  isAscii,
  madeUnicodePatterns,
  unicodePattern,
  type UnicodePattern,
} from '../../shared/unicode-pattern.js';

const ROOT = join(import.meta.dirname, '../..');
const RUNTIME_FOLDERS = ['shared', 'triggers', 'src'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const files = RUNTIME_FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)));
const CALL = /unicodePattern\(\s*String\.raw`/g;
const callers = files.filter(
  (path) => !path.endsWith('unicode-pattern.ts') && (readFileSync(path, 'utf8').match(CALL) ?? []).length > 0,
);
const expectedCount = callers.reduce(
  (count, path) => count + (readFileSync(path, 'utf8').match(CALL) ?? []).length,
  0,
);

// The answer a pattern gives on `input`: whether it matches, and what `replace` makes of it for /g ones.
function answer(regex: RegExp, input: string): unknown {
  regex.lastIndex = 0;
  return regex.flags.includes('g') ? input.replace(regex, '<>') : regex.test(input);
}

const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
const asciiString = fc.string({ unit: fc.constantFrom(...ASCII), maxLength: 48 });

describe('Unicode-property patterns and their ASCII twins', () => {
  // Importing each caller makes its patterns (they register in madeUnicodePatterns).
  beforeAll(async () => {
    for (const path of callers) await import(pathToFileURL(path).href);
  });

  it('finds every pattern the runtime code makes', () => {
    expect(callers.length).toBeGreaterThanOrEqual(7);
    expect(madeUnicodePatterns.length).toBe(expectedCount);
  });

  it('each twin answers as its Unicode regex on every ASCII character and pair of characters', () => {
    for (const pattern of madeUnicodePatterns) {
      const full = pattern.full();
      const disagreements: string[] = [];
      for (const a of ASCII) {
        for (const input of [a, ...ASCII.map((b) => a + b)]) {
          if (JSON.stringify(answer(full, input)) !== JSON.stringify(answer(pattern.ascii, input))) {
            disagreements.push(JSON.stringify(input));
          }
        }
      }
      expect({ pattern: pattern.source, disagreements: disagreements.slice(0, 5) }).toEqual({
        pattern: pattern.source,
        disagreements: [],
      });
    }
  });

  it('each twin answers as its Unicode regex on random ASCII strings (property)', () => {
    for (const pattern of madeUnicodePatterns) {
      fc.assert(
        fc.property(asciiString, (input) => {
          expect(answer(pattern.ascii, input)).toEqual(answer(pattern.full(), input));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('uses the twin for ASCII input and the Unicode regex otherwise, building it once', () => {
    const letters: UnicodePattern = unicodePattern(String.raw`^\p{L}+$`, 'u', /^[A-Za-z]+$/);
    expect(letters.for('Ana')).toBe(letters.ascii);
    const unicode = letters.for('Ånä');
    expect(unicode).not.toBe(letters.ascii);
    expect(unicode.test('Ånä')).toBe(true);
    expect(letters.for('Zoë')).toBe(unicode);
    expect(letters.full()).toBe(unicode);
  });

  it('gives every twin the flags of its Unicode regex but u (a /g twin of a test-only pattern would keep state)', () => {
    // Checked here, not at every cold start: the patterns are made from constants.
    const mismatched = madeUnicodePatterns
      .filter((pattern) => pattern.ascii.flags.replace('u', '') !== pattern.flags.replace('u', ''))
      .map((pattern) => pattern.source);
    expect(mismatched).toEqual([]);
    expect(madeUnicodePatterns.map((pattern) => pattern.full().flags.replace('u', ''))).toEqual(
      madeUnicodePatterns.map((pattern) => pattern.ascii.flags.replace('u', '')),
    );
  });

  it('leaves no \\p{...} regex literal in the runtime code', () => {
    const literal = /(?<![\w)\]])\/(?:[^/\\\n]|\\.)*\\p\{(?:[^/\\\n]|\\.)*\/[dgimsvy]*[uv][dgimsvy]*/;
    const offenders = files
      .filter((path) => literal.test(readFileSync(path, 'utf8').replace(/^\s*\/\/.*$/gm, '')))
      .map((path) => relative(ROOT, path));
    expect(offenders).toEqual([]);
  });
});

describe('everyCodeUnitIn, the regex-free character-class test', () => {
  // Code units near every bound used, and any code unit at all (lone surrogates included).
  const unit = fc.oneof(
    fc.constantFrom(0x00, 0x1f, 0x20, 0x21, 0x2f, 0x30, 0x39, 0x3a, 0x7e, 0x7f, 0x80, 0xd800, 0xdfff, 0xffff),
    fc.integer({ min: 0, max: 0xffff }),
  );
  const text = fc.array(unit, { maxLength: 12 }).map((units) => String.fromCharCode(...units));

  it.each([
    // eslint-disable-next-line no-control-regex -- control characters are what this class is about
    ['all ASCII', /^[\x00-\x7f]*$/, 0x00, 0x7f],
    ['visible ASCII', /^[!-~]*$/, 0x21, 0x7e],
    ['printable ASCII', /^[ -~]*$/, 0x20, 0x7e],
    ['digits', /^[0-9]*$/, 0x30, 0x39],
  ] as const)('answers as the %s regex did on any string', (_name, regex, low, high) => {
    fc.assert(
      fc.property(text, (input) => {
        expect(everyCodeUnitIn(input, low, high)).toBe(regex.test(input));
      }),
      { numRuns: 3_000 },
    );
  });

  it.each([
    ['', true],
    ['example.com', true],
    ['exa mple.com', false],
    ['exämple.com', false],
    ['\u007f', false],
  ])('tells whether %j is visible ASCII: %s', (input, visible) => {
    expect(everyCodeUnitIn(input, 0x21, 0x7e)).toBe(visible);
  });
});

describe('isAscii, the native ASCII test unicodePattern picks its regex with', () => {
  // Code units at the ASCII bound, surrogates (paired and lone), and any code unit at all.
  const unit = fc.oneof(
    fc.constantFrom(
      0x00,
      0x7e,
      0x7f,
      0x80,
      0xff,
      0x100,
      0x7ff,
      0x800,
      0xd800,
      0xdbff,
      0xdc00,
      0xdfff,
      0xffff,
    ),
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0, max: 0xffff }),
  );
  const text = fc.array(unit, { maxLength: 40 }).map((units) => String.fromCharCode(...units));

  it('answers as /^[\\x00-\\x7f]*$/ on any string, long ones too', () => {
    // eslint-disable-next-line no-control-regex -- every ASCII code unit is what this class is about
    const ascii = /^[\x00-\x7f]*$/;
    fc.assert(
      fc.property(text, fc.nat({ max: 3_000 }), (input, padding) => {
        const long = 'a'.repeat(padding) + input;
        expect(isAscii(input)).toBe(ascii.test(input));
        expect(isAscii(long)).toBe(ascii.test(long));
      }),
      { numRuns: 3_000 },
    );
  });

  it.each([
    ['', true],
    ['<p>Hello, Ada</p>\n', true],
    ['\u007f', true],
    ['\u0080', false],
    ['Zoë', false],
    ['\ud800', false],
    ['\udfff', false],
    ['😀', false],
  ])('tells whether %j is ASCII: %s', (input, expected) => {
    expect(isAscii(input)).toBe(expected);
  });

  it("picks a pattern's ASCII twin for ASCII input and its Unicode regex for the rest", () => {
    const pattern = unicodePattern(String.raw`^\p{L}+$`, 'u', /^[A-Za-z]+$/);
    expect(pattern.for('x'.repeat(5_000))).toBe(pattern.ascii);
    expect(pattern.for(`${'x'.repeat(5_000)}é`)).toBe(pattern.full());
    expect(pattern.for(`${'x'.repeat(5_000)}\udc00`)).toBe(pattern.full());
  });
});
