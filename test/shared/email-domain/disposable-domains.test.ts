import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  loadDisposableDomains,
  readEmailDomainSources,
} from '../../../shared/email-domain/email-domain-sources.js';
import {
  DISPOSABLE_DOMAINS_FILE_IN_REPO,
  DISPOSABLE_DOMAINS_IN_LAYER,
  disposableDomainsFileCandidates,
  findDisposableDomainsFile,
} from '../../../shared/email-domain/disposable-domains-file.js';
import {
  DISPOSABLE_DOMAINS_COUNT,
  DISPOSABLE_DOMAINS_VERSION,
} from '../../../shared/email-domain/disposable-domains.generated.js';
import { createEnvReader } from '../../../shared/config.js';
import { ConfigError } from '../../../shared/errors.js';

const require = createRequire(import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(require.resolve(path), 'utf8'));
const ROOT = join(import.meta.dirname, '../../..');

/** The sources a function with `env` reads at cold start (its configuration must be valid). */
function sourcesOf(env: Record<string, string>) {
  const reader = createEnvReader(env);
  const sources = readEmailDomainSources(env, reader);
  reader.done();
  return sources;
}

describe('the disposable-domain list file (the layer of DenyDisposableEmailDomains)', () => {
  it('holds the lists of the installed, pinned package (run `npm run generate:disposable` after an update)', () => {
    const installed = readJson('disposable-email-domains/package.json') as { version: string };
    const file = join(ROOT, DISPOSABLE_DOMAINS_FILE_IN_REPO);

    const { exact, wildcard } = loadDisposableDomains(file);

    expect(DISPOSABLE_DOMAINS_VERSION).toBe(installed.version);
    expect(readFileSync(file, 'utf8').split('\n', 1)[0]).toBe(
      `# disposable-email-domains ${installed.version}`,
    );
    expect(exact).toEqual(readJson('disposable-email-domains/index.json'));
    expect(wildcard).toEqual(readJson('disposable-email-domains/wildcard.json'));
    expect(DISPOSABLE_DOMAINS_COUNT).toEqual({ exact: exact.length, wildcard: wildcard.length });
  });

  it('is found beside the code when neither the variable nor the layer is there (this repository)', () => {
    expect(findDisposableDomainsFile(undefined, ROOT)).toEqual({
      path: join(ROOT, DISPOSABLE_DOMAINS_FILE_IN_REPO),
    });
  });

  it('is read from DISPOSABLE_EMAIL_DOMAINS_FILE when set, relative to LAMBDA_TASK_ROOT', () => {
    const root = mkdtempSync(join(tmpdir(), 'disposable-'));
    writeFileSync(join(root, 'mine.txt'), '# my own list\nthrowaway.example\n#\nwild.example\n');
    const env = {
      DENY_DISPOSABLE_EMAIL_DOMAINS: 'true',
      DISPOSABLE_EMAIL_DOMAINS_FILE: 'mine.txt',
      LAMBDA_TASK_ROOT: root,
    };

    const found = sourcesOf(env).disposableFile;

    expect(found).toEqual(join(root, 'mine.txt'));
    expect(loadDisposableDomains(join(root, 'mine.txt'))).toEqual({
      exact: ['throwaway.example'],
      wildcard: ['wild.example'],
    });
  });

  it('fails the cold start, naming where it looked, when DENY_DISPOSABLE_EMAIL_DOMAINS is on and no file is there', () => {
    const env = {
      DENY_DISPOSABLE_EMAIL_DOMAINS: 'true',
      DISPOSABLE_EMAIL_DOMAINS_FILE: '/nonexistent/list.txt',
    };
    const reader = createEnvReader(env);
    readEmailDomainSources(env, reader);

    expect(() => reader.done()).toThrow(ConfigError);
    expect(() => reader.done()).toThrow(
      /DENY_DISPOSABLE_EMAIL_DOMAINS.*\/nonexistent\/list\.txt.*DenyDisposableEmailDomains/s,
    );
  });

  it('is looked for in the layer first, under /opt', () => {
    // An empty variable counts as unset: the layer (absent here), then beside the code.
    const found = sourcesOf({
      DENY_DISPOSABLE_EMAIL_DOMAINS: 'true',
      DISPOSABLE_EMAIL_DOMAINS_FILE: '',
    }).disposableFile;
    expect(DISPOSABLE_DOMAINS_IN_LAYER).toBe('/opt/cognito-trigger-kit/disposable-domains.txt');
    expect(disposableDomainsFileCandidates(undefined, ROOT)[0]).toBe(DISPOSABLE_DOMAINS_IN_LAYER);
    expect(found).toBe(join(ROOT, DISPOSABLE_DOMAINS_FILE_IN_REPO));
  });
});
