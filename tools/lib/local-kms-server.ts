import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMS } from '@aws-sdk/client-kms';

/**
 * A local server for the KMS operations the AWS Encryption SDK's KMS keyring calls (`GenerateDataKey`,
 * `Encrypt`, `Decrypt`), speaking KMS's JSON 1.1 protocol (`X-Amz-Target: TrentService.<Operation>`),
 * so the real `@aws-sdk/client-kms` runs unchanged against it. Each key has its own AES-256 key; a
 * ciphertext blob is `keyArn length | keyArn | iv | tag | data`, sealed with AES-GCM over the
 * encryption context, like KMS binds it. Used by the tests and by the sandbox (cognito-local encrypts
 * the custom sender's codes with a KMS keyring, and the function decrypts them, both against it).
 */
export interface LocalKmsServer {
  readonly endpoint: string;
  /** Every operation called, in order (`Decrypt`, ...), with the key asked for. */
  readonly calls: { operation: string; keyId: string | undefined }[];
  /** Adds a key and returns its ARN. */
  createKey(): string;
  client(): KMS;
  close(): Promise<void>;
}

interface KmsRequest {
  KeyId?: string;
  Plaintext?: string;
  CiphertextBlob?: string;
  NumberOfBytes?: number;
  KeySpec?: string;
  EncryptionContext?: Record<string, string>;
}

export async function startLocalKmsServer(
  region = 'us-east-1',
  options: { host?: string; port?: number } = {},
): Promise<LocalKmsServer> {
  const keys = new Map<string, Buffer>();
  const calls: LocalKmsServer['calls'] = [];
  const aadOf = (context: Record<string, string> | undefined): Buffer =>
    Buffer.from(JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))));
  const seal = (keyArn: string, plaintext: Buffer, context?: Record<string, string>): Buffer => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.get(keyArn) as Buffer, iv).setAAD(aadOf(context));
    const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const arn = Buffer.from(keyArn);
    return Buffer.concat([Buffer.from([arn.length]), arn, iv, cipher.getAuthTag(), data]);
  };
  const open = (blob: Buffer, context?: Record<string, string>): { keyArn: string; plaintext: Buffer } => {
    const arnLength = blob[0] ?? 0;
    const keyArn = blob.subarray(1, 1 + arnLength).toString();
    const key = keys.get(keyArn);
    if (key === undefined)
      throw Object.assign(new Error('Invalid ciphertext'), { type: 'InvalidCiphertextException' });
    const iv = blob.subarray(1 + arnLength, 13 + arnLength);
    const tag = blob.subarray(13 + arnLength, 29 + arnLength);
    const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(aadOf(context)).setAuthTag(tag);
    try {
      return {
        keyArn,
        plaintext: Buffer.concat([decipher.update(blob.subarray(29 + arnLength)), decipher.final()]),
      };
    } catch {
      throw Object.assign(new Error('Invalid ciphertext'), { type: 'InvalidCiphertextException' });
    }
  };
  const known = (keyId: string | undefined): string => {
    if (keyId === undefined || !keys.has(keyId))
      throw Object.assign(new Error('Key not found'), { type: 'NotFoundException' });
    return keyId;
  };
  const answer = (operation: string, body: KmsRequest): Record<string, unknown> => {
    switch (operation) {
      case 'GenerateDataKey': {
        const keyArn = known(body.KeyId);
        const plaintext = randomBytes(body.NumberOfBytes ?? (body.KeySpec === 'AES_128' ? 16 : 32));
        const blob = seal(keyArn, plaintext, body.EncryptionContext);
        return {
          KeyId: keyArn,
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: blob.toString('base64'),
        };
      }
      case 'Encrypt': {
        const keyArn = known(body.KeyId);
        const blob = seal(keyArn, Buffer.from(body.Plaintext ?? '', 'base64'), body.EncryptionContext);
        return { KeyId: keyArn, CiphertextBlob: blob.toString('base64') };
      }
      case 'Decrypt': {
        const { keyArn, plaintext } = open(
          Buffer.from(body.CiphertextBlob ?? '', 'base64'),
          body.EncryptionContext,
        );
        if (body.KeyId !== undefined && body.KeyId !== keyArn) {
          throw Object.assign(new Error('The key is not the one the ciphertext names'), {
            type: 'IncorrectKeyException',
          });
        }
        return {
          KeyId: keyArn,
          Plaintext: plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      default:
        throw Object.assign(new Error(`${operation} is not implemented`), {
          type: 'UnsupportedOperationException',
        });
    }
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^TrentService\./, '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as KmsRequest;
      calls.push({ operation, keyId: body.KeyId });
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      try {
        response.end(JSON.stringify(answer(operation, body)));
      } catch (error) {
        response.statusCode = 400;
        const type = (error as { type?: string }).type ?? 'KMSInternalException';
        response.end(JSON.stringify({ __type: type, message: (error as Error).message }));
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  return {
    endpoint,
    calls,
    createKey() {
      const arn = `arn:aws:kms:${region}:111122223333:key/${randomBytes(16)
        .toString('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`;
      keys.set(arn, randomBytes(32));
      return arn;
    },
    client: () =>
      new KMS({
        endpoint,
        region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
