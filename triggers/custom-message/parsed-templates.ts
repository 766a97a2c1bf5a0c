/**
 * Templates parsed by mustache ahead of time. mustache's parser (a scanner of regexes, one token per
 * character of text, then squashed and nested) was the largest part of a cold start's first message;
 * the tokens are the same for a text every time, so `npm run preview` stores them for the embedded texts
 * (embedded-template-tokens.ts, made by tools/lib/parse-templates.ts) and a mustache `Writer` takes them
 * from there instead of parsing. Rendering stays mustache's own, so the output is mustache's by
 * construction; a text without stored tokens (a template of your own) is parsed as before.
 */
import Mustache from 'mustache';
import type { TemplateFiles } from './template-catalog.js';

/**
 * Template texts and, by the same paths, the tokens of `Mustache.parse(text)` as JSON, each text token's
 * value left out (`0`) because it is `text.slice(start, end)`: the bundle then holds each text once, and
 * a string of JSON is cheap to scan and to parse.
 */
export interface ParsedTemplates {
  readonly texts: TemplateFiles;
  readonly tokens: Readonly<Record<string, string>>;
}

/** What renderMessage uses of mustache: the default writer (`Mustache`) or {@link createParsedWriter}'s. */
export interface MustacheWriter {
  parse(template: string): unknown[];
  render(
    template: string,
    view: unknown,
    partials: Readonly<Record<string, string>>,
    config: { escape: (text: string) => string },
  ): string;
}

type Token = [type: string, value: unknown, start: number, end: number, ...rest: unknown[]];

/**
 * A mustache writer that takes the tokens of each text in `parsed` from there (decoded once, on first
 * use) and parses any other text as mustache does.
 *
 * @example
 * ```ts
 * const writer = createParsedWriter(EMBEDDED_TEMPLATE_TOKENS);
 * writer.render(EMBEDDED_TEMPLATES['en/sign-up.sms.txt'], view, {}, { escape: (text) => text });
 * ```
 */
export function createParsedWriter(parsed: ParsedTemplates): MustacheWriter {
  let tokensByText: Map<string, string> | undefined;
  const decoded = new Map<string, Token[]>();
  const storedTokens = (text: string): Token[] | undefined => {
    tokensByText ??= new Map(
      Object.entries(parsed.tokens).flatMap(([path, tokens]) => {
        const source = Object.hasOwn(parsed.texts, path) ? parsed.texts[path] : undefined;
        return source === undefined ? [] : [[source, tokens] as const];
      }),
    );
    const json = tokensByText.get(text);
    if (json === undefined) return undefined;
    let tokens = decoded.get(text);
    if (tokens === undefined) {
      tokens = restoreTexts(JSON.parse(json) as Token[], text);
      decoded.set(text, tokens);
    }
    return tokens;
  };
  const writer = new Mustache.Writer();
  const parse = writer.parse.bind(writer);
  // The stored tokens were parsed with the default tags, which `Mustache.tags` could have changed since.
  writer.parse = (template: string, tags?: Mustache.OpeningAndClosingTags): unknown[] =>
    (tags === undefined && Mustache.tags[0] === '{{' && Mustache.tags[1] === '}}'
      ? storedTokens(template)
      : undefined) ?? (parse(template, tags) as unknown[]);
  return writer;
}

function restoreTexts(tokens: Token[], text: string): Token[] {
  for (const token of tokens) {
    if (token[0] === 'text' && token[1] === 0) token[1] = text.slice(token[2], token[3]);
    else if (Array.isArray(token[4])) restoreTexts(token[4] as Token[], text);
  }
  return tokens;
}
