import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { evaluateEmbeddedModule } from '../../../shared/embedded-modules/evaluate-embedded-module.js';
import { loadPgModule, loadSsmModule } from '../../../shared/embedded-modules/embedded-packages.js';

function embed(source: string) {
  return {
    name: 'example-package',
    version: '1.2.3',
    sha256: 'not checked here',
    brotliBase64: brotliCompressSync(Buffer.from(source, 'utf8')).toString('base64'),
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
    const embedded = {
      name: 'example-package',
      version: '1.2.3',
      sha256: 'not checked here',
      base64: Buffer.from("exports.answer = require('node:path').basename('/a/b.txt');", 'utf8').toString(
        'base64',
      ),
    };
    // Act
    const exported = evaluateEmbeddedModule<{ answer: string }>(embedded);
    // Assess
    expect(exported).toEqual({ answer: 'b.txt' });
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
