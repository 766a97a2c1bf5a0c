import Mustache from 'mustache';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_TEMPLATE_TOKENS as PARSED_TEMPLATES } from '../../../triggers/custom-message/embedded-template-tokens.js';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import { createParsedWriter } from '../../../triggers/custom-message/parsed-templates.js';
import {
  MESSAGE_SOURCES,
  renderMessage,
  TEMPLATE_NAMES,
  TEMPLATE_SUFFIXES,
  type MessageConfig,
} from '../../../triggers/custom-message/render-message.js';
import { escapeHtml } from '../../../triggers/custom-message/text-safety.js';
import {
  createTemplateCatalog,
  mustacheWriterOf,
} from '../../../triggers/custom-message/template-catalog.js';
import { encodeParsedTemplate } from '../../../tools/lib/parse-templates.js';
import { SAMPLE_USERS } from '../../../tools/preview.js';

const config: MessageConfig = Object.freeze({
  appName: 'Acme',
  appUrl: 'https://app.acme.test',
  defaultLocale: 'en',
});

// Values a user controls, hostile ones included, on top of the preview's sample users.
const HOSTILE_ATTRIBUTES: readonly Readonly<Record<string, string>>[] = [
  ...SAMPLE_USERS.map((sample) => sample.attributes),
  { given_name: '&<>"\'`=/', name: 'x', email: '"onmouseover=alert(1)@example.com' },
  { given_name: '', name: '{{{appName}}} {{&code}} {{=<% %>=}}', email: '' },
  { given_name: 'Ada', locale: 'fr' },
  { given_name: '\u{1F600}'.repeat(30), locale: 'fr_CA' },
  { name: '\uD800 lone surrogate', email: 'a@b.c', locale: 'xx' },
];

const RENDERED_FILES = Object.keys(EMBEDDED_TEMPLATES).filter((path) => {
  const file = path.slice(path.indexOf('/') + 1);
  return (
    /^_[a-z0-9-]+\.html$/.test(file) ||
    Object.values(TEMPLATE_NAMES).some((name) =>
      Object.values(TEMPLATE_SUFFIXES).some((suffix) => file === name + suffix),
    )
  );
});

describe('EMBEDDED_TEMPLATE_TOKENS', () => {
  it('holds a parse of every file renderMessage renders, and of no other', () => {
    // Assess
    expect(PARSED_TEMPLATES.texts).toBe(EMBEDDED_TEMPLATES);
    expect(Object.keys(PARSED_TEMPLATES.tokens).sort()).toEqual([...RENDERED_FILES].sort());
    expect(RENDERED_FILES).toContain('fr/_header.html');
    expect(RENDERED_FILES).not.toContain('en/account-takeover.html');
  });

  it.each(Object.entries(PARSED_TEMPLATES.tokens))(
    'stores for %s exactly the tokens mustache parses from the file',
    (path, tokens) => {
      // Prepare
      const text = EMBEDDED_TEMPLATES[path] as string;
      const writer = createParsedWriter({ texts: { [path]: text }, tokens: { [path]: tokens } });

      // Act
      const stored = writer.parse(text);

      // Assess
      expect(stored).toEqual(new Mustache.Writer().parse(text));
      expect(tokens).toBe(encodeParsedTemplate(text));
    },
  );
});

