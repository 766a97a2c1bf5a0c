import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileDomainMatcher,
  compileEmailDomainPolicy,
  decideEmailDomain,
  mergeEmailDomainPolicies,
  parseDomainList,
  parseEmailAddress,
} from '../../../shared/email-domain/email-domain-policy.js';
import { ConfigError } from '../../../shared/errors.js';

const policy = compileEmailDomainPolicy({
  allowed: ['example.com', '*.partner.org', 'xn--bcher-kva.de', 'xn--exmple-4nf.net'],
  denied: ['blocked.partner.org'],
});

describe('decideEmailDomain: domains', () => {
  it.each([
    ['an exact allowed domain', 'ana@example.com'],
    ['an allowed domain in upper case', 'ana@EXAMPLE.COM'],
    ['an allowed domain in mixed case', 'Ana@Example.Com'],
    ['a plus-addressed local part (the local part does not decide)', 'ana+news@example.com'],
    ['a dotted local part', 'ana.lima@example.com'],
    ['a subdomain under a wildcard entry', 'ana@eu.partner.org'],
    ['a deep subdomain under a wildcard entry', 'ana@a.b.c.partner.org'],
    ['an internationalised domain listed in punycode, written in Unicode', 'ana@bücher.de'],
    ['an internationalised domain in upper case', 'ana@BÜCHER.DE'],
    ['an internationalised domain written in punycode', 'ana@xn--bcher-kva.de'],
    ['the Cyrillic homograph written in Unicode when its punycode is listed', 'ana@exаmple.net'],
    ['a non-ASCII local part', 'josé@example.com'],
    [
      'a subdomain of an exactly denied domain (an exact deny covers that domain only)',
      'ana@x.blocked.partner.org',
    ],
  ])('allows %s', (_name, email) => {
    // Act
    const decision = decideEmailDomain(policy, email);
    // Assess
    expect(decision.allowed).toBe(true);
  });

  it.each([
    ['a domain that only ends with an allowed one', 'ana@evilexample.com'],
    ['a domain joined to an allowed one by a hyphen', 'ana@evil-example.com'],
    ['an allowed domain followed by another domain', 'ana@example.com.evil.com'],
    ['a subdomain of an exactly listed domain', 'ana@mail.example.com'],
    ['the base of a wildcard entry', 'ana@partner.org'],
    ['a domain that ends with a wildcard base without a label boundary', 'ana@evilpartner.org'],
    ['a denied subdomain although a wildcard allows it (deny wins)', 'ana@blocked.partner.org'],
    ['a Cyrillic homograph of an allowed domain', 'ana@exаmple.com'],
    ['the punycode of a Cyrillic homograph of an allowed domain', 'ana@xn--exmple-4nf.com'],
    ['a domain outside every list', 'ana@gmail.com'],
  ])('refuses %s as EMAIL_DOMAIN_NOT_ALLOWED', (_name, email) => {
    // Act
    const decision = decideEmailDomain(policy, email);
    // Assess
    expect(decision).toMatchObject({ allowed: false, code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
  });

  it.each([
    ['a trailing dot', 'ana@example.com.'],
    ['a quoted local part', '"ana"@example.com'],
    ['a quoted local part hiding an @', '"ana@evil.com"@example.com'],
    ['several @', 'ana@evil.com@example.com'],
    ['no @', 'ana.example.com'],
    ['an empty local part', '@example.com'],
    ['an empty domain', 'ana@'],
    ['a MIME encoded-word', '=?utf-8?q?ana?=@example.com'],
    ['an encoded-word in the domain', 'ana@=?utf-8?q?example.com?='],
    ['a percent route', 'ana%evil.com@example.com'],
    ['a bang route', 'evil.com!ana@example.com'],
    ['a backslash', 'ana\\@evil.com@example.com'],
    ['a comment', 'ana(comment)@example.com'],
    ['a domain literal', 'ana@[192.0.2.1]'],
    ['an IP address as domain', 'ana@192.0.2.1'],
    ['a display name', 'Ana <ana@example.com>'],
    ['a space', 'ana lima@example.com'],
    ['a leading space', ' ana@example.com'],
    ['a trailing space', 'ana@example.com '],
    ['a tab', 'ana\t@example.com'],
    ['a CR/LF', 'ana@example.com\r\nBcc: x@evil.com'],
    ['a bare LF', 'ana@example.com\n'],
    ['a NUL', 'ana@example.com\u0000.evil.com'],
    ['a no-break space', 'ana\u00a0@example.com'],
    ['a zero-width space in the domain', 'ana@exam\u200bple.com'],
    ['a zero-width joiner in the domain', 'ana@exam\u200dple.com'],
    ['a zero-width space in the local part', 'an\u200ba@example.com'],
    ['a byte-order mark', '\ufeffana@example.com'],
    ['a soft hyphen in the domain', 'ana@exam\u00adple.com'],
    ['a right-to-left override', 'ana@moc.elpmaxe\u202e'],
    ['a left-to-right mark', 'ana@example\u200e.com'],
    ['a Hangul filler', 'ana@example\u3164.com'],
    ['a fullwidth domain', 'ana@ｅｘａｍｐｌｅ.com'],
    ['a mixed fullwidth domain', 'ana@exａmple.com'],
    ['a fullwidth dot', 'ana@example．com'],
    ['an ideographic full stop', 'ana@example。com'],
    ['a fullwidth @', 'ana＠example.com'],
    ['a fullwidth local part', 'ａｎａ@example.com'],
    ['a ligature that NFKC expands', 'ana@ﬁle.example.com'],
    ['a doubled dot in the domain', 'ana@example..com'],
    ['a leading dot in the domain', 'ana@.example.com'],
    ['a doubled dot in the local part', 'ana..lima@example.com'],
    ['a trailing dot in the local part', 'ana.@example.com'],
    ['an underscore in the domain', 'ana@ex_ample.com'],
    ['a label starting with a hyphen', 'ana@-example.com'],
    ['a single-label domain', 'ana@localhost'],
    ['invalid punycode', 'ana@xn--zz.com'],
    ['punycode that decodes to a fullwidth label', 'ana@xn--mi7chab1aes7c.com'],
    ['punycode that decodes to a label with a zero-width space', 'ana@xn--example-2z6c.com'],
    ['a local part over 64 octets', `${'a'.repeat(65)}@example.com`],
    ['a local part over 64 octets in UTF-8 only', `${'é'.repeat(33)}@example.com`],
    [
      'an address over 254 octets',
      `ana@${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`,
    ],
    ['a label over 63 octets', `ana@${'a'.repeat(64)}.example.com`],
    ['an empty string', ''],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { toString: () => 'ana@example.com' }],
  ])('refuses %s as EMAIL_INVALID', (_name, email) => {
    // Act
    const decision = decideEmailDomain(policy, email);
    // Assess
    expect(decision).toMatchObject({ allowed: false, code: 'EMAIL_INVALID' });
  });

  it('accepts a local part of exactly 64 octets', () => {
    // Act
    const decision = decideEmailDomain(policy, `${'a'.repeat(64)}@example.com`);
    // Assess
    expect(decision.allowed).toBe(true);
  });

  it('gives a reason that never contains the address', () => {
    // Prepare
    const addresses = [
      'secret.person@evilexample.com',
      'secret.person@example.com.',
      '"secret.person"@example.com',
    ];
    // Act
    const reasons = addresses.map((address) => {
      const decision = decideEmailDomain(policy, address);
      return decision.allowed ? '' : decision.reason;
    });
    // Assess
    for (const reason of reasons) {
      expect(reason).not.toContain('secret');
      expect(reason).not.toContain('evilexample');
    }
  });
});

describe('parseEmailAddress', () => {
  it.each([
    ['Ana+news@Example.COM', 'example.com'],
    ['ana@bücher.de', 'xn--bcher-kva.de'],
    ['ana@XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
    ['ana@exаmple.com', 'xn--exmple-4nf.com'],
  ])('reads %s with the domain %s', (email, domain) => {
    // Act
    const parsed = parseEmailAddress(email);
    // Assess
    expect(parsed).toMatchObject({ ok: true, domain });
  });
});

describe('decideEmailDomain: list shapes', () => {
  it('allows any domain that is not denied when only a denylist is configured', () => {
    // Prepare
    const denyOnly = compileEmailDomainPolicy({ denied: ['mailinator.com', '*.33mail.com'] });
    // Act
    const decisions = ['ana@gmail.com', 'ana@mailinator.com', 'ana@x.33mail.com'].map(
      (email) => decideEmailDomain(denyOnly, email).allowed,
    );
    // Assess
    expect(decisions).toEqual([true, false, false]);
  });

  it('allows nothing with a configured but empty allowlist', () => {
    // Prepare
    const emptyAllow = compileEmailDomainPolicy({ allowed: [] });
    // Act
    const decision = decideEmailDomain(emptyAllow, 'ana@example.com');
    // Assess
    expect(decision).toMatchObject({ allowed: false, code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
  });

  it('lets a deny in one merged policy win over an allow in another', () => {
    // Prepare
    const merged = mergeEmailDomainPolicies(
      compileEmailDomainPolicy({ allowed: ['example.com'] }),
      compileEmailDomainPolicy({ denied: ['example.com'] }),
    );
    // Act
    const decision = decideEmailDomain(merged, 'ana@example.com');
    // Assess
    expect(decision).toMatchObject({ allowed: false, code: 'EMAIL_DOMAIN_NOT_ALLOWED' });
  });

  it('unites the allowlists of merged policies', () => {
    // Prepare
    const merged = mergeEmailDomainPolicies(
      compileEmailDomainPolicy({ allowed: ['example.com'] }),
      compileEmailDomainPolicy({ allowed: ['example.net'] }),
      compileEmailDomainPolicy({ denied: ['evil.test'] }),
    );
    // Act
    const decisions = ['a@example.com', 'a@example.net', 'a@example.org'].map(
      (email) => decideEmailDomain(merged, email).allowed,
    );
    // Assess
    expect(decisions).toEqual([true, true, false]);
  });

  it.each([
    ['exact', 'example.com', 'exact'],
    ['a subdomain', 'a.example.org', 'subdomain'],
    ['the wildcard base', 'example.org', undefined],
    ['a suffix without a label boundary', 'badexample.org', undefined],
  ])('matches %s as %s', (_name, domain, expected) => {
    // Prepare
    const matcher = compileDomainMatcher(['example.com', '*.example.org']);
    // Act
    const how = matcher.match(domain);
    // Assess
    expect(how).toBe(expected);
  });
});

describe('parseDomainList', () => {
  it('reads entries separated by commas, spaces and lines, with comments, in canonical form', () => {
    // Act
    const entries = parseDomainList(
      'Example.COM, *.Partner.org\n# partners\nbücher.de  xn--exmple-4nf.net # homograph\n',
      'TEST',
    );
    // Assess
    expect(entries).toEqual(['example.com', '*.partner.org', 'xn--bcher-kva.de', 'xn--exmple-4nf.net']);
  });

  it('names every bad entry and the source in one ConfigError', () => {
    // Act
    const act = (): unknown =>
      parseDomainList(
        'good.com, bad..com, *.ok.org\nexample.com., ex*ample.com, com',
        'ALLOWED_EMAIL_DOMAINS',
      );
    // Assess
    expect(act).toThrow(ConfigError);
    try {
      act();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems.every((problem) => problem.startsWith('ALLOWED_EMAIL_DOMAINS: '))).toBe(true);
      expect(problems.join('\n')).toContain('"bad..com"');
      expect(problems.join('\n')).toContain('"example.com." on line 2');
      expect(problems.join('\n')).toContain('"ex*ample.com"');
      expect(problems.join('\n')).toContain('"com"');
    }
  });

  it.each([
    ['a fullwidth entry', 'ｅｘａｍｐｌｅ.com'],
    ['a zero-width entry', 'exa\u200bmple.com'],
    ['a wildcard in the middle', 'a.*.example.com'],
    ['a bare wildcard', '*'],
    ['an entry with an @', 'ana@example.com'],
    ['an IP address', '192.0.2.1'],
    ['an entry with an underscore', 'ex_ample.com'],
  ])('refuses %s', (_name, entry) => {
    // Act
    const act = (): unknown => parseDomainList(entry, 'DENIED_EMAIL_DOMAINS');
    // Assess
    expect(act).toThrow(/DENIED_EMAIL_DOMAINS: invalid domain entry/);
  });

  it.each([
    ['CR LF', 'a.com\r\nbad..com\r\nc.com', 2],
    ['a lone CR', 'a.com\rc.com\rbad..com', 3],
    ['LF after CR', 'a.com\r\n\nbad..com', 3],
    ['no line break', 'a.com c.com bad..com', 1],
  ])('counts lines split by %s', (_name, text, line) => {
    // Act
    const act = (): unknown => parseDomainList(text, 'TEST');
    // Assess
    expect(act).toThrow(line > 1 ? `"bad..com" on line ${line} (` : '"bad..com" (');
  });

  it('reads entries on lines split by CR, LF or both', () => {
    expect(parseDomainList('a.com\rb.com\r\nc.com\n\rd.com', 'TEST')).toEqual([
      'a.com',
      'b.com',
      'c.com',
      'd.com',
    ]);
  });

  it('accepts a wildcard over a whole top-level domain', () => {
    // Act
    const entries = parseDomainList('*.test', 'DENIED_EMAIL_DOMAINS');
    // Assess
    expect(entries).toEqual(['*.test']);
  });
});

describe('decideEmailDomain: property', () => {
  const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
  const domain = fc.array(label, { minLength: 2, maxLength: 4 }).map((labels) => labels.join('.'));
  const localPart = fc.stringMatching(/^[A-Za-z0-9+_-]{1,20}$/);
  // Anything a user could type after the @: ASCII, Unicode, lookalikes and invisible characters.
  const anyDomainText = fc.oneof(
    domain,
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .tuple(
        fc.constantFrom('', 'evil', 'evil-', 'evil.', 'xn--'),
        fc.constantFrom('example.com', 'partner.org', 'blocked.partner.org'),
        fc.constantFrom('', '.', '.evil.com', '\u200b', 'ｍ'),
      )
      .map(([before, listed, after]) => `${before}${listed}${after}`),
  );

  it('never allows an address whose domain is outside the listed domains', () => {
    const listed = (value: string): boolean =>
      value === 'example.com' ||
      value === 'xn--bcher-kva.de' ||
      value === 'xn--exmple-4nf.net' ||
      (value.endsWith('.partner.org') && value !== 'blocked.partner.org');
    fc.assert(
      fc.property(localPart, anyDomainText, (local, domainText) => {
        // Act
        const decision = decideEmailDomain(policy, `${local}@${domainText}`);
        // Assess: allowed only for a listed domain, and then the domain is exactly what was typed, lowercased
        if (decision.allowed) {
          expect(listed(decision.domain)).toBe(true);
          expect(domainText.toLowerCase() === decision.domain || /[^\x20-\x7e]/.test(domainText)).toBe(true);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('never allows an address made of an exactly listed domain with anything added before or after it', () => {
    fc.assert(
      fc.property(
        localPart,
        fc.constantFrom('example.com', 'xn--bcher-kva.de', 'bücher.de'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (local, listed, extra, before) => {
          // Prepare
          const domainText = before ? `${extra}${listed}` : `${listed}${extra}`;
          // Act
          const decision = decideEmailDomain(policy, `${local}@${domainText}`);
          // Assess
          expect(decision.allowed).toBe(false);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
