import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';

/** How the fake answers one GetParameter: a value, an SSM error, or never (a hung server). */
export type FakeSsmAnswer = { value: string } | { error: string; status?: number } | 'hang';

/**
 * A local SSM and Secrets Manager endpoint (tests and `npm run bench`) speaking the JSON 1.1 protocol
 * (`X-Amz-Target: AmazonSSM.GetParameter` and `secretsmanager.GetSecretValue`), so the real
 * `@aws-sdk/client-ssm` and `@aws-sdk/client-secrets-manager` clients run unchanged against it.
 */
export interface FakeSsmServer {
  readonly endpoint: string;
  /** Parameter name -> answer; change it between calls to simulate updates and outages. */
  readonly answers: Map<string, FakeSsmAnswer>;
  /** Secret id -> answer for GetSecretValue (`value` is the SecretString). */
  readonly secrets: Map<string, FakeSsmAnswer>;
  /** Every request received: target header and the parameter name (or secret id) asked for. */
  readonly requests: { target: string; name: string; withDecryption: unknown }[];
  /** A client pointed at the server, with dummy credentials and no retries. */
  client(): SSMClient;
  /** A Secrets Manager client pointed at the server, likewise. */
  secretsClient(): SecretsManagerClient;
  close(): Promise<void>;
}

export async function startFakeSsmServer(): Promise<FakeSsmServer> {
  const answers = new Map<string, FakeSsmAnswer>();
  const secrets = new Map<string, FakeSsmAnswer>();
  const requests: FakeSsmServer['requests'] = [];
  const hung = new Set<ServerResponse>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        Name?: string;
        SecretId?: string;
        WithDecryption?: unknown;
      };
      const name = body.Name ?? body.SecretId ?? '';
      requests.push({ target, name, withDecryption: body.WithDecryption });
      const answer: FakeSsmAnswer =
        target === 'AmazonSSM.GetParameter'
          ? (answers.get(name) ?? { error: 'ParameterNotFound' })
          : target === 'secretsmanager.GetSecretValue'
            ? (secrets.get(name) ?? { error: 'ResourceNotFoundException' })
            : { error: 'UnknownOperationException' };
      if (answer === 'hang') {
        hung.add(response);
        return;
      }
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if ('error' in answer) {
        response.statusCode = answer.status ?? 400;
        response.end(JSON.stringify({ __type: answer.error, message: `fake ${answer.error}` }));
        return;
      }
      if (target === 'secretsmanager.GetSecretValue') {
        response.end(
          JSON.stringify({ ARN: name, Name: 'secret', SecretString: answer.value, VersionId: 'v1' }),
        );
        return;
      }
      response.end(
        JSON.stringify({
          Parameter: {
            Name: name,
            Type: 'StringList',
            Value: answer.value,
            Version: 1,
            DataType: 'text',
            ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    answers,
    secrets,
    requests,
    client: () =>
      new SSMClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' },
        maxAttempts: 1,
      }),
    secretsClient: () =>
      new SecretsManagerClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' },
        maxAttempts: 1,
      }),
    close: async () => {
      for (const response of hung) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
