import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFunction } from '../../tools/build.js';
import { describeFunction, loadTemplate } from '../../tools/lib/template.js';

const execFileAsync = promisify(execFile);
const template = loadTemplate('template.yaml');
const root = mkdtempSync(join(tmpdir(), 'sam-esbuild-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * The esbuild command line that `sam build` runs for a function (aws-lambda-builders, workflow
 * nodejs_npm_esbuild, `EsbuildCommandBuilder`): every BuildProperty but the entry points, which go last,
 * in kebab case; `true` as a bare flag, a string as `--key=value`, a list as one `--key:item` per item;
 * `Platform` and the output directory set by the builder itself, with `--bundle`.
 */
function samEsbuildArgs(properties: Record<string, unknown>, outdir: string): string[] {
  const kebab = (key: string) => key.replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();
  const args = ['--bundle', '--platform=node', `--outdir=${outdir}`];
  for (const [key, value] of Object.entries(properties)) {
    if (['EntryPoints', 'Platform'].includes(key)) continue;
    if (value === true) args.push(`--${kebab(key)}`);
    else if (typeof value === 'string') args.push(`--${kebab(key)}=${value}`);
    else if (Array.isArray(value)) for (const item of value) args.push(`--${kebab(key)}:${String(item)}`);
  }
  return [...(properties.EntryPoints as string[]), ...args];
}

describe("the bundle `npm run build` makes is the one sam build's esbuild command line makes", () => {
  // PreSignUp carries the Alias of node:crypto (with a `:` in its key), UserMigration none.
  it.each(['PreSignUpFunction', 'UserMigrationFunction'])('%s', async (id) => {
    // Arrange
    const resource = template.Resources[id]!;
    const properties = (resource.Metadata as { BuildProperties: Record<string, unknown> }).BuildProperties;
    const samOut = join(root, `${id}-sam`);
    // Act
    await execFileAsync(join('node_modules', '.bin', 'esbuild'), samEsbuildArgs(properties, samOut), {
      timeout: 60_000,
    });
    const ours = await buildFunction(describeFunction(template, id), join(root, `${id}-ours`));
    // Assess
    expect(readFileSync(join(samOut, 'index.mjs')).equals(readFileSync(ours))).toBe(true);
  });
});
