import { describe, expect, it } from 'vitest';
import { startDeadline } from '../../../shared/deadline.js';
import { decideDomain } from '../../../shared/email-domain/email-domain-policy.js';
import {
  toDomainPolicySource,
  type EmailDomainLists,
} from '../../../shared/email-domain/email-domain-list-source.js';

describe('toDomainPolicySource', () => {
  it('compiles the lists a source returns, once while it returns the same object', async () => {
    // Prepare
    let lists: EmailDomainLists = { allowed: ['*.partner.example'], denied: ['bad.partner.example'] };
    const signals: AbortSignal[] = [];
    const source = toDomainPolicySource({
      load: async (signal) => {
        signals.push(signal);
        return lists;
      },
    });
    const deadline = startDeadline(1_000);

    // Act
    const first = await source.current(deadline);
    const second = await source.current(deadline);
    lists = { allowed: ['other.example'] };
    const third = await source.current(deadline);
    deadline.dispose();

    // Assess
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    expect(signals).toEqual([deadline.signal, deadline.signal, deadline.signal]);
    expect(decideDomain(first, 'eu.partner.example').allowed).toBe(true);
    expect(decideDomain(first, 'bad.partner.example').allowed).toBe(false);
    expect(decideDomain(first, 'partner.example').allowed).toBe(false);
    expect(decideDomain(third, 'other.example').allowed).toBe(true);
  });
});
