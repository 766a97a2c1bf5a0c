import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TriggerKitError } from '../../shared/errors.js';

// The classes whose constructor takes something other than a message.
const CONSTRUCTOR_ARGUMENTS: Readonly<Record<string, unknown[]>> = {
  ConfigError: [['X: is required']],
  RejectionError: ['EMAIL_INVALID'],
  AmbiguousLegacyUserError: [2],
  ClaimsBudgetError: [2048, 1024],
};

const ROOT = join(import.meta.dirname, '..', '..');
const RUNTIME_FOLDERS = ['shared', 'triggers'];

/** Every TypeScript file of the runtime code (what the package and the bundles ship). */
function runtimeSources(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // shared/vendor holds a package's own code, generated from the pinned release (npm run generate:embedded).
      if (entry.isDirectory()) {
        if (relative(ROOT, path) !== join('shared', 'vendor')) walk(path);
      } else if (/\.(ts|cts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.cts')) found.push(path);
    }
  };
  for (const folder of RUNTIME_FOLDERS) walk(join(ROOT, folder));
  return found.map((path) => relative(ROOT, path)).sort();
}

/**
 * A runtime file's text, without the package code an embedded module carries in its legal comment
 * (`/*! cognito-trigger-kit embeds ... *\/`, written by npm run generate:embedded): like shared/vendor, that
 * is the pinned package's own code, which pg's copy (as its code itself, not base64) shows as such.
 */
function runtimeText(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return file.endsWith('.generated.ts')
    ? text.replace(/\/\*! cognito-trigger-kit embeds [^]*?\*\//g, '')
    : text;
}

describe('error discipline of the runtime code', () => {
  const sources = runtimeSources();

  it('finds the runtime sources it checks', () => {
    expect(sources).toContain('shared/errors.ts');
    expect(sources.length).toBeGreaterThan(30);
  });

  it('has no bare `throw new Error` (the `grep -rn "throw new Error" shared triggers` of the issue)', () => {
    const offenders = sources.flatMap((file) =>
      runtimeText(file)
        .split('\n')
        .flatMap((line, index) => (/throw new Error\b/.test(line) ? [`${file}:${index + 1}`] : [])),
    );

    expect(offenders).toEqual([]);
  });

  it('declares error classes only in an errors.ts, each on TriggerKitError or another toolkit error', () => {
    const misplaced: string[] = [];
    for (const file of sources) {
      const text = runtimeText(file);
      for (const match of text.matchAll(/class (\w+) extends (\w+)/g)) {
        const [, name, base] = match;
        // Error classes only (a class named or based on ...Error): a log formatter may extend Powertools' own.
        if (!/Error$/.test(name!) && !/Error$/.test(base!)) continue;
        if (!file.endsWith('/errors.ts')) misplaced.push(`${file}: ${name}`);
        if (base === 'Error' && name !== 'TriggerKitError') misplaced.push(`${file}: ${name} extends Error`);
      }
    }

    expect(misplaced).toEqual([]);
  });

  it('makes every exported error class a TriggerKitError named after itself', async () => {
    const errorFiles = sources.filter((file) => file.endsWith('/errors.ts'));
    expect(errorFiles.length).toBeGreaterThanOrEqual(4);
    const checked: string[] = [];
    for (const file of errorFiles) {
      const module = (await import(join(ROOT, file))) as Record<string, unknown>;
      for (const [exportName, value] of Object.entries(module)) {
        if (typeof value !== 'function' || !exportName.endsWith('Error')) continue;
        if (value !== TriggerKitError)
          expect(value.prototype, `${file}: ${exportName}`).toBeInstanceOf(TriggerKitError);
        const instance = Reflect.construct(value, CONSTRUCTOR_ARGUMENTS[exportName] ?? ['x']) as Error;
        expect(instance.name, `${file}: ${exportName}`).toBe(exportName);
        checked.push(exportName);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['ConfigError', 'RejectionError', 'LegacyStoreError', 'ReservedClaimError']),
    );
  });

  it('keeps the name of every error class in a minified bundle, built as the functions are (minify renames classes)', async () => {
    // Prepare: one minified ESM bundle of every errors.ts, as the template's esbuild options make them
    const errorFiles = sources.filter((file) => file.endsWith('/errors.ts'));
    const dir = mkdtempSync(join(tmpdir(), 'ctk-error-names-'));
    const entry = errorFiles.map(
      (file, index) => `export * as m${index} from ${JSON.stringify(join(ROOT, file))};`,
    );
    writeFileSync(join(dir, 'entry.ts'), entry.join('\n'));
    await build({
      entryPoints: [join(dir, 'entry.ts')],
      outfile: join(dir, 'bundle.mjs'),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      logLevel: 'silent',
    });

    // Act
    const bundle = (await import(pathToFileURL(join(dir, 'bundle.mjs')).href)) as Record<
      string,
      Record<string, unknown>
    >;
    rmSync(dir, { recursive: true, force: true });

    // Assess
    const wrong: string[] = [];
    let checked = 0;
    for (const module of Object.values(bundle)) {
      for (const [exportName, value] of Object.entries(module)) {
        if (typeof value !== 'function' || !exportName.endsWith('Error') || exportName === 'TriggerKitError')
          continue;
        const instance = Reflect.construct(value, CONSTRUCTOR_ARGUMENTS[exportName] ?? ['x']) as Error;
        checked += 1;
        if (instance.name !== exportName) wrong.push(`${exportName} is named "${instance.name}"`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });
});
