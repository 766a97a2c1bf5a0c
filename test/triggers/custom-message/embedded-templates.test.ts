import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import { EMBEDDED_MODULE_PATH, readTemplateFiles, renderEmbeddedModule } from '../../../tools/preview.js';

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

describe('renderEmbeddedModule', () => {
  it('leaves a template mustache cannot parse to mustache at runtime, and says so', async () => {
    // Prepare
    const files = {
      'en/sign-up.html': '<p>{{#open}} {{code}}</p>',
      'en/sign-up.sms.txt': '{{code}}',
      'en/account-takeover.html': '{{when}}',
    };

    // Act
    const generated = await renderEmbeddedModule(files);

    // Assess
    expect(generated).toContain("'en/sign-up.sms.txt': { text: EN_SIGN_UP_SMS_TXT, tokens:");
    expect(generated).toContain('en/sign-up.html: Unclosed section "open" at 25');
    expect(generated).not.toContain("'en/sign-up.html': { text:");
    expect(generated).not.toContain("'en/account-takeover.html': { text:");
    expect(generated).toContain("'en/account-takeover.html': EN_ACCOUNT_TAKEOVER_HTML,");
  });
});
