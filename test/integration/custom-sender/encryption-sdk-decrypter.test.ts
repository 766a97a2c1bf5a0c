import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEncryptionSdkDecrypter,
  createKmsKeyring,
  createRawAesKeyring,
} from '../../../triggers/custom-sender/decrypt/encryption-sdk-decrypter.js';
import { CodeDecryptionError } from '../../../triggers/custom-sender/errors.js';
import { loadEvent } from '../../support/events.js';
import { startLocalKmsServer, type LocalKmsServer } from '../../../tools/lib/local-kms-server.js';
import { encryptWithTestKey, FIXTURE_CODES, TEST_RAW_AES_KEY_BASE64 } from './sender-setup.js';

const signal = new AbortController().signal;
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

let kms: LocalKmsServer;
beforeAll(async () => {
  kms = await startLocalKmsServer('eu-west-1');
});
afterAll(async () => {
  await kms?.close();
});

/** Encrypts as Cognito does: the Encryption SDK with a KMS keyring whose generator is the pool's key. */
async function encryptUnderKms(keyArn: string, code: string): Promise<string> {
  const client = kms.client();
  const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => client });
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  return (
    await encrypt(keyring, code, { encryptionContext: { userpool: 'eu-west-1_Ab12Cd34E' } })
  ).result.toString('base64');
}

describe('createEncryptionSdkDecrypter with the KMS keyring (real @aws-sdk/client-kms, local KMS server)', () => {
  it('decrypts a code encrypted under the pool key, calling KMS Decrypt with that key', async () => {
    // Prepare
    const keyArn = kms.createKey();
    const ciphertext = await encryptUnderKms(keyArn, '731904');
    const decrypter = createEncryptionSdkDecrypter(createKmsKeyring(keyArn, kms.client()));
    kms.calls.length = 0;

    // Act
    const plaintext = await decrypter.decrypt(ciphertext, signal);

    // Assess
    expect(text(plaintext)).toBe('731904');
    expect(kms.calls).toEqual([{ operation: 'Decrypt', keyId: keyArn }]);
  });

  it('refuses a code encrypted under another key, without asking KMS about it', async () => {
    // Prepare
    const poolKey = kms.createKey();
    const otherKey = kms.createKey();
    const ciphertext = await encryptUnderKms(otherKey, '731904');
    const decrypter = createEncryptionSdkDecrypter(createKmsKeyring(poolKey, kms.client()));
    kms.calls.length = 0;

    // Act
    const outcome = decrypter.decrypt(ciphertext, signal);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(CodeDecryptionError);
    expect(kms.calls).toEqual([]);
  });

  it('fails with a CodeDecryptionError when KMS cannot be reached', async () => {
    // Prepare
    const keyArn = kms.createKey();
    const ciphertext = await encryptUnderKms(keyArn, '731904');
    const { KMS } = await import('@aws-sdk/client-kms');
    const unreachable = new KMS({
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const decrypter = createEncryptionSdkDecrypter(createKmsKeyring(keyArn, unreachable));

    // Act
    const outcome = decrypter.decrypt(ciphertext, signal);

    // Assess
    await expect(outcome).rejects.toThrow(CodeDecryptionError);
    await expect(outcome).rejects.not.toThrow(ciphertext.slice(0, 16));
  });
});

describe('createEncryptionSdkDecrypter with the raw AES keyring', () => {
  const keyring = createRawAesKeyring(new Uint8Array(Buffer.from(TEST_RAW_AES_KEY_BASE64, 'base64')));

  it.each(Object.entries(FIXTURE_CODES).filter(([, code]) => code !== null))(
    'decrypts the code of the %s fixture',
    async (name, code) => {
      // Prepare
      const event = loadEvent<{ request: { code: string } }>(`custom-sender/${name}.json`);

      // Act
      const plaintext = await createEncryptionSdkDecrypter(keyring).decrypt(event.request.code, signal);

      // Assess
      expect(text(plaintext)).toBe(code);
    },
  );

  it.each([
    ['not base64', '%%%not-base64%%%'],
    ['truncated', async () => (await encryptWithTestKey('123456')).slice(0, 120)],
    ['empty', ''],
  ])('refuses a %s ciphertext with a CodeDecryptionError', async (_label, make) => {
    // Prepare
    const ciphertext = typeof make === 'function' ? await make() : make;

    // Act
    const outcome = createEncryptionSdkDecrypter(keyring).decrypt(ciphertext, signal);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(CodeDecryptionError);
  });

  it('refuses a code encrypted under another raw key', async () => {
    // Prepare
    const ciphertext = await encryptWithTestKey('123456');
    const otherKeyring = createRawAesKeyring(new Uint8Array(32).fill(7));

    // Act
    const outcome = createEncryptionSdkDecrypter(otherKeyring).decrypt(ciphertext, signal);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(CodeDecryptionError);
  });
});
