import { describe, expect, it } from 'vitest';
import { renderEmailText } from '../../../triggers/custom-message/email-text.js';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import {
  MESSAGE_SOURCES,
  renderMessage,
  type MessageSource,
} from '../../../triggers/custom-message/render-message.js';
import { createTemplateCatalog } from '../../../triggers/custom-message/template-catalog.js';

// The text part of every shipped email must read as a person would write it: no page title leaking
// in front ("Sandbox App Sandbox App Hello,"), no markup, paragraphs apart, links written out.

const catalog = createTemplateCatalog(EMBEDDED_TEMPLATES);
const config = { appName: 'Sandbox App', appUrl: 'http://localhost:3000', defaultLocale: 'en' };
const GREETING = { en: 'Hello', fr: 'Bonjour' } as const;
const CASES = MESSAGE_SOURCES.flatMap((source) =>
  (['en', 'fr'] as const).flatMap((locale) => [true, false].map((named) => ({ source, locale, named }))),
);

function htmlOf(source: MessageSource, locale: 'en' | 'fr', named: boolean): string {
  const outcome = renderMessage(
    {
      source,
      userName: 'ada',
      userAttributes: { ...(named ? { given_name: 'Ada' } : {}), email: 'ada@example.com', locale },
      codeParameter: '{####}',
      usernameParameter: '{username}',
    },
    catalog,
    config,
  );
  if (!outcome.ok) throw new Error(`${source}/${locale}: ${outcome.reason}`);
  return outcome.message.emailMessage;
}

describe('the text part of the shipped emails', () => {
  it.each(CASES)('reads as a letter for $source in $locale (named: $named)', ({ source, locale, named }) => {
    // Prepare
    const html = htmlOf(source, locale, named);

    // Act
    const text = renderEmailText(html);
    const paragraphs = text.split('\n\n');

    // Assess: the app's name once as the letterhead, then the greeting; nothing from <head>.
    expect(paragraphs[0]).toBe('Sandbox App');
    expect(paragraphs[1]).toBe(named ? `${GREETING[locale]} Ada,` : `${GREETING[locale]},`);
    expect(text).not.toMatch(/Sandbox App\s+Sandbox App/);
    // No markup or entity left, no runs of blank lines, no trailing spaces.
    expect(text).not.toMatch(/<\/?(?!https?:)[a-z][^>]*>|&[a-z]+;|&#\d+;/i);
    expect(text).not.toMatch(/\n{3,}|[ \t]+\n/);
    // The code placeholder survives for Cognito to replace, and every link of the HTML is written out.
    expect(text).toContain('{####}');
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((match) => decodeAttribute(match[1]!));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(text).toContain(`<${link}>`);
    // The closing note is the last paragraph.
    expect(paragraphs.at(-1)).toMatch(/Sandbox App/);
  });
});

describe('renderEmailText', () => {
  it('drops the title, keeps paragraphs apart and writes a link as label <url>', () => {
    // Act
    const text = renderEmailText(
      '<!DOCTYPE html><html><head><title>Acme</title><style>p{color:red}</style></head><body><p>Hello Ada,</p><p>Your code &amp; link: <a href="https://acme.test/x?a=1&amp;b=2">Open</a></p></body></html>',
    );

    // Assess
    expect(text).toBe('Hello Ada,\n\nYour code & link: Open <https://acme.test/x?a=1&b=2>');
  });
});

/** What an attribute value means: the escaper writes `/` and `=` as hex references and `&` as `&amp;`. */
function decodeAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_all, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_all, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replaceAll('&amp;', '&');
}
