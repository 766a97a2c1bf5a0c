import type * as NodeHttp from 'node:http';
import { requireBuiltin } from '../../../shared/builtins.js';

/** The answer to {@link postJson}: the status, then the body read (bounded) or dropped. */
export interface JsonPostAnswer {
  readonly status: number;
  /** `content-length` as the server declared it (NaN when it did not). */
  readonly declaredLength: number;
  /** The body, whole; undefined as soon as it grows past `limit` bytes (the connection is then closed). */
  readBody(limit: number): Promise<Buffer | undefined>;
  /**
   * Drops the body: a short one (at most 64 KiB) is read and thrown away, so that the kept-alive connection
   * can serve the next request; a longer one closes the connection.
   */
  discard(): void;
}

/**
 * `POST`s `body` (JSON) to `url` with Node's own HTTP client (`node:http` or `node:https`, through their
 * default agents, which keep connections alive between warm invocations and let an idle one close), not
 * with `fetch`: Node builds `fetch` from undici, whose first request in a process loads its code and
 * compiles its WebAssembly HTTP parser (~85–100 ms and ~2,400 page faults measured in a fresh process here, against
 * ~10–15 ms and ~75 for `node:http`). No redirect is followed and no compression is asked for; `signal`
 * aborts the request and the reading of its body (the error's message says "aborted").
 *
 * @example
 * ```ts
 * const answer = await postJson(new URL('https://legacy.internal/auth/user'), '{"username":"alice"}', {}, signal);
 * if (answer.status === 200) JSON.parse(String(await answer.readBody(65536)));
 * ```
 */
export function postJson(
  url: URL,
  body: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<JsonPostAnswer> {
  const client = requireBuiltin<typeof NodeHttp>(url.protocol === 'https:' ? 'node:https' : 'node:http');
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
        signal,
      },
      (response) => {
        // An error after the answer (a reset, the signal) reaches a reader through its iterator; without one,
        // this listener keeps it from crashing the process.
        response.on('error', ignore);
        const declaredLength = Number(response.headers['content-length'] ?? Number.NaN);
        resolve({
          status: response.statusCode ?? 0,
          declaredLength,
          readBody: (limit) => readBounded(response, limit),
          discard: () => drain(response, declaredLength),
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function drain(response: NodeHttp.IncomingMessage, declaredLength: number): void {
  if (declaredLength > DRAINED_BYTES) {
    response.destroy();
    return;
  }
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > DRAINED_BYTES) response.destroy();
  });
  response.resume();
}

async function readBounded(response: NodeHttp.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const ignore = (): void => undefined;
const DRAINED_BYTES = 64 * 1024;
