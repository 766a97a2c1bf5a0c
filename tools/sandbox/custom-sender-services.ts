import { readFileSync } from 'node:fs';
import {
  createEncryptionSdkDecrypter,
  createKmsKeyring,
} from '../../triggers/custom-sender/decrypt/encryption-sdk-decrypter.js';
import { createIdempotencyTable, createLocalDynamoDbClient } from '../lib/local-dynamodb.js';
import { startLocalKmsServer } from '../lib/local-kms-server.js';
import { startLocalSes } from '../lib/local-ses.js';
import { SANDBOX_FUNCTION_REGION } from './pool-triggers.js';

/** The test raw AES key the fixtures are encrypted with: it protects nothing, for local use only. */
export const TEST_RAW_AES_KEY_BASE64 = readFileSync(
  new URL('../../test/fixtures/custom-sender/test-raw-aes-key.b64', import.meta.url),
  'utf8',
).trim();

/** The sandbox's idempotency table for the sender (in the same dynalite as the tenant table). */
export const SANDBOX_IDEMPOTENCY_TABLE = 'CustomSenderIdempotencyTable';

export interface CustomSenderServices {
  readonly sesEndpoint: string;
  readonly kmsEndpoint: string;
  /** The key cognito-local encrypts codes with: the `KMSKeyID` of a pool that attaches the sender. */
  readonly kmsKeyArn: string;
  /** cognito-local's `KMSConfig`: its KMS keyring encrypts each code under the local key. */
  readonly cognitoLocalKmsConfig: Readonly<Record<string, unknown>>;
  /** CustomSenderFunction's variables: the same key, the local KMS and SES, the idempotency table. */
  readonly functionEnv: Readonly<Record<string, string>>;
  /**
   * The code in a sender event (`request.code`), decrypted with the same key: what the sandbox puts in the
   * message Cognito itself delivers for a pool without a sender.
   */
  decryptCode(ciphertextBase64: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * What the sandbox needs to route cognito-local's CustomEmailSender calls through our sender:
 * a local KMS (cognito-local's only way to encrypt a code is a KMS keyring), aws-ses-v2-local as the
 * SES v2 API the function sends to, and the Powertools Idempotency table in the sandbox's dynalite.
 */
export async function startCustomSenderServices(options: {
  readonly region: string;
  readonly dynamoDbEndpoint: string;
  readonly sesPort?: number;
  readonly kmsPort?: number;
}): Promise<CustomSenderServices> {
  // Keys in the pools' own region (cognito-local's `local`): attach refuses a KMSKeyID from another region.
  const kms = await startLocalKmsServer(SANDBOX_FUNCTION_REGION, { port: options.kmsPort ?? 0 });
  let ses: Awaited<ReturnType<typeof startLocalSes>> | undefined;
  try {
    ses = await startLocalSes({ port: options.sesPort ?? 0 });
    const client = createLocalDynamoDbClient(options.dynamoDbEndpoint);
    try {
      await createIdempotencyTable(client, SANDBOX_IDEMPOTENCY_TABLE);
    } finally {
      client.destroy();
    }
  } catch (error) {
    await Promise.all([kms.close(), ses?.stop()]);
    throw error;
  }
  const keyArn = kms.createKey();
  const sesServer = ses;
  const kmsClient = kms.client();
  const decrypter = createEncryptionSdkDecrypter(createKmsKeyring(keyArn, kmsClient));
  return {
    sesEndpoint: sesServer.endpoint,
    kmsEndpoint: kms.endpoint,
    kmsKeyArn: keyArn,
    cognitoLocalKmsConfig: Object.freeze({
      KMSKeyId: keyArn,
      KMSKeyAlias: keyArn,
      endpoint: kms.endpoint,
      region: options.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    functionEnv: Object.freeze({
      KEY_PROVIDER: 'kms',
      KMS_KEY_ARN: keyArn,
      RAW_AES_KEY_BASE64: '',
      IDEMPOTENCY_TABLE_NAME: SANDBOX_IDEMPOTENCY_TABLE,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_ENDPOINT_URL_SESV2: sesServer.endpoint,
    }),
    async decryptCode(ciphertextBase64) {
      const plaintext = await decrypter.decrypt(ciphertextBase64, AbortSignal.timeout(5_000));
      return Buffer.from(plaintext).toString('utf8');
    },
    stop: async () => {
      kmsClient.destroy();
      await Promise.all([kms.close(), sesServer.stop()]);
    },
  };
}
