/**
 * Templates parsed by mustache ahead of time. mustache's parser (a scanner of regexes, one token per
 * character of text, then squashed and nested) was the largest part of a cold start's first message;
 * the tokens are the same for a text every time, so `npm run preview` stores them for the embedded texts
 * (embedded-template-tokens.ts, made by tools/lib/parse-templates.ts). Compiling mustache's renderer for
 * one message was then the largest part left, so the stored tokens of what the shipped texts use (names,
 * sections, partials) are rendered here by a few lines that do what mustache's `Writer` does with them; a
 * test proves on every shipped text, with hostile values, that the output is mustache's. A text without
 * stored tokens (a template of your own) is mustache's, parsed and rendered as before.
 */
import { loadMustache } from './load-mustache.js';
import type { TemplateFiles } from './template-catalog.js';

/**
 * Template texts and, by the same paths, the tokens of `Mustache.parse(text)` as JSON, each text token's
 * value left out (`0`) because it is `text.slice(start, end)`: the bundle then holds each text once, and
 * a string of JSON is cheap to scan and to parse. Only tokens {@link isCoveredByStoredRendering} accepts.
 */
export interface ParsedTemplates {
  readonly texts: TemplateFiles;
  readonly tokens: Readonly<Record<string, string>>;
  /** The locales of `texts` as createTemplateCatalog finds them, found ahead of time too. */
  readonly locales?: readonly string[];
}

/** What renderMessage uses of mustache: {@link MUSTACHE_WRITER} or {@link createParsedWriter}'s. */
export interface MustacheWriter {
  /** Whether a template uses `{{{...}}}` or `{{&...}}` (unescaped output), itself or in a section. */
  hasUnescapedTag(template: string): boolean;
  render(
    template: string,
    view: unknown,
    partials: Readonly<Record<string, string>>,
    config: { escape: (text: string) => string },
  ): string;
}

/** mustache itself (the toolkit's own copy, loaded on first use: see load-mustache.ts). */
export const MUSTACHE_WRITER: MustacheWriter = Object.freeze({
  hasUnescapedTag: (template: string): boolean =>
    hasUnescapedToken(loadMustache().parse(template) as Token[]),
  render: (
    template: string,
    view: unknown,
    partials: Readonly<Record<string, string>>,
    config: { escape: (text: string) => string },
  ): string => loadMustache().render(template, view, partials, config),
});

type Token = [type: string, value: unknown, start: number, end: number, ...rest: unknown[]];

/**
 * A writer that takes the tokens of each text in `parsed` from there (decoded once, on first use) and
 * renders them as mustache's `Writer` does (see {@link renderTokens}); any other text is mustache's.
 *
 * @example
 * ```ts
 * const writer = createParsedWriter(EMBEDDED_TEMPLATE_TOKENS);
 * writer.render(EMBEDDED_TEMPLATES['en/sign-up.sms.txt'], view, {}, { escape: (text) => text });
 * ```
 */
export function createParsedWriter(parsed: ParsedTemplates): MustacheWriter {
  // Each stored text's tokens: their JSON until first use, then decoded.
  let tokensByText: Map<string, string | Token[]> | undefined;
  const storedTokens = (text: string): Token[] | undefined => {
    // The stored tokens were parsed with the default tags, which the toolkit's own copy of mustache keeps (no
    // other code reaches it: see load-mustache.ts).
    if (tokensByText === undefined) {
      tokensByText = new Map();
      for (const path in parsed.tokens) {
        if (Object.hasOwn(parsed.tokens, path) && Object.hasOwn(parsed.texts, path))
          tokensByText.set(parsed.texts[path] as string, parsed.tokens[path] as string);
      }
    }
    let tokens = tokensByText.get(text);
    if (typeof tokens === 'string') {
      tokens = JSON.parse(tokens) as Token[];
      tokensByText.set(text, tokens);
    }
    return tokens;
  };
  const render: MustacheWriter['render'] = (template, view, partials, config) => {
    const tokens = storedTokens(template);
    const output =
      tokens &&
      renderTokens(
        tokens,
        template,
        view,
        (value) => (value == null ? '' : config.escape(value as string)),
        (name) => {
          const text = partials[name];
          return text == null ? '' : render(text, view, partials, config);
        },
      );
    return output ?? loadMustache().render(template, view, partials, config);
  };
  return {
    // Stored tokens have no unescaped tag (isCoveredByStoredRendering).
    hasUnescapedTag: (template) =>
      storedTokens(template) === undefined && MUSTACHE_WRITER.hasUnescapedTag(template),
    render,
  };
}

/**
 * mustache's `Writer.renderTokens` for the tokens {@link isCoveredByStoredRendering} accepts, where a name is
 * the view's property, a section renders once when its value is not empty, and a partial (never inside a
 * section) is rendered by `partial`. That is mustache's reading of strings (what renderMessage's view holds),
 * numbers, booleans, `null` and `undefined`; on a value mustache reads otherwise (a function, an object or a
 * list in a section) it gives up and returns undefined, for mustache to render the text.
 */
function renderTokens(
  tokens: readonly Token[],
  text: string,
  view: unknown,
  escape: (value: unknown) => string,
  partial: (name: string) => string,
): string | undefined {
  let output = '';
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    const type = token[0];
    // A text token's value is left out (`0`) where it is the text's own slice.
    if (type === 'text') output += token[1] === 0 ? text.slice(token[2], token[3]) : (token[1] as string);
    else if (type === '>') output += partial(token[1] as string);
    else if (type !== '!') {
      const steps = (token[1] as string).split('.');
      let found = view;
      for (let step = 0; step < steps.length; step++)
        found = (found as Record<string, unknown> | null | undefined)?.[steps[step] as string];
      if (typeof found === 'function' || (type !== 'name' && typeof found === 'object' && found !== null))
        return undefined;
      if (type === 'name') output += escape(found);
      else if (type === '#' ? found : !found) {
        const inner = renderTokens(token[4] as Token[], text, view, escape, partial);
        if (inner === undefined) return undefined;
        output += inner;
      }
    }
  }
  return output;
}

/**
 * Whether {@link createParsedWriter} renders `tokens` (mustache's parse of a text) as mustache does: names
 * whose lookup is the plain property path (no step that a string or a number answers from its prototype,
 * which mustache would read from the value a section opened, Object.prototype's included), partials
 * outside sections and without indentation (which mustache would add to each line), no unescaped tag.
 * `npm run preview` stores the tokens of a text only when they are covered; checked there, not at cold start.
 */
export function isCoveredByStoredRendering(tokens: readonly unknown[], inSection = false): boolean {
  return (tokens as Token[]).every(([type, value, , , children]) =>
    type === 'text' || type === '!'
      ? true
      : type === '>'
        ? !inSection && children === ''
        : (type === 'name' || type === '#' || type === '^') &&
          (value as string)
            .split('.')
            .every(
              (step) =>
                /^[A-Za-z_$][\w$]*$/.test(step) && !(step in String.prototype) && !(step in Number.prototype),
            ) &&
          (type === 'name' || isCoveredByStoredRendering(children as Token[], true)),
  );
}

function hasUnescapedToken(tokens: readonly Token[]): boolean {
  return tokens.some(
    ([type, , , , children]) =>
      type === '&' || (Array.isArray(children) && hasUnescapedToken(children as Token[])),
  );
}
