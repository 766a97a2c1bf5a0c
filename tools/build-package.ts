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
import { DISPOSABLE_DOMAINS_FILE_IN_REPO } from '../shared/email-domain/disposable-domains-file.js';
import { exportsMap, PACKAGE_OUT_DIR, presentEntries } from './package-entries.js';

// Files tsc does not emit but the compiled code reads: the disposable-domain list, found beside the code
// (lib/shared/email-domain/ -> lib/layers/..., see shared/email-domain/disposable-domains-file.ts).
const COPIED_FILES: readonly string[] = [DISPOSABLE_DOMAINS_FILE_IN_REPO];

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
