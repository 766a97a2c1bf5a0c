/**
 * `npm run generate:seed-users`: rewrites the seeded-users tables of README.md and docs/sandbox.md
 * (between their markers) from tools/sandbox/seed, the same data the banner of `npm start` prints.
 * `test/tools/sandbox/seeded-users.test.ts` fails when a table and the seed differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatSeededUsersTable, replaceSeededUsersBlock } from './sandbox/sample-users.js';

/** The documents that carry the generated table. */
export const SEEDED_USERS_DOCUMENTS: readonly string[] = ['README.md', 'docs/sandbox.md'];

if (import.meta.url === `file://${process.argv[1]}`) {
  const table = formatSeededUsersTable();
  for (const path of SEEDED_USERS_DOCUMENTS) {
    const before = readFileSync(path, 'utf8');
    const after = replaceSeededUsersBlock(before, table);
    if (after !== before) writeFileSync(path, after);
    console.log(`${path}: ${after === before ? 'up to date' : 'updated'}`);
  }
}
