// Hand-written UserMigration over a legacy HTTP endpoint with node:http (the client the toolkit's HTTP store
// uses), for the informational row: what the toolkit costs over the same client, written by hand.
import { createRequire } from 'node:module';
import type * as NodeHttp from 'node:http';
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { answerForgotPassword, handWritten } from './hand-written.js';

// Required, as the toolkit requires it, not imported: `import { request } from 'node:http'` makes Node build the
// module's ESM facade, which reads every export, and node:http's lazy `WebSocket` export loads undici and zlib
// (import 49.7 against 29.1 ms in the bench's child; see docs/performance.md).
const { request } = createRequire(import.meta.url)('node:http') as typeof NodeHttp;

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
        signal: AbortSignal.timeout(Number(process.env.LEGACY_HTTP_TIMEOUT_MS ?? 2_000)),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export const handler = handWritten(async (event: UserMigrationTriggerEvent) => {
  const response = await post(
    process.env.LEGACY_HTTP_URL ?? '',
    JSON.stringify({ username: event.userName }),
  );
  if (response.status !== 200 && response.status !== 404) throw new Error(`legacy HTTP ${response.status}`);
  const body = (response.status === 200 ? JSON.parse(response.text) : { user: null }) as {
    user: Record<string, unknown> | null;
  };
  return answerForgotPassword(event, body.user ?? undefined);
});
