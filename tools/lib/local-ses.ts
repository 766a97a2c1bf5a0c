import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

// A CommonJS module compiled from ESM: under NodeNext its default export sits on `.default`.
type StartSesServer = (config?: { host?: string; port?: number }) => Promise<Server>;
const startSesServer: StartSesServer =
  (sesLocal as unknown as { default?: StartSesServer }).default ?? (sesLocal as unknown as StartSesServer);

/** An email the local SES accepted (aws-ses-v2-local's store). */
export interface CapturedEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
}

/**
 * Starts aws-ses-v2-local (an npm package implementing the SES v2 API) on `port` (default: ephemeral)
 * of 127.0.0.1; point `AWS_ENDPOINT_URL_SESV2` at `endpoint`. `emails()` reads its store.
 */
export async function startLocalSes(
  options: { port?: number } = {},
): Promise<{ endpoint: string; emails(): Promise<CapturedEmail[]>; stop(): Promise<void> }> {
  const server: Server = await startSesServer({ host: '127.0.0.1', port: options.port ?? 0 });
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    emails: async () => {
      const response = await fetch(`${endpoint}/store`);
      return ((await response.json()) as { emails: CapturedEmail[] }).emails;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
