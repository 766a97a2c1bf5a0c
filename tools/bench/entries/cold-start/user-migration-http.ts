// Hand-written UserMigration over a legacy HTTP endpoint: Node's fetch only, no SDK client.
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { answerForgotPassword, handWritten } from './hand-written.js';

export const handler = handWritten(async (event: UserMigrationTriggerEvent) => {
  const response = await fetch(process.env.LEGACY_HTTP_URL ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username: event.userName }),
    signal: AbortSignal.timeout(Number(process.env.LEGACY_HTTP_TIMEOUT_MS ?? 2_000)),
  });
  if (response.status !== 200 && response.status !== 404) throw new Error(`legacy HTTP ${response.status}`);
  const body = (response.status === 200 ? await response.json() : { user: null }) as {
    user: Record<string, unknown> | null;
  };
  return answerForgotPassword(event, body.user ?? undefined);
});
