import * as nodeCrypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as onDemand from '../../shared/node-crypto-on-demand.js';

const execFileAsync = promisify(execFile);

describe('node-crypto-on-demand (what template.yaml aliases node:crypto to in the bundles)', () => {
  it('loads node:crypto on the first call of one of its functions, not on import', async () => {
    // Arrange: the module bundled alone, run in a fresh plain Node (this process, and tsx, have node:crypto loaded).
    const dir = mkdtempSync(join(tmpdir(), 'crypto-on-demand-'));
    const bundle = join(dir, 'shim.mjs');
    await build({
      entryPoints: ['shared/node-crypto-on-demand.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    const script = `
      const loaded = () => process.moduleLoadList.includes('NativeModule crypto');
      const shim = await import(process.argv[1]);
      const afterImport = loaded();
      const bytes = shim.randomBytes(8);
      process.stdout.write(JSON.stringify({ afterImport, afterCall: loaded(), length: bytes.length }));
    `;
    // Act
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--input-type=module', '--eval', script, '--', pathToFileURL(bundle).href],
      { timeout: 30_000 },
    );
    rmSync(dir, { recursive: true, force: true });
    // Assess
    expect(JSON.parse(stdout)).toEqual({ afterImport: false, afterCall: true, length: 8 });
  });

  it('answers as node:crypto does, function for function', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.string(), async (data, key) => {
        // Act and assess: digests, HMACs and key derivations agree byte for byte.
        expect(onDemand.createHash('sha256').update(data).digest('hex')).toBe(
          nodeCrypto.createHash('sha256').update(data).digest('hex'),
        );
        expect(onDemand.createHmac('sha256', key).update(data).digest('hex')).toBe(
          nodeCrypto.createHmac('sha256', key).update(data).digest('hex'),
        );
        const derive = (pbkdf2: typeof nodeCrypto.pbkdf2): Promise<Buffer> =>
          new Promise((resolve, reject) =>
            pbkdf2(data, 'salt', 2, 16, 'sha256', (error, derived) =>
              error ? reject(error) : resolve(derived),
            ),
          );
        expect(await derive(onDemand.pbkdf2)).toEqual(await derive(nodeCrypto.pbkdf2));
        const buffer = Buffer.from(data);
        expect(onDemand.timingSafeEqual(buffer, Buffer.from(buffer))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('passes scrypt and argon2 their arguments and callbacks unchanged', async () => {
    // Arrange
    const scrypt = (fn: typeof nodeCrypto.scrypt): Promise<Buffer> =>
      new Promise((resolve, reject) =>
        fn('password', 'salt', 16, { N: 16 }, (error, key) => (error ? reject(error) : resolve(key))),
      );
    const argon2 = (fn: typeof nodeCrypto.argon2): Promise<Buffer> =>
      new Promise((resolve, reject) =>
        fn(
          'argon2id',
          {
            message: 'password',
            nonce: Buffer.alloc(16, 7),
            parallelism: 1,
            tagLength: 16,
            memory: 64,
            passes: 1,
          },
          (error, key) => (error ? reject(error) : resolve(key)),
        ),
      );
    // Act and assess
    expect(await scrypt(onDemand.scrypt)).toEqual(await scrypt(nodeCrypto.scrypt));
    expect(await argon2(onDemand.argon2)).toEqual(await argon2(nodeCrypto.argon2));
  });

  // Expected values from openssl (key and message as UTF-8), e.g.
  //   printf '%s' 'alice@example.com' | openssl dgst -sha256 -hmac 'key-one' | awk '{print $2}'
  //   printf 'Zo\xc3\xab.\xc3\x85ngstr\xc3\xb6m@ex\xc3\xa4mple.com' | openssl dgst -sha256 -hmac 'key-one'
  //   printf '%s' 'alice@example.com' | openssl dgst -sha256 -hmac "$(printf 'k%.0s' $(seq 1 100))"
  //   printf 'a\xef\xbf\xbdb' | openssl dgst -sha256 -hmac 'key-one'  (a lone surrogate is encoded as U+FFFD)
  it.each([
    ['key-one', 'alice@example.com', 'ea3553cd768833478d3a9446cf9f7cbf9474bcbd156aa6f0eb5f123ff534e162'],
    [
      'key-one',
      'Zo\u00eb.\u00c5ngstr\u00f6m@ex\u00e4mple.com',
      'aa3bf0044c1f3167ccab44f9d72c22deba6847664266c6251334cc84183c1d5e',
    ],
    [
      'k'.repeat(100),
      'alice@example.com',
      'da52fd927659ee918a599d1ba4a61818852770cf242d30e8ee75056dfeade7b9',
    ],
    ['key-one', 'a\ud800b', '2399408750b0f5399c707861e8f511025b13134a82e456e3b9aeecbe28d9b88e'],
  ])(
    'hmacSha256Hex (without node:crypto) matches openssl for key %j and message %j',
    (key, message, expected) => {
      // Act
      const digest = onDemand.hmacSha256Hex(Buffer.from(key, 'utf8'), message);
      // Assess
      expect(digest).toBe(expected);
    },
  );

  it('hmacSha256Hex agrees with createHmac on any key and message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary' }), (key, message) => {
        expect(onDemand.hmacSha256Hex(key, message)).toBe(
          nodeCrypto.createHmac('sha256', key).update(message, 'utf8').digest('hex'),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('draws random values of the shape asked', () => {
    // Act
    const bytes = onDemand.randomBytes(24);
    const values = onDemand.getRandomValues(new Uint32Array(4));
    const ints = Array.from({ length: 200 }, () => onDemand.randomInt(0, 100));
    // Assess
    expect(bytes.length).toBe(24);
    expect(values).toBeInstanceOf(Uint32Array);
    expect(ints.every((value) => Number.isInteger(value) && value >= 0 && value < 100)).toBe(true);
    expect(new Set(ints).size).toBeGreaterThan(10);
  });
});
