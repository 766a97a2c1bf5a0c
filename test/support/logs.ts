/** Everything written to stdout and stderr while capturing (Powertools writes JSON lines there). */
export interface CapturedLogs {
  /** Every JSON line, parsed. */
  lines(): Record<string, unknown>[];
  /** Everything written, as one string (to search for sentinels). */
  text(): string;
  restore(): void;
}

/** Captures process.stdout and process.stderr (and so Powertools' console) until `restore()`. */
export function captureLogs(): CapturedLogs {
  const chunks: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  return {
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      process.stdout.write = originalOut;
      process.stderr.write = originalErr;
    },
  };
}
