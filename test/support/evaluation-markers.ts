import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';

/** The global array a marked bundle pushes a package's name onto when that package is evaluated. */
export const EVALUATED_GLOBAL = '__ctkEvaluatedPackages';

/**
 * An esbuild plugin that appends one statement to the entry file of each named package:
 * `globalThis.__ctkEvaluatedPackages.push('<name>')`. The rest of the bundle (module graph, esbuild's
 * lazy `__esm`/`__commonJS` wrappers, the template's options) is untouched, so a child process that
 * runs the bundle can tell which packages were evaluated, not merely bundled.
 *
 * @example
 * ```ts
 * await build({ ...fn.buildOptions, plugins: [evaluationMarkers(['@aws-sdk/client-ssm', 'pg'])] });
 * ```
 */
export function evaluationMarkers(packages: readonly string[]): Plugin {
  const wanted = new Set(packages);
  const marked = new Map<string, string>();
  return {
    name: 'evaluation-markers',
    setup(build) {
      build.onResolve({ filter: /^[@a-z]/ }, async (args) => {
        if (!wanted.has(args.path) || args.pluginData === EVALUATED_GLOBAL) return undefined;
        const result = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: EVALUATED_GLOBAL,
        });
        if (result.errors.length === 0) marked.set(result.path, args.path);
        return result;
      });
      build.onLoad({ filter: /\.(c|m)?js$/ }, async (args) => {
        const name = marked.get(args.path);
        if (name === undefined) return undefined;
        const source = await readFile(args.path, 'utf8');
        return {
          contents: `${source}\n;(globalThis.${EVALUATED_GLOBAL} ??= []).push(${JSON.stringify(name)});\n`,
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}
