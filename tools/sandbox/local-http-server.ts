import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A sandbox HTTP server that listens: its base URL, and a stop that drops open connections. */
export interface ListeningServer {
  /** e.g. `http://127.0.0.1:3001`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts `server` on `host:port` (0 for an ephemeral port) and resolves once it listens. */
export async function listenLocally(
  server: Server,
  port: number,
  host = '127.0.0.1',
): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${bound}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with `body` as JSON, unless an answer has already started. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
