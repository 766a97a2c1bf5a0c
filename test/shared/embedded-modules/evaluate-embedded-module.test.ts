import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  evaluateEmbeddedModule,
  readEmbeddedSource,
  type EmbeddedModule,
} from '../../../shared/embedded-modules/evaluate-embedded-module.js';
import { loadPgModule, loadSsmModule } from '../../../shared/embedded-modules/embedded-packages.js';

const DIRECTORY = mkdtempSync(join(tmpdir(), 'embedded-module-'));
let files = 0;

/** `source` carried as the generator carries it: a legal comment in a module file, here written by hand. */
function embed(source: string, encoding: EmbeddedModule['encoding'] = 'brotli-base64'): EmbeddedModule {
  const bytes = Buffer.from(source, 'utf8');
  const payload =
    encoding === 'text'
      ? source
      : (encoding === 'base64' ? bytes : brotliCompressSync(bytes)).toString('base64');
  const sha256 = `not-checked-${(files += 1)}`;
  const path = join(DIRECTORY, `module-${files}.mjs`);
  writeFileSync(
    path,
    `export const x = 1;\n/*! cognito-trigger-kit embeds example-package 1.2.3 (sha256 ${sha256}): ${payload} */\n`,
  );
  return {
    name: 'example-package',
    version: '1.2.3',
    sha256,
    encoding,
    ...(encoding === 'text' && { length: source.length }),
    url: pathToFileURL(path).href,
  };
}

