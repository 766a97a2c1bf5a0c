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
