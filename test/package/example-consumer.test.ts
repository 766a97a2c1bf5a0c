/**
 * The package as a user meets it: `npm pack` (which runs `prepack`: the build into lib/), the tarball's
 * contents, then examples/custom-store/ installed from that tarball into a temporary directory,
 * typechecked against the published declarations, bundled with esbuild and invoked on its fixtures.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_TABLES, variablesOf } from '../../tools/generate-docs.js';
import { presentEntries } from '../../tools/package-entries.js';
import { DISPOSABLE_DOMAINS_FILE_IN_REPO } from '../../shared/email-domain/disposable-domains-file.js';
import type * as DisposableDomainsFile from '../../shared/email-domain/disposable-domains-file.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'custom-store');
const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

interface PackedFile {
  readonly path: string;
}

let workDir: string;
let appDir: string;
let packed: { filename: string; files: PackedFile[] };

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'ctk-package-'));
  // npm prints the prepack script's output before the JSON: the JSON is what follows it.
  const output = run('npm', ['pack', '--json', '--pack-destination', workDir, ...NPM_QUIET], ROOT);
  packed = (JSON.parse(output.slice(output.indexOf('\n[') + 1)) as (typeof packed)[])[0]!;
  appDir = join(workDir, 'app');
  cpSync(EXAMPLE, appDir, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist)$/.test(source),
  });
  run('npm', ['install', join(workDir, packed.filename), ...NPM_QUIET], appDir);
}, 180_000);

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

function invoke(fn: string, fixture: string): { status: number | null; answer: Record<string, unknown> } {
  const result = spawnSync(process.execPath, ['invoke.mjs', fn, `events/${fixture}.json`], {
    cwd: appDir,
    encoding: 'utf8',
    env: { ...process.env, LOG_HASH_KEY: 'example-test-key', POWERTOOLS_LOG_LEVEL: 'INFO' },
  });
  return { status: result.status, answer: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe('the packed package', () => {
  it('holds the build, the declarations, LICENSE, CHANGELOG and README; no tests, tools, fixtures or bench', () => {
    const paths = packed.files.map((file) => file.path);

    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json']));
    for (const entry of presentEntries(ROOT)) {
      const built = `lib/${entry.source.replace(/\.ts$/, '')}`;
      expect(paths).toEqual(expect.arrayContaining([`${built}.js`, `${built}.d.ts`]));
    }
    const outside = paths.filter(
      (path) =>
        !path.startsWith('lib/') && !['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json'].includes(path),
    );
    expect(outside).toEqual([]);
    const unwanted = paths.filter((path) =>
      /(^|\/)(test|tools|events|fixtures|bench|examples)\/|\.test\./.test(path),
    );
    expect(unwanted).toEqual([]);
  });

  it('ships the disposable-domain list where its installed code looks for it (beside the code)', async () => {
    const installed = join(appDir, 'node_modules', 'cognito-trigger-kit');
    const list = `lib/${DISPOSABLE_DOMAINS_FILE_IN_REPO}`;
    const module = (await import(
      pathToFileURL(join(installed, 'lib/shared/email-domain/disposable-domains-file.js')).href
    )) as typeof DisposableDomainsFile;

    expect(packed.files.map((file) => file.path)).toContain(list);
    expect(module.findDisposableDomainsFile(undefined, installed)).toEqual({ path: join(installed, list) });
    expect(readFileSync(join(installed, list), 'utf8')).toBe(
      readFileSync(join(ROOT, DISPOSABLE_DOMAINS_FILE_IN_REPO), 'utf8'),
    );
  });

  it('declares exactly the entries of tools/package-entries.ts in its exports map', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
      private?: boolean;
      version: string;
      sideEffects: boolean;
    };

    expect(Object.keys(manifest.exports)).toEqual(presentEntries(ROOT).map((entry) => entry.subpath));
    expect(manifest.private).toBeUndefined();
    expect(manifest.version).toBe('0.2.0');
    expect(manifest.sideEffects).toBe(false);
  });
});

describe('examples/custom-store installed from the tarball', () => {
  it('typechecks against the published declarations', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

    expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'], appDir)).not.toThrow();
  }, 60_000);

  describe('bundled with esbuild', () => {
    beforeAll(() => {
      run(process.execPath, ['build.mjs'], appDir);
    }, 60_000);

    it('migrates a user of its own store with the right password', () => {
      const { status, answer } = invoke('user-migration', 'migrate-alice');

      expect(status).toBe(0);
      expect(answer.response).toMatchObject({
        finalUserStatus: 'CONFIRMED',
        messageAction: 'SUPPRESS',
        userAttributes: { email: 'alice.legacy@example.com', email_verified: 'true' },
      });
    });

    it.each(['migrate-wrong-password', 'migrate-locked'])('refuses %s with MIGRATION_FAILED', (fixture) => {
      const { status, answer } = invoke('user-migration', fixture);

      expect(status).toBe(1);
      expect(answer).toEqual({
        errorType: 'RejectionError',
        errorMessage: '[MIGRATION_FAILED] Incorrect username or password',
      });
    });

    it('runs its own trigger in the toolkit middleware: lets an active tenant in', () => {
      const { status, answer } = invoke('pre-authentication', 'pre-authentication-active');

      expect(status).toBe(0);
      expect(answer.userName).toBe('carol@example.com');
    });

    it('runs its own trigger in the toolkit middleware: refuses a suspended tenant', () => {
      const { status, answer } = invoke('pre-authentication', 'pre-authentication-suspended');

      expect(status).toBe(1);
      expect(answer.errorMessage).toBe('[TENANT_SUSPENDED] Your organisation’s account is suspended');
    });
  });

  it('reads no toolkit variable and builds no Logger when any entry is imported', () => {
    // Prepare: every variable the readers declare, and what Powertools' Logger reads when it is created.
    const watched = [
      ...new Set(CONFIG_TABLES.flatMap((table) => variablesOf(table).map((variable) => variable.name))),
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_LOG_LEVEL',
      'AWS_LAMBDA_LOG_LEVEL',
    ];
    const specifiers = presentEntries(ROOT).map((entry) =>
      entry.subpath === '.' ? 'cognito-trigger-kit' : `cognito-trigger-kit/${entry.subpath.slice(2)}`,
    );
    const probe = `
      const watched = new Set(${JSON.stringify(watched)});
      const read = new Set();
      process.env = new Proxy(process.env, {
        get(target, key) { if (watched.has(key)) read.add(key); return Reflect.get(target, key); },
        has(target, key) { if (watched.has(key)) read.add(key); return Reflect.has(target, key); },
      });
      for (const specifier of ${JSON.stringify(specifiers)}) await import(specifier);
      console.log(JSON.stringify([...read]));
    `;

    // Act
    const output = run(process.execPath, ['--input-type=module', '-e', probe], appDir);

    // Assess
    expect(watched).toContain('TENANT_TABLE_NAME');
    expect(JSON.parse(output.trim())).toEqual([]);
  });
});
