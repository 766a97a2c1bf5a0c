/** A fallback the function logged: the fault behind a generic answer. */
export interface LoggedFallback {
  readonly errorName: string;
  readonly errorMessage: string;
  readonly failMode: string | undefined;
}

/**
 * The fault behind a fallback answer, read from the function's JSON log lines (the middleware logs
 * `outcome: "fallback"` with the error). Undefined when no such line was logged.
 */
export function findLoggedFallback(logLines: readonly string[]): LoggedFallback | undefined {
  for (const line of logLines) {
    if (!line.startsWith('{')) continue;
    let entry: { outcome?: unknown; failMode?: unknown; error?: { name?: unknown; message?: unknown } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.outcome !== 'fallback') continue;
    return {
      errorName: typeof entry.error?.name === 'string' ? entry.error.name : 'Error',
      errorMessage: typeof entry.error?.message === 'string' ? entry.error.message : '',
      failMode: typeof entry.failMode === 'string' ? entry.failMode : undefined,
    };
  }
  return undefined;
}

/**
 * The line `npm run invoke` adds on stderr when the answer hides a fault: a malformed event (named
 * as such, so it is not taken for a handler error) or any fault behind `[TEMPORARY_FAILURE]` or a
 * fail-open answer.
 */
export function describeFallback(functionName: string, fallback: LoggedFallback): string {
  const fault = `${fallback.errorName}: ${fallback.errorMessage}`;
  const answer =
    fallback.failMode === 'open'
      ? 'returned the event unchanged (fail-open)'
      : 'answered [TEMPORARY_FAILURE] (fail-closed)';
  if (fallback.errorName === 'MalformedEventError')
    return `invoke: ${functionName} refused the event as malformed (${fault}) and ${answer}`;
  return `invoke: ${functionName} ${answer} because of a fault: ${fault}`;
}
