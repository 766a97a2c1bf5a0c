/**
 * `npm run build`: bundles each function of template.yaml to `dist/<trigger>/index.mjs` with the
 * esbuild options its `Metadata` gives SAM, so what the tests and `npm run invoke` run is what
 * `sam build` deploys.
 *
 *   npm run build                         # every function
 *   npm run build -- PreSignUpFunction    # one function
 */
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESBUILD_TARGET } from './lib/runtime.js';
import { describeFunction, listFunctions, loadTemplate, type FunctionDefinition } from './lib/template.js';

/** `triggers/pre-sign-up/index.ts` -> `dist/pre-sign-up`. */
export function outputDirOf(fn: FunctionDefinition): string {
  return join('dist', dirname(fn.entryPoint).split('/').at(-1)!);
}

/** Bundles one function; `outdir` defaults to `dist/<trigger>` (tests build elsewhere to run in parallel). */
export async function buildFunction(
  fn: FunctionDefinition,
  outdir: string = outputDirOf(fn),
): Promise<string> {
  // The template spells the target out for SAM; a function built for another Node than Lambda runs is a mistake.
  if (fn.buildOptions.target !== ESBUILD_TARGET) {
    throw new RangeError(
      `${fn.logicalId}: template.yaml builds for ${String(fn.buildOptions.target)}, the toolkit runs on ${ESBUILD_TARGET} (tools/lib/runtime.ts)`,
    );
  }
  const result = await build({
    ...fn.buildOptions,
    entryPoints: [fn.entryPoint],
    outdir,
    logLevel: 'warning',
    metafile: false,
    write: false,
  });
  // Written whole and renamed into place: a process importing the bundle (the sandbox, a parallel
  // test, a second `npm run invoke`) sees the old file or the new one, never half of one.
  mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  return join(outdir, 'index.mjs');
}

export async function buildAll(logicalIds?: readonly string[]): Promise<string[]> {
  const template = loadTemplate();
  const ids = logicalIds && logicalIds.length > 0 ? logicalIds : listFunctions(template);
  return Promise.all(ids.map((id) => buildFunction(describeFunction(template, id))));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outputs = await buildAll(process.argv.slice(2));
  for (const output of outputs) console.log(`built ${output}`);
}
