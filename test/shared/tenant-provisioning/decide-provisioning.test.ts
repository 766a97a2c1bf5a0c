import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideProvisioning,
  readProvisioningCandidate,
  type DomainRule,
} from '../../../shared/tenant-provisioning/decide-provisioning.js';

const SUB = '2f6c3a1e-8d4b-4f7a-9c2e-5b1d0e9a7c31';
const rule = (domain: string, tenantId = 'acme', role = 'member'): DomainRule => ({ domain, tenantId, role });

describe('readProvisioningCandidate', () => {
  // Punycode forms from Node's WHATWG/UTS #46 converter, the one the email-domain policy uses:
  //   node -e "console.log(require('url').domainToASCII('bücher.example.com'))"  -> xn--bcher-kva.example.com
  it.each([
    ['a lowercase address', 'new.hire@acme.example.com', 'acme.example.com'],
    ['an address in mixed case', 'New.Hire@ACME.Example.COM', 'acme.example.com'],
    ['an internationalised domain', 'anna@Bücher.Example.com', 'xn--bcher-kva.example.com'],
    ['a domain already in punycode', 'anna@xn--bcher-kva.example.com', 'xn--bcher-kva.example.com'],
  ])('reads the canonical domain of %s', (_case, email, domain) => {
    // Act
    const candidate = readProvisioningCandidate({ sub: SUB, email, email_verified: 'true' });

    // Assess
    expect(candidate).toEqual({ eligible: true, sub: SUB, domain });
  });

  it.each([
    ['no attributes', null, 'no-sub'],
    ['no sub', { email: 'a@acme.example.com', email_verified: 'true' }, 'no-sub'],
    ['an empty sub', { sub: ' ', email: 'a@acme.example.com', email_verified: 'true' }, 'no-sub'],
    ['no email', { sub: SUB, email_verified: 'true' }, 'email-missing'],
    ['an empty email', { sub: SUB, email: '', email_verified: 'true' }, 'email-missing'],
    [
      'email_verified false',
      { sub: SUB, email: 'a@acme.example.com', email_verified: 'false' },
      'email-unverified',
    ],
    ['email_verified missing', { sub: SUB, email: 'a@acme.example.com' }, 'email-unverified'],
    [
      'email_verified True (not what Cognito sends)',
      { sub: SUB, email: 'a@acme.example.com', email_verified: 'True' },
      'email-unverified',
    ],
    ['email_verified 1', { sub: SUB, email: 'a@acme.example.com', email_verified: '1' }, 'email-unverified'],
    [
      'a trailing dot',
      { sub: SUB, email: 'a@acme.example.com.', email_verified: 'true' },
      'email-unreadable',
    ],
    [
      'a fullwidth disguise',
      { sub: SUB, email: 'a@ａｃｍｅ.example.com', email_verified: 'true' },
      'email-unreadable',
    ],
    [
      'a zero-width character',
      { sub: SUB, email: 'a@ac\u200Bme.example.com', email_verified: 'true' },
      'email-unreadable',
    ],
    [
      'two at signs',
      { sub: SUB, email: 'a@evil.com@acme.example.com', email_verified: 'true' },
      'email-unreadable',
    ],
    ['a number as email', { sub: SUB, email: 42, email_verified: 'true' }, 'email-unreadable'],
  ])('refuses a user with %s', (_case, attributes, reason) => {
    // Act
    const candidate = readProvisioningCandidate(attributes as Record<string, unknown> | null);

    // Assess
    expect(candidate).toEqual({ eligible: false, reason });
  });
});

describe('decideProvisioning', () => {
  it('grants the rule tenant and role to the user named by sub', () => {
    // Act
    const decision = decideProvisioning(
      { eligible: true, sub: SUB, domain: 'acme.example.com' },
      rule('acme.example.com', 'acme', 'admin'),
    );

    // Assess
    expect(decision).toEqual({ kind: 'grant', grant: { sub: SUB, tenantId: 'acme', role: 'admin' } });
  });

  it('grants nothing when the domain has no rule', () => {
    expect(decideProvisioning({ eligible: true, sub: SUB, domain: 'example.com' }, undefined)).toEqual({
      kind: 'skip',
      reason: 'no-rule',
    });
  });

  it('never grants a rule to a domain that only resembles it (property)', () => {
    // Suffix, prefix and subdomain tricks around the rule's domain, and any other domain.
    const label = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    const lookalike = fc.oneof(
      label.map((l) => `${l}acme.example.com`),
      label.map((l) => `${l}.acme.example.com`),
      label.map((l) => `acme.example.com.${l}`),
      label.map((l) => `acme${l}.example.com`),
      fc.domain().filter((domain) => domain !== 'acme.example.com'),
    );
    fc.assert(
      fc.property(lookalike, (domain) => {
        const decision = decideProvisioning({ eligible: true, sub: SUB, domain }, rule('acme.example.com'));
        expect(decision).toEqual({ kind: 'skip', reason: 'no-rule' });
      }),
    );
  });

  it('reads every case variant of a ruled domain as that domain (property)', () => {
    // Any mix of upper and lower case in the domain gives the rule's key, so the rule applies.
    const variant = fc
      .array(fc.boolean(), { minLength: 'acme.example.com'.length, maxLength: 'acme.example.com'.length })
      .map((upper) =>
        [...'acme.example.com'].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''),
      );
    fc.assert(
      fc.property(variant, (domain) => {
        const candidate = readProvisioningCandidate({
          sub: SUB,
          email: `x@${domain}`,
          email_verified: 'true',
        });
        expect(candidate).toEqual({ eligible: true, sub: SUB, domain: 'acme.example.com' });
      }),
    );
  });
});
