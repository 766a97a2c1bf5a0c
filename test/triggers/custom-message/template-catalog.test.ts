import { describe, expect, it } from 'vitest';
import { EMBEDDED_TEMPLATE_TOKENS } from '../../../triggers/custom-message/embedded-template-tokens.js';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import { createTemplateCatalog } from '../../../triggers/custom-message/template-catalog.js';

describe('createTemplateCatalog', () => {
  it('lists the locales of the files, sorted, and ignores paths that are not <locale>/<file>', () => {
    // Act
    const catalog = createTemplateCatalog({
      'fr/sign-up.html': 'fr',
      'en/sign-up.html': 'en',
      'de//sign-up.html': 'x',
      '/sign-up.html': 'x',
      'es/': 'x',
      'it/a/b.html': 'x',
      readme: 'x',
    });

    // Assess
    expect(catalog.locales).toEqual(['en', 'fr']);
    expect(catalog.template('en', 'sign-up.html')).toBe('en');
    expect(catalog.template('de', '/sign-up.html')).toBeUndefined();
    expect(catalog.template('it/a', 'b.html')).toBeUndefined();
    expect(catalog.template('it', 'a/b.html')).toBeUndefined();
    expect(catalog.template('en', 'missing.html')).toBeUndefined();
    expect(catalog.template('en', 'toString')).toBeUndefined();
  });

  it('gives each locale its own partials by name, and none to a locale it does not have', () => {
    // Prepare
    const catalog = createTemplateCatalog({
      'en/_header.html': 'EN header',
      'en/_footer.html': 'EN footer',
      'en/_not-a-partial.txt': 'x',
      'en/_Upper.html': 'x',
      'en/_/nested.html': 'x',
      'enx/_header.html': 'x',
      'en/sign-up.html': '{{> header}}',
      'fr/_header.html': 'FR header',
    });

    // Act
    const en = catalog.partials('en');

    // Assess
    expect(en).toEqual({ header: 'EN header', footer: 'EN footer' });
    expect(Object.keys(en)).toEqual(['header', 'footer']);
    expect(catalog.partials('en')).toBe(en);
    expect(catalog.partials('fr')).toEqual({ header: 'FR header' });
    expect(catalog.partials('de')).toEqual({});
    expect(Object.isFrozen(en)).toBe(true);
  });

  it('is not changed by later changes to the table it was made from', () => {
    // Prepare
    const files: Record<string, string> = { 'en/sign-up.html': 'before', 'en/_header.html': 'header' };
    const catalog = createTemplateCatalog(files);

    // Act
    files['en/sign-up.html'] = 'after';
    files['en/_footer.html'] = 'footer';
    files['de/sign-up.html'] = 'de';

    // Assess
    expect(catalog.template('en', 'sign-up.html')).toBe('before');
    expect(catalog.partials('en')).toEqual({ header: 'header' });
    expect(catalog.locales).toEqual(['en']);
  });

  it('takes the embedded files’ locales found ahead of time, and finds those of other files itself', () => {
    // Act
    const embedded = createTemplateCatalog(EMBEDDED_TEMPLATES, EMBEDDED_TEMPLATE_TOKENS);
    const extended = createTemplateCatalog(
      { ...EMBEDDED_TEMPLATES, 'de/sign-up.html': 'de' },
      EMBEDDED_TEMPLATE_TOKENS,
    );

    // Assess
    expect(EMBEDDED_TEMPLATE_TOKENS.locales).toEqual(['en', 'fr']);
    expect(embedded.locales).toEqual(['en', 'fr']);
    expect(extended.locales).toEqual(['de', 'en', 'fr']);
  });
});
