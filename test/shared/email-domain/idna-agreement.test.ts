import fc from 'fast-check';
import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWithPythonIdna } from '../../../tools/lib/python-idna-readers.js';
import {
  compileEmailDomainPolicy,
  decideEmailDomain,
  normaliseDomainEntry,
  parseEmailAddress,
} from '../../../shared/email-domain/email-domain-policy.js';

/** Every code point outside ASCII, surrogates left out (a lone surrogate is not text). */
function* nonAsciiCodePoints(): Generator<number> {
  for (let cp = 0x80; cp <= 0x10ffff; cp += 1) if (cp < 0xd800 || cp > 0xdfff) yield cp;
}

const labelWith = (cp: number): string => `a${String.fromCodePoint(cp)}b`;

/** The whole scan, once per file: what the policy accepts, and where its readings disagree. */
const scan = (() => {
  let result: { accepted: { cp: number; label: string }[]; disagreements: string[] } | undefined;
  return () => (result ??= scanCodeSpace());
})();

function scanCodeSpace(): { accepted: { cp: number; label: string }[]; disagreements: string[] } {
  const accepted: { cp: number; label: string }[] = [];
  const disagreements: string[] = [];
  for (const cp of nonAsciiCodePoints()) {
    const domain = `${labelWith(cp)}.example`;
    const address = parseEmailAddress(`u@${domain}`);
    const entry = normaliseDomainEntry(domain);
    if (address.ok !== entry.ok || (address.ok && entry.ok && address.domain !== entry.value)) {
      disagreements.push(`U+${cp.toString(16)}: address and list entry read apart`);
    }
    if (!address.ok) continue;
    if (address.domain !== domainToASCII(domain)) disagreements.push(`U+${cp.toString(16)}: not UTS #46`);
    accepted.push({ cp, label: address.domain.split('.')[0] ?? '' });
  }
  return { accepted, disagreements };
}

describe('the email-domain policy and IDNA readers (the whole code space)', () => {
  it('reads every code point in a label as Node’s domainToASCII reads the raw input, or refuses it as EMAIL_INVALID, for addresses and list entries alike', () => {
    const { accepted, disagreements } = scan();

    expect(disagreements).toEqual([]);
    // Guard against a policy that passes by refusing everything: most letters of most scripts are read.
    expect(accepted.length).toBeGreaterThan(100_000);
  }, 180_000);

  it('agrees with Python’s IDNA 2003 codec and its idna package on every label it accepts', () => {
    const { accepted } = scan();
    const read = readWithPythonIdna(accepted.map(({ cp }) => cp));
    expect(read.ok, `python3 with the idna package must run here: ${read.ok ? '' : read.reason}`).toBe(true);
    const readings = read.ok ? read.readings.rows : [];
    const ours = new Map(accepted.map(({ cp, label }) => [cp, label]));

    const disagreements = readings.flatMap(([cp, idna2003, idna2008]) =>
      [idna2003, idna2008]
        .filter((theirs): theirs is string => theirs !== null && theirs !== ours.get(cp))
        .map((theirs) => `U+${cp.toString(16)}: ${theirs} ≠ ${ours.get(cp)}`),
    );

    expect(readings).toHaveLength(accepted.length);
    expect(disagreements).toEqual([]);
  }, 180_000);

  it.each([
    ['ẞ (U+1E9E), which UTS #46 maps to ss', 'x@claẞified.partner.org'],
    ['ß, which transitional readers map to ss', 'x@claßified.partner.org'],
    ['ς, which transitional readers map to σ', 'x@ας.partner.org'],
    ['Cherokee capital Ꭰ (U+13A0), which UTS #46 case-folds the other way', 'x@aᎠb.partner.org'],
    ['Latin capital Ꟍ (U+A7CC, Unicode 17), newer than older readers’ tables', 'x@aꟌb.partner.org'],
  ])('refuses %s instead of reading a domain a deny entry misses', (_case, address) => {
    const policy = compileEmailDomainPolicy({ denied: ['classified.partner.org'] });

    expect(decideEmailDomain(policy, address)).toMatchObject({ allowed: false, code: 'EMAIL_INVALID' });
  });

  it('reads Georgian capital Ⴀ (U+10A0) as every reader on Node 24 does: mapped to ⴀ, like Python’s two readers', () => {
    // Expected values: python3 -c "import idna; print('a\u10a0b'.encode('idna'), idna.encode('a\u10a0b', uts46=True))"
    // (Python 3.11.7, idna 3.13) gives b'xn--ab-r51a' twice. On Node 22 (UTS #46 before 16.0) it was refused.
    expect(parseEmailAddress('x@aႠb.example')).toMatchObject({ ok: true, domain: 'xn--ab-r51a.example' });
  });

  it('refuses the same characters in list entries', () => {
    expect(normaliseDomainEntry('claẞified.partner.org')).toMatchObject({ ok: false });
    expect(normaliseDomainEntry('claßified.partner.org')).toMatchObject({ ok: false });
  });
});

describe('the email-domain policy and IDNA on multi-character labels (property)', () => {
  // Characters whose case mapping depends on context or differs between readers, mixed with plain letters.
  const TRICKY = [
    ...'aAsSkKiI',
    'ß',
    'ẞ',
    'Σ',
    'σ',
    'ς',
    'İ',
    'ı',
    'Ⴀ',
    'ⴀ',
    'ǅ',
    'ǆ',
    'Ǆ',
    'Ω',
    'ω',
    'é',
    'É',
    '\u0301',
    '\u0307',
    'ﬀ',
    'Å',
    'å',
  ];

  it('reads a label of them as domainToASCII reads the raw input, or refuses it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TRICKY), { minLength: 1, maxLength: 8 }), (chars) => {
        const domain = `${chars.join('')}.example`;
        const address = parseEmailAddress(`u@${domain}`);
        const entry = normaliseDomainEntry(domain);
        expect(entry.ok ? entry.value : undefined).toBe(address.ok ? address.domain : undefined);
        if (address.ok) expect(address.domain).toBe(domainToASCII(domain));
      }),
      { numRuns: 3000 },
    );
  });
});
