import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An SMS the local SNS accepted. */
export interface PublishedSms {
  readonly messageId: string;
  readonly phoneNumber: string;
  readonly message: string;
  readonly smsType: string | undefined;
}

export interface LocalSnsServer {
  readonly endpoint: string;
  /** Every SMS published, oldest first. */
  readonly published: PublishedSms[];
  /** `'ok'` answers; `'fail'` answers a Throttled error; `'hang'` never answers. */
  mode: 'ok' | 'fail' | 'hang';
  close(): Promise<void>;
}

/**
 * A local server for SNS `Publish` to a phone number, speaking SNS's query protocol (form-encoded
 * `Action=Publish`, XML answer), so the real `@aws-sdk/client-sns` runs unchanged against it
 * (`AWS_ENDPOINT_URL_SNS`). Used by the tests and the sandbox.
 */
export async function startLocalSnsServer(
  options: { host?: string; port?: number } = {},
): Promise<LocalSnsServer> {
  const published: PublishedSms[] = [];
  const hung = new Set<ServerResponse>();
  const state: { mode: LocalSnsServer['mode'] } = { mode: 'ok' };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (state.mode === 'hang') {
        hung.add(response);
        return;
      }
      response.setHeader('content-type', 'text/xml');
      const phoneNumber = form.get('PhoneNumber') ?? '';
      if (
        state.mode === 'fail' ||
        form.get('Action') !== 'Publish' ||
        !/^\+[1-9]\d{7,14}$/.test(phoneNumber)
      ) {
        const code = state.mode === 'fail' ? 'Throttled' : 'InvalidParameter';
        response.statusCode = 400;
        response.end(
          `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${code}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
        return;
      }
      const attributes = new Map<string, string>();
      for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
        attributes.set(
          form.get(`MessageAttributes.entry.${index}.Name`) ?? '',
          form.get(`MessageAttributes.entry.${index}.Value.StringValue`) ?? '',
        );
      }
      const messageId = randomUUID();
      published.push({
        messageId,
        phoneNumber,
        message: form.get('Message') ?? '',
        smsType: attributes.get('AWS.SNS.SMS.SMSType'),
      });
      response.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    published,
    get mode() {
      return state.mode;
    },
    set mode(value) {
      state.mode = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const response of hung) response.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
