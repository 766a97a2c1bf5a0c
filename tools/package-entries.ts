/**
 * The package's public entries: one line per subpath of the contract ("The package"). `npm run
 * build:package` builds them, `package.json`'s `exports` is written from them (`npm run
 * build:package -- --write-exports`), and a test checks both. An entry whose source does not exist
 * yet is left out, so a trigger's line can land before its code.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageEntry {
  /** The import specifier's subpath: `.` for `cognito-trigger-kit`, `./pre-sign-up`, ... */
  readonly subpath: string;
  /** Its source, relative to the repository root. */
  readonly source: string;
}

export const PACKAGE_ENTRIES: readonly PackageEntry[] = [
  { subpath: '.', source: 'src/index.ts' },
  { subpath: './pre-sign-up', source: 'src/pre-sign-up.ts' },
  { subpath: './user-migration', source: 'src/user-migration.ts' },
  { subpath: './pre-token-generation', source: 'src/pre-token-generation.ts' },
  { subpath: './custom-message', source: 'src/custom-message.ts' },
  { subpath: './post-confirmation', source: 'src/post-confirmation.ts' },
  { subpath: './custom-sender', source: 'src/custom-sender.ts' },
];

/** The folder `tsc -p tsconfig.build.json` writes to (gitignored, outside the source tree). */
export const PACKAGE_OUT_DIR = 'lib';

/** The entries whose source exists under `root`. */
export function presentEntries(root: string = process.cwd()): PackageEntry[] {
  return PACKAGE_ENTRIES.filter((entry) => existsSync(join(root, entry.source)));
}

/** `src/pre-sign-up.ts` -> `./lib/src/pre-sign-up` (no extension). */
function builtPath(source: string): string {
  return `./${PACKAGE_OUT_DIR}/${source.replace(/\.ts$/, '')}`;
}

/** The `exports` map of package.json for the present entries: types first, then the ESM file. */
export function exportsMap(root: string = process.cwd()): Record<string, { types: string; default: string }> {
  return Object.fromEntries(
    presentEntries(root).map((entry) => [
      entry.subpath,
      { types: `${builtPath(entry.source)}.d.ts`, default: `${builtPath(entry.source)}.js` },
    ]),
  );
}