describe('createParsedWriter', () => {
  afterEach(() => {
    Mustache.tags = ['{{', '}}'];
  });

  it('takes the stored tokens of a text instead of parsing it', () => {
    // Prepare: tokens that say something else than the text, to see which one renders.
    const text = 'Hello {{name}}';
    const writer = createParsedWriter({
      texts: { 'en/x.txt': text },
      tokens: { 'en/x.txt': '[["text","stored",0,6]]' },
    });

    // Act
    const output = writer.render(text, { name: 'Ada' }, {}, { escape: escapeHtml });

    // Assess
    expect(output).toBe('stored');
  });

  it('parses a text it has no tokens for as mustache does, partials included', () => {
    // Prepare
    const writer = createParsedWriter(PARSED_TEMPLATES);
    const partials = { header: '<h1>{{appName}}</h1>\n' };

    // Act
    const output = writer.render('{{> header}}<p>{{name}}</p>', { appName: 'A&B', name: '<b>' }, partials, {
      escape: escapeHtml,
    });

    // Assess
    expect(output).toBe('<h1>A&amp;B</h1>\n<p>&lt;b&gt;</p>');
  });

  it('parses again when the default tags changed since the tokens were stored', () => {
    // Prepare
    const text = 'Hello <%name%> {{name}}';
    const writer = createParsedWriter({
      texts: { 'en/x.txt': text },
      tokens: { 'en/x.txt': '[["text","stored",0,6]]' },
    });
    Mustache.tags = ['<%', '%>'];

    // Act
    const output = writer.render(text, { name: 'Ada' }, {}, { escape: escapeHtml });

    // Assess
    expect(output).toBe('Hello Ada {{name}}');
  });

  it('throws mustache’s own error for a text mustache cannot parse', () => {
    // Prepare
    const writer = createParsedWriter(PARSED_TEMPLATES);

    // Act
    const act = () => writer.render('{{#open}} never closed', {}, {}, { escape: escapeHtml });

    // Assess
    expect(act).toThrow('Unclosed section "open" at 22');
  });
});

describe('renderMessage with the parsed templates', () => {
  const parsedCatalog = createTemplateCatalog(EMBEDDED_TEMPLATES, PARSED_TEMPLATES);
  const plainCatalog = createTemplateCatalog(EMBEDDED_TEMPLATES);
  const cases = MESSAGE_SOURCES.flatMap((source) =>
    HOSTILE_ATTRIBUTES.map((attributes, index) => ({ source, attributes, index })),
  );

  it('uses a writer that knows the parsed texts only for a catalog made with them', () => {
    // Assess
    expect(mustacheWriterOf(parsedCatalog)).not.toBe(Mustache);
    expect(mustacheWriterOf(plainCatalog)).toBe(Mustache);
  });

  it.each(cases)(
    'renders $source for user #$index exactly as mustache parsing at runtime does',
    ({ source, attributes }) => {
      for (const locale of ['en', 'fr', attributes.locale]) {
        // Prepare
        const request = {
          source,
          userName: 'a&b=c?d#e/f"<x>',
          userAttributes: { ...attributes, locale },
          codeParameter: '{####}',
          usernameParameter: '{username}',
        };

        // Act
        const withParsed = renderMessage(request, parsedCatalog, config);
        const withMustache = renderMessage(request, plainCatalog, config);

        // Assess
        expect(withParsed).toEqual(withMustache);
        expect(withParsed.ok).toBe(true);
      }
    },
  );

  it('renders a catalog’s own text at a shipped path, not the stored tokens of the shipped one', () => {
    // Prepare
    const own = '<p>{{name}}: {{code}} ({{appName}})</p>';
    const catalog = createTemplateCatalog(
      { ...EMBEDDED_TEMPLATES, 'en/sign-up.html': own },
      PARSED_TEMPLATES,
    );
    const request = {
      source: 'CustomMessage_SignUp',
      userName: 'ada',
      userAttributes: { given_name: 'Ada', locale: 'en' },
      codeParameter: '{####}',
      usernameParameter: null,
    };

    // Act
    const outcome = renderMessage(request, catalog, config);

    // Assess
    expect(outcome).toMatchObject({ ok: true, message: { emailMessage: '<p>Ada: {####} (Acme)</p>' } });
  });

  it('still refuses a catalog’s own template with {{{...}}} at a shipped path', () => {
    // Prepare
    const catalog = createTemplateCatalog(
      { ...EMBEDDED_TEMPLATES, 'en/_footer.html': '<p>{{{name}}}</p>' },
      PARSED_TEMPLATES,
    );
    const request = {
      source: 'CustomMessage_SignUp',
      userName: 'ada',
      userAttributes: { given_name: '<b>', locale: 'en' },
      codeParameter: '{####}',
      usernameParameter: null,
    };

    // Act
    const outcome = renderMessage(request, catalog, config);

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'UNSAFE_TEMPLATE' });
  });
});
