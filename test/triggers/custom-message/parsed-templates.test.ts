import fc from 'fast-check';
import Mustache from 'mustache';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_TEMPLATE_TOKENS as PARSED_TEMPLATES } from '../../../triggers/custom-message/embedded-template-tokens.js';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import {
  createParsedWriter,
  isCoveredByStoredRendering,
  MUSTACHE_WRITER,
} from '../../../triggers/custom-message/parsed-templates.js';
import {
  MESSAGE_SOURCES,
  renderMessage,
  TEMPLATE_NAMES,
  TEMPLATE_SUFFIXES,
  type MessageConfig,
} from '../../../triggers/custom-message/render-message.js';
import { escapeHtml } from '../../../triggers/custom-message/text-safety.js';
import { loadMustache } from '../../../triggers/custom-message/load-mustache.js';
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
    'stores for %s exactly the tokens mustache parses from the file, all of them covered',
    (path, tokens) => {
      // Prepare
      const text = EMBEDDED_TEMPLATES[path] as string;
      const parsed = new Mustache.Writer().parse(text);

      // Act
      const stored = withTextsFilledIn(JSON.parse(tokens) as unknown[], text);

      // Assess
      expect(stored).toEqual(parsed);
      expect(tokens).toBe(encodeParsedTemplate(text));
      expect(isCoveredByStoredRendering(parsed)).toBe(true);
    },
  );
});

// The stored JSON leaves out (`0`) a text token's value that is the text's own slice; mustache's tokens have it.
function withTextsFilledIn(tokens: unknown[], text: string): unknown[] {
  return tokens.map((token) => {
    const [type, value, start, end, children, ...rest] = token as [
      string,
      unknown,
      number,
      number,
      unknown,
      ...unknown[],
    ];
    if (type === 'text' && value === 0) return [type, text.slice(start, end), start, end];
    return Array.isArray(children)
      ? [type, value, start, end, withTextsFilledIn(children, text), ...rest]
      : (token as unknown[]);
  });
}

function outcomeOf(render: () => string): { output: string } | { error: string } {
  try {
    return { output: render() };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('isCoveredByStoredRendering', () => {
  it.each([
    [
      'text, names, dotted names, sections and partials',
      '{{> header}}<p>{{#name}}{{name}}{{/name}}{{^name}}x{{/name}} {{links.signIn}}</p>{{! note}}',
      true,
    ],
    ['a triple mustache', '<p>{{{name}}}</p>', false],
    ['an ampersand tag', '<p>{{&name}}</p>', false],
    ['a partial inside a section', '{{#name}}{{> header}}{{/name}}', false],
    ['an indented standalone partial', 'a\n  {{> header}}\nb', false],
    ['a name Object.prototype answers', '{{constructor}}', false],
    ['a dotted step a string answers', '{{name.length}}', false],
    ['a name a string answers in a section', '{{#name}}{{trim.name}}{{/name}}', false],
    ['a name a number answers in a section', '{{#name}}{{toFixed.name}}{{/name}}', false],
    ['the current item', '{{#name}}{{.}}{{/name}}', false],
    ['a numeric step', '{{links.0}}', false],
  ])('says whether it covers %s', (_case, template, covered) => {
    // Act
    const result = isCoveredByStoredRendering(new Mustache.Writer().parse(template));

    // Assess
    expect(result).toBe(covered);
  });
});

describe('the stored rendering of every shipped text', () => {
  // Values of the view renderMessage builds, hostile ones included: markup, mustache tags, Cognito's placeholders.
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', '&<>"\'`=/', '{{name}}', '{{{appName}}}', '{####}', '{username}', 'é\u{1F600}\uD800'),
  );
  // What renderMessage's view never holds, but mustache reads in its own ways (the writer then leaves the
  // text to mustache): numbers, booleans, null, lists, objects, functions.
  const otherValue = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(
      null,
      [],
      ['a', 'b'],
      { name: 'inner' },
      () => 'called',
      function (this: { code?: string }) {
        return this.code;
      },
    ),
  );
  const anyValue = fc.oneof({ arbitrary: value, weight: 4 }, { arbitrary: otherValue, weight: 1 });
  const view = fc.record(
    {
      appName: anyValue,
      appUrl: anyValue,
      locale: anyValue,
      name: anyValue,
      email: anyValue,
      code: anyValue,
      username: anyValue,
      links: fc.record(
        {
          confirmSignUp: anyValue,
          resetPassword: anyValue,
          signIn: anyValue,
          verifyEmail: anyValue,
          account: anyValue,
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );
  const writer = createParsedWriter(PARSED_TEMPLATES);
  const keepText = (text: string): string => text;

  it.each(Object.keys(PARSED_TEMPLATES.tokens))('renders %s as mustache does, for any view', (path) => {
    // Prepare
    const text = EMBEDDED_TEMPLATES[path] as string;
    const locale = path.slice(0, path.indexOf('/'));
    const partials = {
      header: EMBEDDED_TEMPLATES[`${locale}/_header.html`] as string,
      footer: EMBEDDED_TEMPLATES[`${locale}/_footer.html`] as string,
    };

    fc.assert(
      fc.property(view, fc.constantFrom(escapeHtml, keepText), (values, escape) => {
        // Act
        const stored = outcomeOf(() => writer.render(text, values, partials, { escape }));

        // Assess: the same text, or the same error (escapeHtml takes strings only).
        expect(stored).toEqual(
          outcomeOf(() => new Mustache.Writer().render(text, values, partials, { escape })),
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('createParsedWriter', () => {
  afterEach(() => {
    Mustache.tags = ['{{', '}}'];
  });

  it('renders the stored tokens of a text instead of parsing it', () => {
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

  // The toolkit renders with its own copy of mustache (load-mustache.ts): a program that changes the tags of the
  // `mustache` it imports changes neither the stored rendering nor the fallback to mustache.
  it("keeps the default tags whatever the program's own mustache is set to", () => {
    // Prepare
    const writer = createParsedWriter({
      texts: { 'en/x.txt': 'Hello {{name}}' },
      tokens: { 'en/x.txt': '[["text","stored",0,6]]' },
    });
    Mustache.tags = ['<%', '%>'];

    // Act
    const stored = writer.render('Hello {{name}}', { name: 'Ada' }, {}, { escape: escapeHtml });
    const parsed = writer.render('Hi <%name%> {{name}}', { name: 'Ada' }, {}, { escape: escapeHtml });

    // Assess
    expect(stored).toBe('stored');
    expect(parsed).toBe('Hi <%name%> Ada');
  });

  it("renders with the toolkit's own mustache, not the program's", () => {
    // Prepare: the program's mustache answers something else than mustache would.
    const writer = createParsedWriter(PARSED_TEMPLATES);
    const programs = Mustache.render;
    Mustache.render = () => 'the program’s';

    try {
      // Act
      const output = writer.render('<p>{{name}}</p>', { name: '<b>' }, {}, { escape: escapeHtml });

      // Assess
      expect(output).toBe('<p>&lt;b&gt;</p>');
      expect(loadMustache()).not.toBe(Mustache);
    } finally {
      Mustache.render = programs;
    }
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
    expect(mustacheWriterOf(parsedCatalog)).not.toBe(MUSTACHE_WRITER);
    expect(mustacheWriterOf(plainCatalog)).toBe(MUSTACHE_WRITER);
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
