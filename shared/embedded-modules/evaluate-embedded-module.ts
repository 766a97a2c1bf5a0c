import type * as NodeFs from 'node:fs';
import type * as NodeZlib from 'node:zlib';
import type * as NodeVm from 'node:vm';
import { createRequire } from 'node:module';
import { requireBuiltin } from '../builtins.js';
import { EmbeddedModuleError } from './errors.js';

/**
 * A package bundled ahead of time into one CommonJS file (`npm run generate:embedded`) whose code rides in
 * a legal comment (`/*! ... *\/`) of its generated module, so that a function whose configuration never
 * uses it does not parse it at cold start, nor even scan it as a string: V8 skips a comment at ~6
 * instructions a character, where it scans a string literal at ~27 (measured: 8.9 M instructions of
 * UserMigration's cold start, 3.6 M of PreSignUp's). Bundled, esbuild moves legal comments to the end of
 * the file (its default, `legalComments: 'eof'`) or keeps them in place (`'inline'`); either way they stay
 * in the file that `url` names, which the package's own generated module reads back on first use.
 */
export interface EmbeddedModule {
  /** The package (and subpath) it stands for, e.g. `@aws-sdk/client-ssm`. */
  readonly name: string;
  readonly version: string;
  /** SHA-256 of the bundled source, hex: it also names the comment that carries it. */
  readonly sha256: string;
  /**
   * How the comment carries the source: brotli-compressed then base64 (the fewest characters); base64 only
   * (used without `node:zlib`: loading it and decompressing cost the configuration that uses the package
   * more than the characters cost the others); or the code itself (`text`: one line of printable ASCII
   * without a comment's end, read back into the string that is compiled, with no copy decoded between).
   */
  readonly encoding: 'brotli-base64' | 'base64' | 'text';
  /** With `text`: the source's length, which the reader reads after the comment's prefix. */
  readonly length?: number;
  /** The file holding the comment: the generated module's `import.meta.url`, i.e. the bundle once bundled. */
  readonly url: string;
}

/** What opens the legal comment that carries a package, after its `/*!`. */
export function embeddedCommentPrefix(embedded: Pick<EmbeddedModule, 'name' | 'version' | 'sha256'>): string {
  return `cognito-trigger-kit embeds ${embedded.name} ${embedded.version} (sha256 ${embedded.sha256}): `;
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

// Node's CommonJS wrapper, around the embedded code.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/**
 * Reads back (decoding what its encoding says) and evaluates an embedded package the way Node's CommonJS loader evaluates a file (the
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
  const code =
    embedded.encoding === 'text'
      ? readCarriedText(embedded, WRAPPER_HEAD, WRAPPER_TAIL)
      : `${WRAPPER_HEAD}${readEmbeddedSource(embedded)}${WRAPPER_TAIL}`;
  const filename = `embedded:${embedded.name}@${embedded.version}`;
  const wrapper = new Script(code, { filename }).runInThisContext() as CommonJsWrapper;
  const module = { exports: {} as unknown };
  wrapper.call(module.exports, module.exports, embeddedRequire, module, filename, '.');
  return module.exports as T;
}

/**
 * The bundled source of an embedded package, read back from the comment that carries it in the file
 * `embedded.url` names (or, bundled with `legalComments: 'external'` or `'linked'`, in the `.LEGAL.txt`
 * esbuild writes beside it), and decoded; only a compressed one loads `node:zlib`.
 *
 * @throws EmbeddedModuleError when neither holds the comment: the bundle was built without its legal
 * comments (`legalComments: 'none'`).
 */
export function readEmbeddedSource(embedded: EmbeddedModule): string {
  if (embedded.encoding === 'text') return readCarriedText(embedded, '', '');
  const base64 = readFromComment(embedded, findPayload);
  if (embedded.encoding === 'base64') return Buffer.from(base64, 'base64').toString('utf8');
  const { brotliDecompressSync } = requireBuiltin<typeof NodeZlib>('node:zlib');
  return brotliDecompressSync(Buffer.from(base64, 'base64')).toString('utf8');
}

/**
 * A `text` source between `head` and `tail`, as one string: the payload is read from the file straight into
 * the buffer that becomes it (pg's 107 k characters as base64 took five copies: the chunks read, the joined
 * payload, the decoded bytes, their text, and the wrapped code V8 flattens to compile).
 */
