/** The message templates, keyed by path under `templates/` (`en/sign-up.html`). */
export type TemplateFiles = Readonly<Record<string, string>>;

/**
 * The template catalog port: read access to the message templates of every locale, the core's only
 * view of them. Files are Mustache: `<event>.html`, `<event>.subject.txt`, `<event>.sms.txt` per locale
 * (`sign-up`, `forgot-password`, ...), partials `_header.html`/`_footer.html` (as `{{> header}}`).
 * Implement it over any store; the reads are synchronous, so load the templates at cold start.
 *
 * @example
 * ```ts
 * const catalog: TemplateCatalog = {
 *   locales: ['de', 'en'],
 *   template: (locale, file) => myTemplates[`${locale}/${file}`],
 *   partials: () => ({}),
 * };
 * export const handler = createCustomMessageHandler({ catalog, env: { ...process.env, DEFAULT_LOCALE: 'de' } });
 * ```
 */
export interface TemplateCatalog {
  /** Locales that have at least one template, sorted. */
  readonly locales: readonly string[];
  /** The text of `<locale>/<file>`, e.g. `template('fr', 'sign-up.html')`; undefined when absent. */
  template(locale: string, file: string): string | undefined;
  /** The locale's partials: `_header.html` is available to its templates as `{{> header}}`. */
  partials(locale: string): Readonly<Record<string, string>>;
}

const PARTIAL_FILE = /^_([a-z0-9-]+)\.html$/;

/**
 * A catalog over template files held in memory (the embedded module, a folder read by a tool, a test's table).
 *
 * @example
 * ```ts
 * const catalog = createTemplateCatalog({ 'en/sign-up.subject.txt': 'Welcome to {{appName}}', ... });
 * ```
 */
export function createTemplateCatalog(files: TemplateFiles): TemplateCatalog {
  const byLocale = new Map<string, Map<string, string>>();
  for (const [path, text] of Object.entries(files)) {
    const [locale, file, ...rest] = path.split('/');
    if (!locale || !file || rest.length > 0) continue;
    const templates = byLocale.get(locale) ?? new Map<string, string>();
    templates.set(file, text);
    byLocale.set(locale, templates);
  }
  const partialsByLocale = new Map<string, Readonly<Record<string, string>>>();
  for (const [locale, templates] of byLocale) {
    const partials: Record<string, string> = {};
    for (const [file, text] of templates) {
      const name = PARTIAL_FILE.exec(file)?.[1];
      if (name) partials[name] = text;
    }
    partialsByLocale.set(locale, Object.freeze(partials));
  }
  return Object.freeze({
    locales: Object.freeze([...byLocale.keys()].sort()),
    template: (locale: string, file: string) => byLocale.get(locale)?.get(file),
    partials: (locale: string) => partialsByLocale.get(locale) ?? Object.freeze({}),
  });
}
