import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadDisposableDomains } from '../../../shared/email-domain/email-domain-sources.js';
import { DISPOSABLE_DOMAINS_VERSION } from '../../../shared/email-domain/disposable-domains.generated.js';

const require = createRequire(import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(require.resolve(path), 'utf8'));

describe('the embedded disposable-domain lists', () => {
  it('are those of the installed, pinned package (run `npm run generate:disposable` after an update)', async () => {
    const installed = readJson('disposable-email-domains/package.json') as { version: string };

    const { exact, wildcard } = await loadDisposableDomains();

    expect(DISPOSABLE_DOMAINS_VERSION).toBe(installed.version);
    expect(exact).toEqual(readJson('disposable-email-domains/index.json'));
    expect(wildcard).toEqual(readJson('disposable-email-domains/wildcard.json'));
  });
});
