/**
 * `npm run docs:toc`: writes the table of contents of every long page in docs/ (more than
 * {@link TOC_MIN_LINES} lines), between `<!-- toc -->` and `<!-- /toc -->`, from its `##` and `###`
 * headings, with GitHub's anchors. A page without the markers gets them under its navigation line.
 * `test/tools/docs-toc.test.ts` fails when a contents list is out of date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOC_BEGIN = '<!-- toc -->';
export const TOC_END = '<!-- /toc -->';
/** Pages longer than this get a table of contents. */
export const TOC_MIN_LINES = 80;
export const DOCS_DIR = 'docs';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The contents list of a page: one line per `##` / `###` heading outside code blocks. */
export function buildToc(markdown: string): string {
  const seen = new Map<string, number>();
  const items: string[] = [];
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const match = inCode ? null : /^(##|###) (.+)$/.exec(line);
    if (!match) continue;
    const title = match[2]!.trim();
    const base = anchorOf(title);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const anchor = count === 0 ? base : `${base}-${count}`;
    items.push(`${match[1] === '###' ? '  ' : ''}- [${title.replace(/[[\]]/g, '')}](#${anchor})`);
  }
  return ['Contents', '', ...items].join('\n');
}

/** `markdown` with its contents list written (or added under the first navigation line). */
export function withToc(markdown: string): string {
  const begin = markdown.indexOf(TOC_BEGIN);
  const end = markdown.indexOf(TOC_END);
  const block = `${TOC_BEGIN}\n${buildToc(markdown)}\n${TOC_END}`;
  if (begin >= 0 && end > begin)
    return markdown.slice(0, begin) + block + markdown.slice(end + TOC_END.length);
  const lines = markdown.split('\n');
  const nav = lines.findIndex((line) => line.startsWith('[← README]'));
  const at = nav >= 0 ? nav + 1 : 1;
  return [...lines.slice(0, at), '', block, ...lines.slice(at)].join('\n');
}

/** The docs pages long enough to need a contents list. */
export function longPages(dir: string = DOCS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .map((name) => join(dir, name))
    .filter((path) => readFileSync(path, 'utf8').split('\n').length > TOC_MIN_LINES);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const path of longPages()) {
    const before = readFileSync(path, 'utf8');
    const after = withToc(before);
    if (after !== before) writeFileSync(path, after);
    console.log(`${path}: ${after === before ? 'up to date' : 'contents written'}`);
  }
}
