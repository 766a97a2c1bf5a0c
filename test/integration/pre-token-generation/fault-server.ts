import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the fault server answers DynamoDB calls:
 * - `proxy`: forwards to the real (dynalite) endpoint;
 * - `hang`: accepts the request and never answers;
 * - `throttle`: always answers ThrottlingException (HTTP 400, retryable);
 * - `error`: always answers HTTP 500 InternalServerError (retryable);
 * - `unprocessed-once`: proxies, but answers the first BatchGetItem with every key unprocessed;
 * - `lost-write-once`: proxies, but the first PutItem's answer is lost after the write happened (HTTP 500
 *   instead), as when a response times out on the way back: the SDK retries a write that was made.
 */
export type FaultMode = 'proxy' | 'hang' | 'throttle' | 'error' | 'unprocessed-once' | 'lost-write-once';

export interface FaultServer {
  readonly endpoint: string;
  mode: FaultMode;
  /** Calls received, by operation (`Query`, `BatchGetItem`, ...). */
  readonly calls: Record<string, number>;
  totalCalls(): number;
  resetCalls(): void;
  stop(): Promise<void>;
}

/** Starts a DynamoDB-speaking HTTP server on an ephemeral port that misbehaves on request. */
export async function startFaultServer(
  target: string | undefined,
  mode: FaultMode = 'proxy',
): Promise<FaultServer> {
  const calls: Record<string, number> = {};
  let unprocessedServed = false;
  let writeLost = false;
  const hanging = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    calls[operation] = (calls[operation] ?? 0) + 1;
    switch (server.mode) {
      case 'hang':
        hanging.add(res);
        return;
      case 'throttle':
        return answerError(
          res,
          400,
          'ThrottlingException',
          'Rate of requests exceeds the allowed throughput.',
        );
      case 'error':
        return answerError(res, 500, 'InternalServerError', 'Internal server error');
      case 'unprocessed-once':
        if (operation === 'BatchGetItem' && !unprocessedServed) {
          unprocessedServed = true;
          const { RequestItems } = JSON.parse(body.toString('utf8')) as {
            RequestItems: Record<string, unknown>;
          };
          const tableName = Object.keys(RequestItems)[0] ?? '';
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ Responses: { [tableName]: [] }, UnprocessedKeys: RequestItems }));
          return;
        }
        return proxy(req, res, body);
      case 'lost-write-once':
        if (operation === 'PutItem' && !writeLost) {
          writeLost = true;
          return proxy(req, res, body, () => answerError(res, 500, 'InternalServerError', 'response lost'));
        }
        return proxy(req, res, body);
      case 'proxy':
        return proxy(req, res, body);
    }
  };

  const proxy = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    replaceAnswer?: () => void,
  ): void => {
    if (target === undefined) return answerError(res, 500, 'InternalServerError', 'no target');
    const url = new URL(target);
    const forward = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: url.host },
      },
      (upstream) => {
        if (replaceAnswer !== undefined) {
          upstream.resume();
          upstream.on('end', replaceAnswer);
          return;
        }
        res.writeHead(upstream.statusCode ?? 500, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => answerError(res, 500, 'InternalServerError', 'proxy failed'));
    forward.end(body);
  };

  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const { port } = http.address() as AddressInfo;

  const server: FaultServer = {
    endpoint: `http://127.0.0.1:${port}`,
    mode,
    calls,
    totalCalls: () => Object.values(calls).reduce((sum, count) => sum + count, 0),
    resetCalls: () => {
      for (const key of Object.keys(calls)) delete calls[key];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}

function answerError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
