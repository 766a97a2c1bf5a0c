import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorOf, longPages, withToc } from '../../tools/docs-toc.js';

// The docs read on their own: a long page opens with its contents, and every link between the
// pages (README included) lands on a file and a heading that exist.

const PAGES = [
  'README.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

function anchorsOf(path: string): Set<string> {
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const match = inCode ? null : /^#{1,6} (.+)$/.exec(line);
    if (match) anchors.add(anchorOf(match[1]!));
  }
  return anchors;
}

describe('docs pages', () => {
  it.each([
    ['What `npm start` runs', 'what-npm-start-runs'],
    ["6. Attach the toolkit's triggers to your pool", '6-attach-the-toolkits-triggers-to-your-pool'],
    ['What cognito-local 5.3 does not emulate', 'what-cognito-local-53-does-not-emulate'],
    ['Hash formats (18)', 'hash-formats-18'],
  ])('gives "%s" the anchor GitHub gives it (%s)', (heading, anchor) => {
    expect(anchorOf(heading)).toBe(anchor);
  });

  it.each(longPages())('%s opens with an up-to-date table of contents (npm run docs:toc)', (path) => {
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('<!-- toc -->');
    expect(withToc(text)).toBe(text);
  });

  it.each(PAGES)('%s links only to files and headings that exist', (path) => {
    const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1]!)
      .filter((link) => !/^[a-z]+:/.test(link));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const [file, anchor] = link.split('#') as [string, string | undefined];
      const target = file === '' ? path : normalize(join(dirname(path), file));
      expect(existsSync(target), `${path} links to ${link}`).toBe(true);
      if (anchor && target.endsWith('.md'))
        expect([...anchorsOf(target)], `${path} links to ${link}`).toContain(anchor);
    }
  });
});
