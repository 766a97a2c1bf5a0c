import {
  createParsedWriter,
  MUSTACHE_WRITER,
  type MustacheWriter,
  type ParsedTemplates,
} from './parsed-templates.js';

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

const writerByCatalog = new WeakMap<TemplateCatalog, MustacheWriter>();

/**
 * A catalog over template files held in memory (the embedded module, a folder read by a tool, a test's table).
 * With `parsed` (`EMBEDDED_TEMPLATE_TOKENS` of embedded-template-tokens.ts), a text parsed ahead of time
 * is not parsed again (see {@link mustacheWriterOf}).
 *
 * @example
 * ```ts
 * const catalog = createTemplateCatalog({ 'en/sign-up.subject.txt': 'Welcome to {{appName}}', ... });
 * ```
 */
export function createTemplateCatalog(files: TemplateFiles, parsed?: ParsedTemplates): TemplateCatalog {
  // Read in place, each locale's partials on first use: maps of every file cost a cold start ~0.4 ms.
  // A table that is not frozen is copied, so later changes to it do not reach the catalog.
  const texts: TemplateFiles = Object.isFrozen(files) ? files : Object.freeze({ ...files });
  const paths = Object.keys(texts);
  // The embedded files' locales were found when they were embedded: a loop over every path is a cold start cost.
  const locales = new Set<string>(
    parsed?.texts === texts && parsed.locales !== undefined ? parsed.locales : localesOf(paths),
  );
  const template = (locale: string, file: string): string | undefined => {
    const path = `${locale}/${file}`;
    return isName(locale) && isName(file) && Object.prototype.propertyIsEnumerable.call(texts, path)
      ? texts[path]
      : undefined;
  };
  // Each locale's partials, found on first use, by name in the order of the files.
  const partials = new Map<string, Readonly<Record<string, string>>>();
  const catalog: TemplateCatalog = Object.freeze({
    locales: Object.freeze([...locales].sort()),
    template,
    partials: (locale: string): Readonly<Record<string, string>> => {
      if (!locales.has(locale)) return NO_PARTIALS;
      let byName = partials.get(locale);
      if (byName === undefined) {
        const found: Record<string, string> = {};
        // A partial's file starts with `_`: the other paths are passed over with one comparison each.
        const prefix = `${locale}/_`;
        for (const path of paths) {
          if (!path.startsWith(prefix)) continue;
          const file = path.slice(locale.length + 1);
          const name = isName(file) ? PARTIAL_FILE.exec(file)?.[1] : undefined;
          if (name) found[name] = texts[path] as string;
        }
        byName = Object.freeze(found);
        partials.set(locale, byName);
      }
      return byName;
    },
  });
  if (parsed !== undefined) writerByCatalog.set(catalog, createParsedWriter(parsed));
  return catalog;
}

// The first part of each path `<locale>/<file>`.
function localesOf(paths: readonly string[]): string[] {
  const locales: string[] = [];
  for (const path of paths) {
    const slash = path.indexOf('/');
    if (slash > 0 && slash < path.length - 1 && path.indexOf('/', slash + 1) < 0)
      locales.push(path.slice(0, slash));
  }
  return locales;
}

const NO_PARTIALS: Readonly<Record<string, string>> = Object.freeze({});

// A locale or a file name: not empty, no `/`.
function isName(part: string): boolean {
  return part !== '' && !part.includes('/');
}

/**
 * The mustache writer to render `catalog`'s templates with: one that knows the texts parsed ahead of time
 * when the catalog was made with them, else mustache itself.
 */
export function mustacheWriterOf(catalog: TemplateCatalog): MustacheWriter {
  return writerByCatalog.get(catalog) ?? MUSTACHE_WRITER;
}
