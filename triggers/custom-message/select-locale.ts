/**
 * Picks the template locale for a user's `locale` attribute: the exact tag (`fr-ca`), then its
 * language (`fr`), then `fallback`. Tags compare case-insensitively with `_` read as `-`.
 */
export function selectLocale(requested: unknown, available: readonly string[], fallback: string): string {
  if (typeof requested !== 'string') return fallback;
  const tag = normalizeLocaleTag(requested);
  if (tag === '') return fallback;
  const byTag = new Map(available.map((locale) => [normalizeLocaleTag(locale), locale] as const));
  return byTag.get(tag) ?? byTag.get(tag.split('-')[0] ?? '') ?? fallback;
}

/** `fr_CA ` -> `fr-ca`; anything that is not a plausible BCP 47 tag -> `''`. */
export function normalizeLocaleTag(tag: string): string {
  const normalized = tag.trim().replace(/_/g, '-').toLowerCase();
  return /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(normalized) ? normalized : '';
}
