import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_DEADLINE } from '../../../shared/deadline.js';
import { ConfigError } from '../../../shared/errors.js';
import {
  createEmailDomainGuard,
  isEmailDomainPolicyConfigured,
} from '../../../shared/email-domain/email-domain-guard.js';

async function allowedOf(env: NodeJS.ProcessEnv, emails: readonly string[]): Promise<boolean[]> {
  const guard = createEmailDomainGuard(env);
  return Promise.all(emails.map(async (email) => (await guard.check(email, NO_DEADLINE)).allowed));
}

function writeListFile(name: string, text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'email-domains-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { dir, path };
}

describe('createEmailDomainGuard: sources', () => {
  it('applies ALLOWED_EMAIL_DOMAINS and DENIED_EMAIL_DOMAINS, deny winning', async () => {
    // Act
    const allowed = await allowedOf(
      { ALLOWED_EMAIL_DOMAINS: 'example.com *.partner.org', DENIED_EMAIL_DOMAINS: 'bad.partner.org' },
      ['ana@example.com', 'ana@eu.partner.org', 'ana@bad.partner.org', 'ana@gmail.com'],
    );
    // Assess
    expect(allowed).toEqual([true, true, false, false]);
  });

  it('reads an allowlist file given by an absolute path, with comments', async () => {
    // Prepare
    const file = writeListFile(
      'allowed.txt',
      '# partners\nexample.com\n*.partner.org  # and their subdomains\n',
    );
    // Act
    const allowed = await allowedOf({ ALLOWED_EMAIL_DOMAINS_FILE: file.path }, [
      'ana@example.com',
      'ana@a.partner.org',
      'ana@gmail.com',
    ]);
    // Assess
    expect(allowed).toEqual([true, true, false]);
  });

  it('reads a denylist file relative to LAMBDA_TASK_ROOT and merges it with the variables', async () => {
    // Prepare
    const file = writeListFile('denied.txt', 'mailinator.com\n');
    // Act
    const allowed = await allowedOf(
      {
        LAMBDA_TASK_ROOT: file.dir,
        DENIED_EMAIL_DOMAINS_FILE: 'denied.txt',
        DENIED_EMAIL_DOMAINS: 'evil.test',
      },
      ['ana@mailinator.com', 'ana@evil.test', 'ana@example.com'],
    );
    // Assess
    expect(allowed).toEqual([false, false, true]);
  });

  it('denies disposable-email domains of the pinned package when opted in, including its wildcard entries', async () => {
    // Act
    const allowed = await allowedOf({ DENY_DISPOSABLE_EMAIL_DOMAINS: 'true' }, [
      'ana@mailinator.com',
      'ana@x.33mail.com',
      'ana@example.com',
    ]);
    // Assess
    expect(allowed).toEqual([false, false, true]);
  });

  it('leaves disposable-email domains alone when not opted in', async () => {
    // Act
    const allowed = await allowedOf({ DENIED_EMAIL_DOMAINS: 'evil.test' }, ['ana@mailinator.com']);
    // Assess
    expect(allowed).toEqual([true]);
  });

  it('ignores an allowlist variable that is set but empty', async () => {
    // Act
    const allowed = await allowedOf({ ALLOWED_EMAIL_DOMAINS: '  ', DENIED_EMAIL_DOMAINS: 'evil.test' }, [
      'ana@example.com',
    ]);
    // Assess
    expect(allowed).toEqual([true]);
  });
});

describe('createEmailDomainGuard: configuration errors', () => {
  it('fails with one ConfigError naming every bad variable and entry', () => {
    // Prepare
    const env = {
      ALLOWED_EMAIL_DOMAINS: 'example.com, evil..com',
      DENIED_EMAIL_DOMAINS: 'ｅｖｉｌ.com',
      ALLOWED_EMAIL_DOMAINS_FILE: '/nonexistent/allowed.txt',
      EMAIL_DOMAINS_SSM_TTL_SECONDS: 'soon',
      DENY_DISPOSABLE_EMAIL_DOMAINS: 'maybe',
    };
    // Act
    let error: unknown;
    try {
      createEmailDomainGuard(env);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect((error as ConfigError).problems).toHaveLength(5);
    expect(text).toContain('ALLOWED_EMAIL_DOMAINS: invalid domain entry "evil..com"');
    expect(text).toContain('DENIED_EMAIL_DOMAINS: invalid domain entry "ｅｖｉｌ.com"');
    expect(text).toContain('ALLOWED_EMAIL_DOMAINS_FILE: cannot read "/nonexistent/allowed.txt" (ENOENT)');
    expect(text).toContain('EMAIL_DOMAINS_SSM_TTL_SECONDS');
    expect(text).toContain('DENY_DISPOSABLE_EMAIL_DOMAINS');
  });

  it('names the file and line of a bad entry in a list file', () => {
    // Prepare
    const file = writeListFile('allowed.txt', 'example.com\nexample.com.\n');
    // Act
    const act = (): unknown => createEmailDomainGuard({ ALLOWED_EMAIL_DOMAINS_FILE: file.path });
    // Assess
    expect(act).toThrow(
      `ALLOWED_EMAIL_DOMAINS_FILE (${file.path}): invalid domain entry "example.com." on line 2`,
    );
  });
});

describe('isEmailDomainPolicyConfigured', () => {
  it.each([
    [{}, false],
    [{ ALLOWED_EMAIL_DOMAINS: '' }, false],
    [{ DENY_DISPOSABLE_EMAIL_DOMAINS: 'false' }, false],
    [{ ALLOWED_EMAIL_DOMAINS: 'example.com' }, true],
    [{ DENIED_EMAIL_DOMAINS: 'evil.test' }, true],
    [{ ALLOWED_EMAIL_DOMAINS_FILE: 'allowed.txt' }, true],
    [{ DENIED_EMAIL_DOMAINS_FILE: 'denied.txt' }, true],
    [{ ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/allowed' }, true],
    [{ DENIED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/denied' }, true],
    [{ DENY_DISPOSABLE_EMAIL_DOMAINS: 'true' }, true],
  ])('tells for %j: %s', (env, expected) => {
    // Act
    const configured = isEmailDomainPolicyConfigured(env);
    // Assess
    expect(configured).toBe(expected);
  });
});
