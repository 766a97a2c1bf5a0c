import { convert, type HtmlToTextOptions } from 'html-to-text';

const OPTIONS: HtmlToTextOptions = {
  wordwrap: 78,
  selectors: [
    // The page title is for mail clients' tab bars, not for the reader: it never reaches the text.
    { selector: 'head', format: 'skip' },
    // A button is a link: "Confirm my account <https://...>", as plain-text mail writes URLs.
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
    { selector: 'img', format: 'skip' },
    // Layout tables read as plain blocks, one per cell, not as a grid of columns.
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
  ],
};

/**
 * The plain-text version of a rendered email, as a person would type it: the visible text in reading
 * order, paragraphs apart, links written out, nothing from `<head>`.
 *
 * @example
 * ```ts
 * renderEmailText('<html><head><title>Acme</title></head><body><p>Hello Ada,</p></body></html>'); // "Hello Ada,"
 * ```
 */
export function renderEmailText(html: string): string {
  return convert(html, OPTIONS)
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