describe('evaluateEmbeddedModule', () => {
  it("returns the module's exports, evaluated with CommonJS's exports, module and require", () => {
    // Prepare
    const embedded = embed(
      "const { join } = require('node:path'); exports.joined = join('a', 'b'); module.exports.same = exports === module.exports;",
    );
    // Act
    const exported = evaluateEmbeddedModule<{ joined: string; same: boolean }>(embedded);
    // Assess
    expect(exported).toEqual({ joined: 'a/b', same: true });
  });

  it('evaluates a package embedded uncompressed (base64 only) the same way', () => {
    // Prepare
    const embedded = embed("exports.answer = require('node:path').basename('/a/b.txt');", 'base64');
    // Act
    const exported = evaluateEmbeddedModule<{ answer: string }>(embedded);
    // Assess
    expect(exported).toEqual({ answer: 'b.txt' });
  });

  it('evaluates a package carried as its code itself (text), its length declared', () => {
    // Prepare
    const embedded = embed("exports.answer = require('node:path').extname('/a/b.txt');", 'text');
    // Act
    const exported = evaluateEmbeddedModule<{ answer: string }>(embedded);
    // Assess
    expect(exported).toEqual({ answer: '.txt' });
    expect(readEmbeddedSource(embedded)).toBe("exports.answer = require('node:path').extname('/a/b.txt');");
  });

  it("reads text from the .LEGAL.txt, and from esbuild's grouped form (*! ... *)", () => {
    // Prepare
    const embedded = embed('module.exports = "grouped";', 'text');
    const path = new URL(embedded.url).pathname;
    const mine = /\/\*! (cognito-trigger-kit embeds .*) \*\//.exec(readFileSyncText(path))![1]!;
    writeFileSync(
      `${path}.LEGAL.txt`,
      `/*! Bundled license information:\n\nprobe/index.js:\n  (*! ${mine} *)\n*/\n`,
    );
    writeFileSync(path, 'export const x = 1;\n');
    // Act, Assess
    expect(evaluateEmbeddedModule<string>(embedded)).toBe('grouped');
  });

  it.each([
    ['longer than generated', (text: string) => `${text}x`],
    ['shorter than generated', (text: string) => text.slice(0, -1)],
    ['cut off by the end of the file', (text: string) => text.slice(0, 10)],
  ])('fails with EmbeddedModuleError when the text in the comment is %s', (_what, change) => {
    // Prepare
    const source = 'module.exports = "exact";';
    const embedded = embed(source, 'text');
    const path = new URL(embedded.url).pathname;
    const file = readFileSyncText(path);
    writeFileSync(
      path,
      file.endsWith(`${source} */\n`) ? file.replace(`${source} */\n`, change(source)) : 'unexpected',
    );
    // Act, Assess
    expect(() => evaluateEmbeddedModule(embedded)).toThrow(
      expect.objectContaining({
        name: 'EmbeddedModuleError',
        message: `example-package's embedded code in ${embedded.url} is not the ${source.length} characters generated`,
      }),
    );
  });

  it('fails with EmbeddedModuleError when a text module declares no length', () => {
    // Prepare
    const { length: _length, ...embedded } = embed('module.exports = 1;', 'text');
    // Act, Assess
    expect(() => evaluateEmbeddedModule(embedded)).toThrow(
      expect.objectContaining({
        name: 'EmbeddedModuleError',
        message: 'example-package is embedded as text with no valid length',
      }),
    );
  });

  it('reads the comment from the .LEGAL.txt beside the file when the file has none (legalComments external or linked)', () => {
    // Prepare
    const embedded = embed('module.exports = 42;');
    const path = new URL(embedded.url).pathname;
    writeFileSync(`${path}.LEGAL.txt`, readFileSyncText(path));
    writeFileSync(path, 'export const x = 1;\n');
    // Act
    const exported = evaluateEmbeddedModule<number>(embedded);
    // Assess
    expect(exported).toBe(42);
  });

  it('finds its own comment among others, up to the space that ends it', () => {
    // Prepare: another package's comment first, and this one as esbuild groups node_modules' comments.
    const embedded = embed('module.exports = "mine";');
    const path = new URL(embedded.url).pathname;
    const other = `/*! cognito-trigger-kit embeds example-package 1.2.3 (sha256 other): ${Buffer.from('module.exports = "other";').toString('base64')} */`;
    const mine = /\/\*! (cognito-trigger-kit embeds .*) \*\//.exec(readFileSyncText(path))![1]!;
    writeFileSync(
      path,
      `${other}\n/*! Bundled license information:\n\nprobe/index.js:\n  (*! ${mine} *)\n*/\n`,
    );
    // Act
    const source = readEmbeddedSource(embedded);
    // Assess
    expect(source).toBe('module.exports = "mine";');
  });

  it.each(
    [65_536 - 20, 65_536 - 1, 65_536, 131_072 - 50].flatMap((offset) =>
      (['base64', 'text'] as const).map((encoding) => [offset, encoding] as const),
    ),
  )(
    'reads a payload longer than the 64 kB it reads at a time, its comment starting at byte %i (%s)',
    (offset, encoding) => {
      // Prepare: code before the comment, so the prefix straddles a boundary, and a payload of ~3 reads.
      const source = `module.exports = ${JSON.stringify('x'.repeat(150_000))}.length;`;
      const embedded = embed(source, encoding);
      const path = new URL(embedded.url).pathname;
      const comment = readFileSyncText(path).slice(readFileSyncText(path).indexOf('/*!'));
      const code = 'export const x = 1;\n';
      writeFileSync(path, `${code}${' '.repeat(offset - code.length - 5)}\n${comment}`);
      // Act
      const exported = evaluateEmbeddedModule<number>(embedded);
      // Assess
      expect(readFileSyncText(path).indexOf('cognito-trigger-kit embeds')).toBe(offset);
      expect(exported).toBe(150_000);
    },
  );

  it('fails with EmbeddedModuleError, naming the package and the esbuild option, when the comment is gone', () => {
    // Prepare: a bundle built with legalComments 'none'.
    const embedded = embed('module.exports = 1;');
    writeFileSync(new URL(embedded.url).pathname, 'export const x = 1;\n');
    // Act, Assess
    expect(() => evaluateEmbeddedModule(embedded)).toThrow(
      expect.objectContaining({
        name: 'EmbeddedModuleError',
        message: expect.stringMatching(
          /^example-package is embedded in a legal comment .* legalComments 'eof'/,
        ),
      }),
    );
  });

  it('names the package and version in the stack frames of its code', () => {
    // Prepare
    const embedded = embed('module.exports = () => { throw new Error("from inside"); };');
    const fail = evaluateEmbeddedModule<() => never>(embedded);
    // Act
    const stack = (() => {
      try {
        return fail();
      } catch (error) {
        return (error as Error).stack ?? '';
      }
    })();
    // Assess
    expect(stack).toContain('embedded:example-package@1.2.3');
  });

  it('gives the real packages: the SSM client and pg, each loaded once', async () => {
    // Act
    const [ssm, again, pg] = await Promise.all([loadSsmModule(), loadSsmModule(), loadPgModule()]);
    // Assess
    expect(typeof ssm.SSMClient).toBe('function');
    expect(typeof ssm.GetParameterCommand).toBe('function');
    expect(again).toBe(ssm);
    expect(typeof pg.Pool).toBe('function');
  });
});

function readFileSyncText(path: string): string {
  return readFileSync(path, 'utf8');
}
