import {
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
  type KeyringNode,
} from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';
import { raceDeadline } from '../../../shared/deadline.js';
import { CodeDecryptionError } from '../errors.js';
import type { CodeDecrypter } from './code-decrypter.js';

/** The raw AES keyring's names (../shared/CONTRACT.md): what the fixtures and the sandbox encrypt with. */
export const RAW_AES_KEY_NAMESPACE = 'cognito-trigger-kit';
export const RAW_AES_KEY_NAME = 'local';

// A bound on the encrypted data keys a message may carry (the Encryption SDK's advice against a
// message that makes the keyring call KMS without end): Cognito's carry the pool key's, cognito-local's two.
const MAX_ENCRYPTED_DATA_KEYS = 4;
// A code or a temporary password is a few bytes; a larger body is not Cognito's.
const MAX_BODY_SIZE = 4096;

/**
 * The KMS keyring for the pool's key (`LambdaConfig.KMSKeyID`). The KMS client honours
 * `AWS_ENDPOINT_URL_KMS`; pass `kms` to use a client of your own.
 *
 * @example
 * ```ts
 * const keyring = createKmsKeyring('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...');
 * ```
 */
export function createKmsKeyring(keyArn: string, kms?: KMS): KeyringNode {
  const region = keyArn.split(':')[3];
  const client = kms ?? new KMS({ region, maxAttempts: 2 });
  return new KmsKeyringNode({ keyIds: [keyArn], clientProvider: () => client });
}

/** The raw AES-256 keyring for local use (namespace `cognito-trigger-kit`, key name `local`). */
export function createRawAesKeyring(key: Uint8Array): KeyringNode {
  return new RawAesKeyringNode({
    keyNamespace: RAW_AES_KEY_NAMESPACE,
    keyName: RAW_AES_KEY_NAME,
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
}

/**
 * A {@link CodeDecrypter} on the AWS Encryption SDK for JavaScript with `keyring`, built once per
 * container. A failure says only which step failed: never the ciphertext, never the SDK's message.
 */
export function createEncryptionSdkDecrypter(keyring: KeyringNode): CodeDecrypter {
  const { decrypt } = buildClient({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    maxEncryptedDataKeys: MAX_ENCRYPTED_DATA_KEYS,
  });
  return {
    async decrypt(ciphertextBase64, signal) {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(ciphertextBase64) || ciphertextBase64.length > 8192) {
        throw new CodeDecryptionError('The code is not a base64 Encryption SDK message');
      }
      try {
        const { plaintext } = await raceDeadline(
          decrypt(keyring, Buffer.from(ciphertextBase64, 'base64'), { maxBodySize: MAX_BODY_SIZE }),
          signal,
        );
        return plaintext;
      } catch (error) {
        if (signal.aborted) throw error;
        throw new CodeDecryptionError(
          `The code could not be decrypted (${error instanceof Error ? error.name : 'unknown error'})`,
        );
      }
    },
  };
}
