import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';

/** The test raw AES key the fixtures are encrypted with (test/fixtures/custom-sender/). */
export const TEST_RAW_AES_KEY_BASE64 = readFileSync(
  new URL('../../fixtures/custom-sender/test-raw-aes-key.b64', import.meta.url),
  'utf8',
).trim();

/** The plaintext code of each fixture, as the generator wrote it. */
export const FIXTURE_CODES = JSON.parse(
  readFileSync(new URL('../../fixtures/custom-sender/codes.json', import.meta.url), 'utf8'),
) as Record<string, string | null>;

/** Encrypts `code` as Cognito does (AWS Encryption SDK), under the test raw key: for codes a test makes up. */
export async function encryptWithTestKey(code: string): Promise<string> {
  const keyring = new RawAesKeyringNode({
    keyNamespace: 'cognito-trigger-kit',
    keyName: 'local',
    unencryptedMasterKey: new Uint8Array(Buffer.from(TEST_RAW_AES_KEY_BASE64, 'base64')),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  return (await encrypt(keyring, code)).result.toString('base64');
}

export { createIdempotencyTable } from '../../../tools/lib/local-dynamodb.js';

/** A server that accepts requests and never answers: a hung SES or SNS. */
export async function startHungServer(): Promise<{
  endpoint: string;
  requests(): number;
  close(): Promise<void>;
}> {
  let count = 0;
  const server: Server = createServer(() => {
    count += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
