import {
  compileEmailDomainPolicy,
  decideDomain,
  decideEmailDomain,
  parseEmailAddress,
  type EmailDomainPolicy,
} from '../../shared/email-domain/email-domain-policy.js';
import { measureInterleaved } from './measure.js';
import type { BenchRow } from './types.js';

const GOAL_RATIO = 1.2;
const BATCH = 200;

/** Deterministic pseudo-random domain names, so every run measures the same lists. */
function* domainNames(seed: number): Generator<string> {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  const tlds = ['com', 'org', 'net', 'de', 'io', 'co.uk'];
  for (;;) {
    const label = next().toString(36) + next().toString(36).slice(0, 4);
    yield `${label}.${tlds[next() % tlds.length]}`;
  }
}

/** `size` entries split between allow and deny, a quarter of each side wildcard. */
function buildPolicy(size: number): EmailDomainPolicy {
  const names = domainNames(size);
  const allowed = ['example.com', '*.partner.org'];
  const denied = ['blocked.partner.org', '*.evil.test'];
  for (let i = allowed.length + denied.length; i < size; i += 1) {
    const name = names.next().value as string;
    const entry = i % 4 === 0 ? `*.${name}` : name;
    (i % 2 === 0 ? allowed : denied).push(entry);
  }
  return compileEmailDomainPolicy({ allowed, denied });
}

// The same addresses against both policies: allowed, denied, unlisted, deep subdomains, lookalikes.
const ADDRESSES = [
  'ana@example.com',
  'Ana.Lima+news@Example.COM',
  'dev@eu.west.partner.org',
  'ana@blocked.partner.org',
  'x@a.b.c.d.evil.test',
  'ana@evilexample.com',
  'ana@example.com.evil.com',
  'ana@gmail.com',
  'ana@mail.some.long.chain.of.labels.example.net',
  'ana@bücher.de',
];

/**
 * The email-domain decision's cost with 10 entries vs 100,000 (allow and deny, exact and wildcard):
 * the matcher probes one Set per label, so the ratio should stay near 1.
 */
export async function benchEmailDomainPolicy(): Promise<BenchRow[]> {
  const small = buildPolicy(10);
  const large = buildPolicy(100_000);
  const domains = ADDRESSES.map((address) => {
    const parsed = parseEmailAddress(address);
    if (!parsed.ok) throw new Error(`bench address is unreadable: ${parsed.reason}`);
    return parsed.domain;
  });
  const batchOf = (decide: (index: number) => unknown) => (): void => {
    for (let i = 0; i < BATCH; i += 1) decide(i % ADDRESSES.length);
  };
  const results = await measureInterleaved(
    {
      fullSmall: batchOf((i) => decideEmailDomain(small, ADDRESSES[i])),
      fullLarge: batchOf((i) => decideEmailDomain(large, ADDRESSES[i])),
      matchSmall: batchOf((i) => decideDomain(small, domains[i]!)),
      matchLarge: batchOf((i) => decideDomain(large, domains[i]!)),
    },
    { rounds: 41, opsPerRound: 200, warmupRounds: 5 },
  );
  const nsPerDecision = (msPerBatch: number | undefined): number => ((msPerBatch ?? 0) * 1e6) / BATCH;
  const row = (name: string, measured: number, baseline: number, note: string): BenchRow => {
    const ratio = measured / baseline;
    return {
      group: 'email-domain policy',
      name,
      measured,
      baseline,
      unit: 'ns/decision',
      ratio,
      goal: `≤ ${GOAL_RATIO}×`,
      met: ratio <= GOAL_RATIO,
      note,
    };
  };
  return [
    row(
      'decideEmailDomain, 100,000 vs 10 entries',
      nsPerDecision(results.fullLarge),
      nsPerDecision(results.fullSmall),
      `median over ${ADDRESSES.length} addresses (allowed, denied, unlisted, subdomains, IDN), parsing included`,
    ),
    row(
      'domain lookup only, 100,000 vs 10 entries',
      nsPerDecision(results.matchLarge),
      nsPerDecision(results.matchSmall),
      'the Set probes alone (one per label), without parsing',
    ),
  ];
}
