import type * as NodeZlib from 'node:zlib';
import type * as NodeVm from 'node:vm';
import { createRequire } from 'node:module';
import { requireBuiltin } from '../builtins.js';

/**
 * A package bundled ahead of time into one CommonJS file and kept as a string (`npm run
 * generate:embedded`), so that a function whose configuration never uses it does not even parse it at
 * cold start: it only scans the string.
 */
export type EmbeddedModule = EmbeddedModuleInfo &
  (
    | {
        /** The bundled source, brotli-compressed, base64: the fewest characters to scan. */
        readonly brotliBase64: string;
      }
    | {
        /**
         * The bundled source, base64 only: more characters to scan, but used without `node:zlib` (loading it
         * and decompressing cost the configuration that uses the package more than the characters cost the
         * others). Base64 rather than the source as is: esbuild prints a string of code as a template
         * literal, which V8 scans at twice the cost of a plain one.
         */
        readonly base64: string;
      }
  );

export interface EmbeddedModuleInfo {
  /** The package (and subpath) it stands for, e.g. `@aws-sdk/client-ssm`. */
  readonly name: string;
  readonly version: string;
  /** SHA-256 of the bundled source, hex. */
  readonly sha256: string;
}

type CommonJsWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

// The embedded code requires only Node's built-in modules: everything else is inlined.
const embeddedRequire = createRequire(import.meta.url);

/**
 * Decompresses and evaluates an embedded package the way Node's CommonJS loader evaluates a file (the
 * same wrapper, compiled with `vm.Script` in this context), and returns its `module.exports`. Its
 * stack frames name `embedded:<package>@<version>`. Call it once (e.g. through `loadOnce`).
 *
 * @example
 * ```ts
 * const { EMBEDDED_MODULE } = await import('./client-ssm.generated.js');
 * const { SSMClient } = evaluateEmbeddedModule<typeof ClientSsm>(EMBEDDED_MODULE);
 * ```
 */
export function evaluateEmbeddedModule<T>(embedded: EmbeddedModule): T {
  const { Script } = requireBuiltin<typeof NodeVm>('node:vm');
  const source = readEmbeddedSource(embedded);
  const filename = `embedded:${embedded.name}@${embedded.version}`;
  const wrapper = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
  }).runInThisContext() as CommonJsWrapper;
  const module = { exports: {} as unknown };
  wrapper.call(module.exports, module.exports, embeddedRequire, module, filename, '.');
  return module.exports as T;
}

/** The bundled source of an embedded package: as is, or decompressed (only then is `node:zlib` loaded). */
export function readEmbeddedSource(embedded: EmbeddedModule): string {
  if ('base64' in embedded) return Buffer.from(embedded.base64, 'base64').toString('utf8');
  const { brotliDecompressSync } = requireBuiltin<typeof NodeZlib>('node:zlib');
  return brotliDecompressSync(Buffer.from(embedded.brotliBase64, 'base64')).toString('utf8');
}
