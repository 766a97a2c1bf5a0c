import type * as NodeUrl from 'node:url';
import { ConfigError } from '../errors.js';
import { UNSTABLE_CASE_MAPPINGS } from './unstable-case-mappings.generated.js';
import { everyCodeUnitIn, unicodePattern } from '../unicode-pattern.js';
import { requireBuiltin } from '../builtins.js';

/**
 * The email-domain policy as pure functions: strict parsing, domain normalisation and a compiled
 * allow/deny matcher. No I/O here; list sources live in `email-domain-sources.ts`, and what handlers
 * call is `email-domain-guard.ts`.
 *
 * Internationalised domains are compared in their ASCII (punycode) form, computed with
 * `node:url`'s `domainToASCII`/`domainToUnicode` (WHATWG URL / UTS #46, built into Node; the
 * `punycode` module is deprecated). Because UTS #46 *maps* input (fullwidth letters become ASCII,
 * zero-width characters vanish), an address is first refused if its domain would change under NFKC or
 * holds an invisible character, and a label is accepted only if the conversion changed nothing but
 * the letter case: the policy refuses a disguised domain instead of mapping it onto an allowed one.
 * A label is also refused where lower-casing and UTS #46's own case mapping disagree (U+1E9E), and where it
 * holds a deviation character (ß, ς), which transitional and non-transitional readers map apart.
 */

/** An address the policy could read: the domain in lowercase ASCII (punycode) form. */
export interface ParsedEmailAddress {
  readonly ok: true;
  readonly localPart: string;
  /** Lowercase ASCII form, e.g. `xn--bcher-kva.de` for `Bücher.de`. */
  readonly domain: string;
}

/** An address the policy refuses to interpret; `reason` is for logs and never contains the input. */
export interface UnreadableEmailAddress {
  readonly ok: false;
  readonly reason: string;
}

/** The outcome of {@link decideEmailDomain}. `reason` is internal (logs) and never contains the address. */
export type EmailDomainDecision =
  | { readonly allowed: true; readonly domain: string }
  | {
      readonly allowed: false;
      readonly code: 'EMAIL_INVALID' | 'EMAIL_DOMAIN_NOT_ALLOWED';
      readonly reason: string;
    };

/** A set of domain entries compiled for lookups whose cost does not depend on the entry count. */
export interface DomainMatcher {
  /** Number of entries (exact + wildcard), for logs. */
  readonly size: number;
  /** How `domain` (lowercase ASCII) matches: `'exact'`, `'subdomain'` (a `*.` entry) or undefined. */
  match(domain: string): 'exact' | 'subdomain' | undefined;
}

/**
 * A compiled policy. `allow` is `null` when no allowlist is configured (then every domain that is
 * not denied is allowed); an allowlist that is configured but empty allows nothing.
 */
export interface EmailDomainPolicy {
  readonly allow: readonly DomainMatcher[] | null;
  readonly deny: readonly DomainMatcher[];
}

const MAX_ADDRESS_OCTETS = 254;
const MAX_LOCAL_OCTETS = 64;
const MAX_DOMAIN_OCTETS = 253;

