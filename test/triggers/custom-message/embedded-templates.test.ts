import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import {
  EMBEDDED_MODULE_PATH,
  EMBEDDED_TOKENS_MODULE_PATH,
  readTemplateFiles,
  renderEmbeddedModule,
  renderEmbeddedTokensModule,
} from '../../../tools/preview.js';

describe('embedded-templates.ts', () => {
  it('holds exactly the template files (else run `npm run preview`)', () => {
    // Act
    const onDisk = readTemplateFiles();

    // Assess
    expect(EMBEDDED_TEMPLATES).toEqual(onDisk);
    expect(Object.keys(onDisk)).toContain('fr/admin-create-user.html');
  });

  it('is byte for byte what the generator writes', async () => {
    // Act
    const generated = await renderEmbeddedModule(readTemplateFiles());

    // Assess
    expect(readFileSync(EMBEDDED_MODULE_PATH, 'utf8')).toBe(generated);
  });
});

describe('embedded-template-tokens.ts', () => {
  it('is byte for byte what the generator writes', async () => {
    // Act
    const generated = await renderEmbeddedTokensModule(readTemplateFiles());

    // Assess
    expect(readFileSync(EMBEDDED_TOKENS_MODULE_PATH, 'utf8')).toBe(generated);
  });
});

describe('renderEmbeddedTokensModule', () => {
  it('leaves a template mustache cannot parse to mustache at runtime, and says so', async () => {
    // Prepare
    const files = {
      'en/sign-up.html': '<p>{{#open}} {{code}}</p>',
      'en/sign-up.sms.txt': '{{code}}',
      'en/account-takeover.html': '{{when}}',
    };

    // Act
    const generated = await renderEmbeddedTokensModule(files);

    // Assess
    expect(generated).toContain('\'en/sign-up.sms.txt\': \'[["name","code",0,8]]\',');
    expect(generated).toContain('en/sign-up.html: Unclosed section "open" at 25');
    expect(generated).not.toContain("'en/sign-up.html': '");
    expect(generated).not.toContain("'en/account-takeover.html'");
  });

  it('leaves a template beyond what the stored tokens are rendered with to mustache, and says so', async () => {
    // Prepare
    const files = {
      'en/sign-up.subject.txt': 'Welcome to {{{appName}}}',
      'en/sign-up.sms.txt': '{{code}}',
    };

    // Act
    const generated = await renderEmbeddedTokensModule(files);

    // Assess
    expect(generated).toContain('\'en/sign-up.sms.txt\': \'[["name","code",0,8]]\',');
    expect(generated).toContain('en/sign-up.subject.txt: beyond what the stored tokens are rendered with');
    expect(generated).not.toContain("'en/sign-up.subject.txt': '");
  });
});