function readCarriedText(embedded: EmbeddedModule, head: string, tail: string): string {
  const length = embedded.length;
  if (length === undefined || !Number.isSafeInteger(length) || length < 0)
    throw new EmbeddedModuleError(`${embedded.name} is embedded as text with no valid length`);
  return readFromComment(embedded, (fs, fd, prefix) => {
    const at = locatePayload(fs, fd, prefix);
    if (at === undefined) return undefined;
    // The payload and the byte after it, which ends it: the space before `*/` (or before `*)` where esbuild
    // groups the legal comments of node_modules). Anything else means the comment is not what was generated.
    const code = Buffer.allocUnsafeSlow(head.length + length + Math.max(tail.length, 1));
    code.write(head, 0, 'latin1');
    const read = fs.readSync(fd, code, head.length, length + 1, at);
    if (read !== length + 1 || code[head.length + length] !== SPACE)
      throw new EmbeddedModuleError(
        `${embedded.name}'s embedded code in ${embedded.url} is not the ${length} characters generated`,
      );
    code.write(tail, head.length + length, 'latin1');
    return code.toString('latin1', 0, head.length + length + tail.length);
  });
}

/** Opens the file that `url` names (or its `.LEGAL.txt`) and reads the payload with `read`. */
function readFromComment(
  embedded: EmbeddedModule,
  read: (fs: typeof NodeFs, fd: number, prefix: Buffer) => string | undefined,
): string {
  const fs = requireBuiltin<typeof NodeFs>('node:fs');
  const prefix = Buffer.from(embeddedCommentPrefix(embedded), 'latin1');
  for (const url of [embedded.url, `${embedded.url}.LEGAL.txt`]) {
    let fd: number;
    try {
      fd = fs.openSync(new URL(url), 'r');
    } catch {
      continue;
    }
    try {
      const payload = read(fs, fd, prefix);
      if (payload !== undefined) return payload;
    } finally {
      fs.closeSync(fd);
    }
  }
  throw new EmbeddedModuleError(
    `${embedded.name} is embedded in a legal comment (/*! ... */) that ${embedded.url} does not hold: bundle with esbuild's legalComments 'eof' (its default) or 'inline'`,
  );
}

// Read in chunks through one buffer: touching fresh memory is what a cold start pays for most here (reading the
// 553 kB UserMigration bundle whole took ~3 ms, finding pg's payload this way ~1.4 ms).
const CHUNK_BYTES = 64 * 1024;
const SPACE = 0x20;

/**
 * The file offset just after `prefix` in the open file, or undefined when the file does not hold it. The
 * file is read 64 kB at a time through one buffer, keeping the end of each read for a prefix that straddles two.
 */
function locatePayload(
  fs: typeof NodeFs,
  fd: number,
  prefix: Buffer,
  chunk: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES),
): number | undefined {
  let position = 0; // the file offset of chunk[0]
  let kept = 0; // bytes kept at the start of chunk from the previous read
  for (;;) {
    const read = fs.readSync(fd, chunk, kept, CHUNK_BYTES - kept, position + kept);
    if (read === 0) return undefined;
    const filled = kept + read;
    const at = chunk.subarray(0, filled).indexOf(prefix);
    if (at >= 0) return position + at + prefix.length;
    kept = Math.min(prefix.length - 1, filled);
    chunk.copy(chunk, 0, filled - kept, filled);
    position += filled - kept;
  }
}

/**
 * The payload that follows `prefix` in the open file, up to the space that ends it (base64 has none: the
 * space before `*\/`, or before `*)` where a bundler groups the legal comments of node_modules into one, as
 * esbuild's "Bundled license information" does), or undefined when the file does not hold the prefix.
 */
function findPayload(fs: typeof NodeFs, fd: number, prefix: Buffer): string | undefined {
  const chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  let position = locatePayload(fs, fd, prefix, chunk);
  if (position === undefined) return undefined;
  const parts: string[] = [];
  for (;;) {
    const read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, position);
    if (read === 0) return undefined;
    const end = chunk.subarray(0, read).indexOf(SPACE);
    parts.push(chunk.toString('latin1', 0, end < 0 ? read : end));
    if (end >= 0) return parts.join('');
    position += read;
  }
}
