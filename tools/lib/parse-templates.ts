/**
 * mustache's parse of a template, done ahead of time for the embedded module: the tokens as JSON, each text
 * token's value left out (`0`) where it is the text's own slice (see triggers/custom-message/parsed-templates.ts).
 */
import Mustache from 'mustache';

type Token = [type: string, value: unknown, start: number, end: number, ...rest: unknown[]];

/**
 * `Mustache.parse(text)` as the JSON `createParsedWriter` decodes; throws mustache's error for a text it
 * cannot parse (which is then left to mustache at runtime, to fail there as it would).
 *
 * @example
 * ```ts
 * encodeParsedTemplate('Hello {{name}}'); // '[["text",0,0,6],["name","name",6,14]]'
 * ```
 */
export function encodeParsedTemplate(text: string): string {
  // A fresh writer: the default one's cache would hand out tokens another caller could have changed.
  const tokens = new Mustache.Writer().parse(text) as Token[];
  return JSON.stringify(leaveOutTexts(structuredClone(tokens), text));
}

function leaveOutTexts(tokens: Token[], text: string): Token[] {
  for (const token of tokens) {
    if (token[0] === 'text' && token[1] === text.slice(token[2], token[3])) token[1] = 0;
    else if (Array.isArray(token[4])) leaveOutTexts(token[4] as Token[], text);
  }
  return tokens;
}
