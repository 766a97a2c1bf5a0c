/**
 * An embedded package's code rides in a legal comment of its generated module (readEmbeddedSource). These
 * tests bundle a generated module as a user's app would, from node_modules, with the functions' esbuild
 * options (template.yaml) and each `legalComments` mode, run the bundle in a fresh Node and check that
 * it reads back the exact source the generated module's SHA-256 names, or fails saying why.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_MODULE } from '../../../shared/embedded-modules/client-sns.generated.js';
import { describeFunction, loadTemplate } from '../../../tools/lib/template.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const WORK = mkdtempSync(join(tmpdir(), 'legal-comments-'));

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

// The generated module installed as a package of its own, so esbuild treats it as node_modules code.
const PACKAGE = join(WORK, 'node_modules', 'probe-package');
mkdirSync(PACKAGE, { recursive: true });
copyFileSync(join(ROOT, 'shared/embedded-modules/client-sns.generated.ts'), join(PACKAGE, 'index.ts'));
writeFileSync(join(PACKAGE, 'package.json'), JSON.stringify({ name: 'probe-package', main: 'index.ts' }));
writeFileSync(
  join(WORK, 'entry.ts'),
  [
    `import { readEmbeddedSource } from ${JSON.stringify(join(ROOT, 'shared/embedded-modules/evaluate-embedded-module.ts'))};`,
    "import { EMBEDDED_MODULE } from 'probe-package';",
    "import { createHash } from 'node:crypto';",
    'try {',
    '  const source = readEmbeddedSource(EMBEDDED_MODULE);',
    "  console.log(JSON.stringify({ sha256: createHash('sha256').update(source, 'utf8').digest('hex') }));",
    '} catch (error) {',
    '  console.log(JSON.stringify({ error: error.name, message: error.message }));',
    '}',
  ].join('\n'),
);

async function bundleAndRun(legalComments: BuildOptions['legalComments']): Promise<Record<string, string>> {
  const outdir = join(WORK, `out-${legalComments}`);
  const { buildOptions } = describeFunction(loadTemplate(), 'UserMigrationFunction');
  await build({
    ...buildOptions,
    entryPoints: [join(WORK, 'entry.ts')],
    entryNames: 'index',
    outdir,
    legalComments,
    logLevel: 'error',
  });
  const output = execFileSync(process.execPath, [join(outdir, 'index.mjs')], { encoding: 'utf8' });
  return JSON.parse(output) as Record<string, string>;
}

describe('an embedded package bundled from node_modules', () => {
  it.each(['eof', 'inline', 'external', 'linked'] as const)(
    "reads back the exact source with legalComments '%s'",
    async (legalComments) => {
      // Act
      const result = await bundleAndRun(legalComments);
      // Assess
      expect(result).toEqual({ sha256: EMBEDDED_MODULE.sha256 });
    },
    30_000,
  );

  it("keeps the comment at the end of the bundle, outside the code, with esbuild's default", async () => {
    // Act
    await bundleAndRun(undefined);
    const bundle = readFileSync(join(WORK, 'out-undefined', 'index.mjs'), 'utf8');
    // Assess: the payload is only in the license block esbuild appends after the code.
    const blockAt = bundle.indexOf('/*! Bundled license information:');
    expect(blockAt).toBeGreaterThan(0);
    expect(bundle.indexOf(`(sha256 ${EMBEDDED_MODULE.sha256}): `)).toBeGreaterThan(blockAt);
    expect(bundle.slice(0, blockAt)).not.toContain(`(sha256 ${EMBEDDED_MODULE.sha256})`);
  }, 30_000);

  it("fails with EmbeddedModuleError naming the esbuild option when built with legalComments 'none'", async () => {
    // Act
    const result = await bundleAndRun('none');
    // Assess
    expect(result.error).toBe('EmbeddedModuleError');
    expect(result.message).toMatch(
      /^@aws-sdk\/client-sns is embedded in a legal comment .*legalComments 'eof'/,
    );
  }, 30_000);
});
