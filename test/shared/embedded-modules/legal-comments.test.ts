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
import { EMBEDDED_MODULE as PG_MODULE } from '../../../shared/embedded-modules/pg.generated.js';
import { describeFunction, loadTemplate } from '../../../tools/lib/template.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const WORK = mkdtempSync(join(tmpdir(), 'legal-comments-'));

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

// A generated module installed as a package of its own, so esbuild treats it as node_modules code: the SNS
// client's (brotli, base64) and pg's (its code as it is, `text`), each with an entry that reads it back.
const PROBES = { 'client-sns': EMBEDDED_MODULE, pg: PG_MODULE } as const;
type Probe = keyof typeof PROBES;
for (const probe of Object.keys(PROBES) as Probe[]) {
  const directory = join(WORK, 'node_modules', `probe-${probe}`);
  mkdirSync(directory, { recursive: true });
  copyFileSync(join(ROOT, `shared/embedded-modules/${probe}.generated.ts`), join(directory, 'index.ts'));
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({ name: `probe-${probe}`, main: 'index.ts' }),
  );
  writeFileSync(
    join(WORK, `entry-${probe}.ts`),
    [
      `import { readEmbeddedSource } from ${JSON.stringify(join(ROOT, 'shared/embedded-modules/evaluate-embedded-module.ts'))};`,
      `import { EMBEDDED_MODULE } from 'probe-${probe}';`,
      "import { createHash } from 'node:crypto';",
      'try {',
      '  const source = readEmbeddedSource(EMBEDDED_MODULE);',
      "  console.log(JSON.stringify({ sha256: createHash('sha256').update(source, 'utf8').digest('hex') }));",
      '} catch (error) {',
      '  console.log(JSON.stringify({ error: error.name, message: error.message }));',
      '}',
    ].join('\n'),
  );
}

async function bundleAndRun(
  legalComments: BuildOptions['legalComments'],
  probe: Probe = 'client-sns',
): Promise<Record<string, string>> {
  const outdir = join(WORK, `out-${probe}-${legalComments}`);
  const { buildOptions } = describeFunction(loadTemplate(), 'UserMigrationFunction');
  await build({
    ...buildOptions,
    entryPoints: [join(WORK, `entry-${probe}.ts`)],
    entryNames: 'index',
    outdir,
    legalComments,
    logLevel: 'error',
  });
  const output = execFileSync(process.execPath, [join(outdir, 'index.mjs')], { encoding: 'utf8' });
  return JSON.parse(output) as Record<string, string>;
}

describe('an embedded package bundled from node_modules', () => {
  it.each(
    (['eof', 'inline', 'external', 'linked'] as const).flatMap((mode) =>
      (Object.keys(PROBES) as Probe[]).map((probe) => [mode, probe] as const),
    ),
  )(
    "reads back the exact source with legalComments '%s' (%s)",
    async (legalComments, probe) => {
      // Act
      const result = await bundleAndRun(legalComments, probe);
      // Assess
      expect(result).toEqual({ sha256: PROBES[probe].sha256 });
    },
    30_000,
  );

  it("keeps the comment at the end of the bundle, outside the code, with esbuild's default", async () => {
    // Act
    await bundleAndRun(undefined);
    const bundle = readFileSync(join(WORK, 'out-client-sns-undefined', 'index.mjs'), 'utf8');
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
