/**
 * `npm run build:package` (run by `prepack`): compiles the package into `lib/` (gitignored): ESM and
 * declarations with `tsc -p tsconfig.build.json`, plus any file tsc does not copy.
 *
 *   npm run build:package                    # build lib/
 *   npm run build:package -- --write-exports # also rewrite package.json's exports from tools/package-entries.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportsMap, PACKAGE_OUT_DIR, presentEntries } from './package-entries.js';

// Files tsc does not emit but the compiled code imports (none now: the Tracer is embedded, load-tracer.ts,
// and Metrics is imported from its ESM build like the Logger).
const COPIED_FILES: readonly string[] = [];

export function buildPackage(root: string = process.cwd()): void {
  const outDir = join(root, PACKAGE_OUT_DIR);
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
    },
  );
  for (const file of COPIED_FILES) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    copyFileSync(join(root, file), join(outDir, file));
  }
}

export function writeExports(root: string = process.cwd()): void {
  const path = join(root, 'package.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  manifest.exports = exportsMap(root);
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write-exports')) writeExports();
  buildPackage();
  console.log(
    `built ${PACKAGE_OUT_DIR}/ for ${presentEntries()
      .map((entry) => entry.subpath)
      .join(', ')}`,
  );
}
