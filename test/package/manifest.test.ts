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

/** The package name of an import specifier, or undefined for a relative or built-in one. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * The packages the shipped code (src/, shared/, triggers/) imports, split into those it loads at run time
 * (value imports, dynamic imports, require) and those it only names in types (`import type`). Comments and
 * the embedded copies (`embedded-modules/*.generated.ts`, strings evaluated on first use) are not imports; the
 * vendored ones (`vendor/*.generated.ts`, code) are.
 */
function importsOfShippedCode(): { runtime: Set<string>; typesOnly: Set<string> } {
  const runtime = new Set<string>();
  const typed = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !/embedded-modules[/\\][^/\\]+\.generated\.ts$/.test(path)) {
        // The vendored packages (shared/vendor/*.generated.ts) are code, printed by esbuild with double quotes.
        const code = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
        for (const match of code.matchAll(
          /\b(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s*)?(['"])([^'"]+)\3/g,
        )) {
          const name = packageOf(match[4]!);
          if (name !== undefined) (match[2] ? typed : runtime).add(name);
        }
        for (const match of code.matchAll(/\b(?:import|require)\(\s*(['"])([^'"]+)\1\s*\)/g)) {
          const name = packageOf(match[2]!);
          if (name !== undefined) runtime.add(name);
        }
      }
    }
  };
  for (const folder of ['src', 'shared', 'triggers']) walk(join(ROOT, folder));
  return { runtime, typesOnly: new Set([...typed].filter((name) => !runtime.has(name))) };
}

// Types-only packages the public declarations name: the events, the Tracer option, and the Metrics option
// (Metrics is also a runtime import, which the scan finds).
const PUBLIC_TYPE_PACKAGES = [
  '@types/aws-lambda',
  '@aws-lambda-powertools/tracer',
  '@aws-lambda-powertools/metrics',
];
// Optional peers of a runtime dependency that the way we use it needs: Powertools Idempotency's DynamoDB
// persistence layer (the custom sender) imports @aws-sdk/lib-dynamodb.
const PEERS_WE_PROVIDE = ['@aws-sdk/lib-dynamodb'];

describe('package.json of the package', () => {
  it('depends on exactly what the shipped code loads at run time, plus the types its public declarations name', () => {
    const { runtime } = importsOfShippedCode();
    const expected = [...new Set([...runtime, ...PUBLIC_TYPE_PACKAGES, ...PEERS_WE_PROVIDE])].sort();
    const declared = [
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ].sort();

    expect(declared).toEqual(expected);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([
      '@aws-lambda-powertools/commons',
      '@aws-lambda-powertools/logger',
      '@aws-lambda-powertools/metrics',
      '@aws-lambda-powertools/tracer',
      '@middy/core',
    ]);
  });

  it('finds the imports it checks: value imports at run time, type-only ones apart', () => {
    const { runtime, typesOnly } = importsOfShippedCode();

    expect(runtime).toContain('@middy/core');
    expect(runtime).toContain('@aws-sdk/client-dynamodb');
    // Embedded copies, loaded from strings on first use: named in types only.
    expect(typesOnly).toContain('pg');
    expect(typesOnly).toContain('@aws-sdk/client-ssm');
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
