import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};

/** The package names the shipped code imports (static, dynamic, require), `aws-lambda` as its types package. */
function importedPackages(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.cts')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(/(?:from|import\(|require\()\s*'([^'.][^']*)'/g)) {
          const specifier = match[1]!;
          if (specifier.startsWith('node:') || specifier.startsWith('cognito-trigger-kit')) continue;
          const parts = specifier.split('/');
          const name = specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
          names.add(name === 'aws-lambda' ? '@types/aws-lambda' : name);
        }
      }
    }
  };
  for (const folder of ['src', 'shared', 'triggers']) walk(join(ROOT, folder));
  return names;
}

describe('package.json of the package', () => {
  it('depends at runtime on exactly what the shipped code imports (Powertools and middy as peers)', () => {
    const imported = [...importedPackages()].sort();
    const declared = [
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ].sort();

    expect(declared).toEqual(imported);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([
      '@aws-lambda-powertools/commons',
      '@aws-lambda-powertools/logger',
      '@aws-lambda-powertools/tracer',
      '@middy/core',
    ]);
  });

  it('pins every runtime dependency exactly, and the repository pins each peer in its devDependencies', () => {
    for (const version of Object.values(manifest.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const [name, range] of Object.entries(manifest.peerDependencies)) {
      expect(range).toBe(`^${manifest.devDependencies[name]}`);
    }
  });

  it('keeps test-only packages out of the runtime dependencies', () => {
    for (const name of [
      'bcryptjs',
      'bcrypt',
      '@node-rs/argon2',
      'disposable-email-domains',
      'vitest',
      'tsx',
    ]) {
      expect(manifest.dependencies).not.toHaveProperty(name);
    }
  });
});