// Anything a reader cannot see or that changes how text is shown: controls, format characters
// (zero-width, bidi), separators (every kind of space), private-use, surrogates, unassigned, and the
// default-ignorable code points (fillers, variation selectors, the combining grapheme joiner).
const INVISIBLE = unicodePattern(
  String.raw`[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}]`,
  'u',
  // eslint-disable-next-line no-control-regex -- control characters are what this class is about
  /[\x00-\x20\x7f]/,
);
// The routing and quoting forms the policy refuses to interpret: quoted local parts, source routes
// (`%`, `!`), escapes, comments, domain literals, display-name and group syntax.
const REFUSED_CHARACTERS = /["\\%!()[\]<>,;:]/;
// RFC 5322 atext (minus the refused `%` and `!`) plus letters, marks and digits of any script (RFC 6531).
const LOCAL_ATOM = unicodePattern(
  String.raw`^[A-Za-z0-9#$&'*+/=?^_${'`'}{|}~\-\p{L}\p{M}\p{N}]+$`,
  'u',
  /^[A-Za-z0-9#$&'*+/=?^_`{|}~-]+$/,
);
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const UNICODE_LABEL = unicodePattern(String.raw`^[\p{L}\p{M}\p{N}-]+$`, 'u', /^[A-Za-z0-9-]+$/);
// UTS #46's deviation characters: transitional readers (IDNA 2003, Python's `encodings.idna`, older mail
// systems) map them (ß to ss, ς to σ, the joiners to nothing), non-transitional ones (Node) keep them, so two
// readers would see two domains. ZWJ and ZWNJ are already refused as invisible.
const DEVIATION = /[\u00DF\u03C2\u200C\u200D]/u;
const textEncoder = new TextEncoder();

// ASCII fast paths. Compiling a Unicode-property regex costs ~1 ms on its first use, a cost every
// cold start paid for plain ASCII addresses and lists; these answer exactly as the full checks do for
// the strings they accept (test/shared/email-domain/ascii-fast-paths.test.ts), else the full check runs.
// The Unicode regexes themselves are built on first need (shared/unicode-pattern.ts).

/** Whether `text` holds an invisible character (see INVISIBLE). */
export function hasInvisibleCharacter(text: string): boolean {
  // Printable ASCII without the space: nothing in it is invisible.
  return !everyCodeUnitIn(text, 0x21, 0x7e) && INVISIBLE.for(text).test(text);
}

/** Whether NFKC normalization changes `text`. */
export function changesUnderNfkc(text: string): boolean {
  // ASCII is stable under every Unicode normalization form.
  return !everyCodeUnitIn(text, 0x00, 0x7f) && text.normalize('NFKC') !== text;
}

/** Whether `atom` is a dot-free piece of an acceptable local part (see LOCAL_ATOM). */
export function isLocalAtom(atom: string): boolean {
  return LOCAL_ATOM.for(atom).test(atom);
}

/**
 * Reads an email address strictly, refusing (never repairing) every form that could make two
 * readers disagree about its domain.
 *
 * @example
 * ```ts
 * parseEmailAddress('Ana+news@Example.COM'); // { ok: true, localPart: 'Ana+news', domain: 'example.com' }
 * parseEmailAddress('ana@example.com.');     // { ok: false, reason: 'domain ends with a dot' }
 * ```
 */
export function parseEmailAddress(input: unknown): ParsedEmailAddress | UnreadableEmailAddress {
  if (typeof input !== 'string')
    return refuse(input === undefined || input === null ? 'missing' : 'not a string');
  if (input.length === 0) return refuse('empty');
  if (octets(input) > MAX_ADDRESS_OCTETS) return refuse(`longer than ${MAX_ADDRESS_OCTETS} octets`);
  if (hasInvisibleCharacter(input)) return refuse('contains whitespace, control or invisible characters');
  if (input.includes('=?')) return refuse('contains a MIME encoded-word marker');
  if (REFUSED_CHARACTERS.test(input)) return refuse('contains a quoting, routing or escape character');

  const at = input.indexOf('@');
  if (at < 0) return refuse('has no @');
  if (input.indexOf('@', at + 1) >= 0) return refuse('has more than one @');

  const localPart = input.slice(0, at);
  if (localPart.length === 0) return refuse('empty local part');
  if (octets(localPart) > MAX_LOCAL_OCTETS)
    return refuse(`local part longer than ${MAX_LOCAL_OCTETS} octets`);
  if (changesUnderNfkc(localPart)) return refuse('local part changes under NFKC');
  for (const atom of localPart.split('.')) {
    if (atom.length === 0) return refuse('local part has a leading, trailing or doubled dot');
    if (!isLocalAtom(atom)) return refuse('local part has a character outside the allowed set');
  }

  const domain = toAsciiDomain(input.slice(at + 1));
  if (!domain.ok) return domain;
  if (domain.value.split('.').length < 2) return refuse('domain has a single label');
  return { ok: true, localPart, domain: domain.value };
}

/**
 * Parses a list of domain entries (`example.com`, `*.example.com`), separated by commas or
 * whitespace, `#` starting a comment to the end of the line. Entries are returned in canonical form
 * (lowercase ASCII, `*.` kept); the same syntax serves variables, list files and SSM parameters.
 *
 * @throws ConfigError naming each bad entry and `source`.
 * @example
 * ```ts
 * parseDomainList('Example.com, *.partner.org # partners', 'ALLOWED_EMAIL_DOMAINS');
 * // ['example.com', '*.partner.org']
 * ```
 */
export function parseDomainList(text: string, source: string): string[] {
  const { entries, invalid } = readDomainList(text);
  if (invalid.length > 0) {
    throw new ConfigError(invalid.map((bad) => `${source}: ${describeInvalidEntry(bad)}`));
  }
  return entries;
}

/** An entry {@link readDomainList} refused, with its 1-based line. */
export interface InvalidDomainEntry {
  readonly entry: string;
  readonly line: number;
  readonly reason: string;
}

/** The non-throwing half of {@link parseDomainList}: canonical entries and the refused ones. */
export function readDomainList(text: string): { entries: string[]; invalid: InvalidDomainEntry[] } {
  const entries: string[] = [];
  const invalid: InvalidDomainEntry[] = [];
  // A variable holds one line: split only text with line breaks (a regex run costs a cold start its compiles).
  const lines = text.includes('\n') || text.includes('\r') ? text.split(/\r?\n|\r/) : [text];
  lines.forEach((line, index) => {
    const hash = line.indexOf('#');
    const content = hash >= 0 ? line.slice(0, hash) : line;
    for (const item of content.split(/[\s,]+/)) {
      if (item.length === 0) continue;
      const entry = normaliseDomainEntry(item);
      if (entry.ok) entries.push(entry.value);
      else invalid.push({ entry: item, line: index + 1, reason: entry.reason });
    }
  });
  return { entries, invalid };
}

/** `invalid domain entry "x" (reason)`, with the line when the list has several. */
export function describeInvalidEntry(bad: InvalidDomainEntry): string {
  const where = bad.line > 1 ? ` on line ${bad.line}` : '';
  return `invalid domain entry ${JSON.stringify(bad.entry)}${where} (${bad.reason})`;
}

/**
 * Canonical form of one list entry: `example.com` or `*.example.com`, lowercase ASCII. Refuses what
 * addresses would refuse, a `*` anywhere but a leading `*.`, and an exact entry of a single label.
 */
export function normaliseDomainEntry(
  item: string,
): { ok: true; value: string } | { ok: false; reason: string } {
  const wildcard = item.startsWith('*.');
  const body = wildcard ? item.slice(2) : item;
  if (body.includes('*')) return { ok: false, reason: 'a wildcard is only allowed as a leading "*."' };
  if (hasInvisibleCharacter(body))
    return { ok: false, reason: 'contains whitespace, control or invisible characters' };
  const domain = toAsciiDomain(body);
  if (!domain.ok) return { ok: false, reason: domain.reason };
  if (!wildcard && !domain.value.includes('.')) {
    return { ok: false, reason: 'an exact entry needs at least two labels (use "*.tld" for a whole TLD)' };
  }
  return { ok: true, value: wildcard ? `*.${domain.value}` : domain.value };
}

/**
 * Compiles canonical or raw entries into a {@link DomainMatcher}: a Set of exact domains and a Set of
 * wildcard bases, so a lookup costs one Set probe per label of the address's domain.
 *
 * @throws ConfigError naming each bad entry.
 * @example
 * ```ts
 * compileDomainMatcher(['example.com', '*.example.org']).match('a.example.org'); // 'subdomain'
 * ```
 */
export function compileDomainMatcher(
  entries: readonly string[],
  source = 'domain list',
  options: { readonly skipInvalid?: boolean } = {},
): DomainMatcher {
  const exact = new Set<string>();
  const suffixes = new Set<string>();
  const problems: string[] = [];
  for (const item of entries) {
    const entry = isCanonicalEntry(item) ? { ok: true as const, value: item } : normaliseDomainEntry(item);
    if (!entry.ok) {
      // A third-party list (the disposable-domain package) may hold entries we refuse: skip them.
      if (options.skipInvalid) continue;
      problems.push(`${source}: invalid domain entry ${JSON.stringify(item)} (${entry.reason})`);
    } else if (entry.value.startsWith('*.')) {
      suffixes.add(entry.value.slice(2));
    } else {
      exact.add(entry.value);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    size: exact.size + suffixes.size,
    match(domain: string): 'exact' | 'subdomain' | undefined {
      if (exact.has(domain)) return 'exact';
      if (suffixes.size === 0) return undefined;
      // `*.example.com` covers strict subdomains only: probe each suffix that starts after a dot.
      for (let dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
        if (suffixes.has(domain.slice(dot + 1))) return 'subdomain';
      }
      return undefined;
    },
  });
}

/**
 * Compiles an allowlist and a denylist into a policy. Omit `allowed` (or pass undefined) for "no
 * allowlist": then only the denylist decides.
 *
 * @example
 * ```ts
 * const policy = compileEmailDomainPolicy({ allowed: ['example.com'], denied: ['*.example.com'] });
 * ```
 */
export function compileEmailDomainPolicy(input: {
  readonly allowed?: readonly string[] | undefined;
  readonly denied?: readonly string[] | undefined;
}): EmailDomainPolicy {
  return Object.freeze({
    allow:
      input.allowed === undefined ? null : Object.freeze([compileDomainMatcher(input.allowed, 'allowed')]),
    deny: Object.freeze([compileDomainMatcher(input.denied ?? [], 'denied')]),
  });
}

/**
 * One policy from several (e.g. variables, file, SSM, disposable list): denylists are united,
 * allowlists are united, and an allowlist is in force as soon as one of the policies has one.
 * Costs O(number of policies), independent of the entry counts.
 */
export function mergeEmailDomainPolicies(...policies: readonly EmailDomainPolicy[]): EmailDomainPolicy {
  const allowLists = policies
    .filter((policy) => policy.allow !== null)
    .flatMap((policy) => policy.allow ?? []);
  const hasAllowList = policies.some((policy) => policy.allow !== null);
  return Object.freeze({
    allow: hasAllowList ? Object.freeze(allowLists) : null,
    deny: Object.freeze(policies.flatMap((policy) => policy.deny)),
  });
}

/**
 * Decides whether `email` may be used: only this value decides, never `custom:*` attributes,
 * validation data or client metadata. Deny wins over allow.
 *
 * @example
 * ```ts
 * decideEmailDomain(policy, 'ana@evilexample.com');
 * // { allowed: false, code: 'EMAIL_DOMAIN_NOT_ALLOWED', reason: 'not in the allowlist' }
 * ```
 */
export function decideEmailDomain(policy: EmailDomainPolicy, email: unknown): EmailDomainDecision {
  const parsed = parseEmailAddress(email);
  if (!parsed.ok) return { allowed: false, code: 'EMAIL_INVALID', reason: parsed.reason };
  return decideDomain(policy, parsed.domain);
}

/** The domain half of {@link decideEmailDomain}, for a domain already in lowercase ASCII form. */
export function decideDomain(policy: EmailDomainPolicy, domain: string): EmailDomainDecision {
  for (const matcher of policy.deny) {
    const how = matcher.match(domain);
    if (how !== undefined) {
      return { allowed: false, code: 'EMAIL_DOMAIN_NOT_ALLOWED', reason: `denied by an ${how} entry` };
    }
  }
  if (policy.allow === null) return { allowed: true, domain };
  for (const matcher of policy.allow) {
    if (matcher.match(domain) !== undefined) return { allowed: true, domain };
  }
  return { allowed: false, code: 'EMAIL_DOMAIN_NOT_ALLOWED', reason: 'not in the allowlist' };
}

function refuse(reason: string): UnreadableEmailAddress {
  return { ok: false, reason };
}

function octets(text: string): number {
  return textEncoder.encode(text).length;
}

function isCanonicalEntry(item: string): boolean {
  const body = item.startsWith('*.') ? item.slice(2) : item;
  if (body.length === 0 || body.length > MAX_DOMAIN_OCTETS) return false;
  const labels = body.split('.');
  if (!item.startsWith('*.') && labels.length < 2) return false;
  return (
    labels.every((label) => ASCII_LABEL.test(label) && !label.startsWith('xn--')) && !isNumericTld(labels)
  );
}

function isNumericTld(labels: readonly string[]): boolean {
  const last = labels[labels.length - 1] ?? '';
  return last.length > 0 && everyCodeUnitIn(last, 0x30, 0x39);
}

/** Lowercase ASCII form of a domain, or why it is refused. Changes nothing but letter case. */
function toAsciiDomain(domain: string): { ok: true; value: string } | UnreadableEmailAddress {
  if (domain.length === 0) return refuse('empty domain');
  if (domain.endsWith('.')) return refuse('domain ends with a dot');
  if (changesUnderNfkc(domain))
    return refuse('domain changes under NFKC (fullwidth or compatibility characters)');
  const labels = domain.split('.');
  const asciiLabels: string[] = [];
  for (const label of labels) {
    if (label.length === 0) return refuse('domain has an empty label');
    const ascii = toAsciiLabel(label);
    if (ascii === undefined) return refuse('domain has an invalid label');
    asciiLabels.push(ascii);
  }
  if (isNumericTld(asciiLabels)) return refuse('domain is an IP address or has a numeric top-level label');
  const value = asciiLabels.join('.');
  if (value.length > MAX_DOMAIN_OCTETS) return refuse(`domain longer than ${MAX_DOMAIN_OCTETS} octets`);
  return { ok: true, value };
}

// node:url is required on the first non-ASCII or `xn--` label, not imported: an ASCII list and address never load it.
const url = (): typeof NodeUrl => requireBuiltin<typeof NodeUrl>('node:url');

function toAsciiLabel(label: string): string | undefined {
  const lower = label.toLowerCase();
  // Printable ASCII only; control characters are refused earlier by INVISIBLE.
  if (!everyCodeUnitIn(label, 0x20, 0x7e)) return toAsciiLabelBeyondAscii(label, lower);
  if (!ASCII_LABEL.test(lower)) return undefined;
  if (!lower.startsWith('xn--')) return lower;
  // An A-label must be canonical punycode of a label that itself passes these checks.
  const unicode = url().domainToUnicode(lower);
  if (unicode === '' || unicode === lower) return undefined;
  return toAsciiLabel(unicode) === lower ? lower : undefined;
}

/**
 * {@link toAsciiLabel} for a label beyond printable ASCII: a function of its own, so that a cold start
 * with ASCII lists and addresses never compiles it.
 */
function toAsciiLabelBeyondAscii(label: string, lower: string): string | undefined {
  if (
    !UNICODE_LABEL.for(label).test(label) ||
    INVISIBLE.for(label).test(label) ||
    label.normalize('NFKC') !== label
  )
    return undefined;
  if (DEVIATION.test(label) || DEVIATION.test(lower)) return undefined;
  // Capitals that readers on older IDNA tables read apart from Node 24 or refuse (Unicode 16/17 capitals,
  // Cherokee); generated against Python's two readers by tools/generate-unstable-case-mappings.ts.
  if (UNSTABLE_CASE_MAPPINGS.test(label)) return undefined;
  const ascii = url().domainToASCII(lower);
  // Lower-casing first must not change what UTS #46 reads from the raw label (U+1E9E ẞ lower-cases to ß,
  // which UTS #46 keeps, while its own mapping of ẞ gives ss): where the two disagree, refuse.
  if (url().domainToASCII(label) !== ascii) return undefined;
  // UTS #46 maps characters (case, compatibility forms, ignorables); accept only a pure case change.
  if (ascii === '' || ascii.includes('.') || !ASCII_LABEL.test(ascii) || !ascii.startsWith('xn--'))
    return undefined;
  return url().domainToUnicode(ascii) === lower ? ascii : undefined;
}
