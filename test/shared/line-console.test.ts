// The toolkit's Logger prints with LINE_CONSOLE rather than the `new Console({ stdout, stderr })` Powertools
// builds (shared/observability.ts): the same bytes on the same streams, without making process.stderr or
// Console's methods when the Logger is created.
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createToolkitLogger, LINE_CONSOLE, writeConsoleLine } from '../../shared/observability.js';
import { redactLogValue } from '../../shared/redact.js';
import { fakeLambdaContext } from '../support/lambda.js';

/** Every write to process.stdout and process.stderr, in order, with the stream it went to. */
function captureWrites(streams: readonly ('stdout' | 'stderr')[] = ['stdout', 'stderr']): {
  writes: [string, string][];
  restore(): void;
} {
  const writes: [string, string][] = [];
  const spies = streams.map((name) =>
    vi.spyOn(process[name], 'write').mockImplementation((chunk: unknown) => {
      writes.push([name, String(chunk)]);
      return true;
    }),
  );
  return { writes, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** Counts the reads of process.stdout and process.stderr (Node makes each stream on its first read). */
function countStreamReads(): { reads: Record<'stdout' | 'stderr', number>; restore(): void } {
  const reads = { stdout: 0, stderr: 0 };
  const originals = (['stdout', 'stderr'] as const).map((name) => {
    const descriptor = Object.getOwnPropertyDescriptor(process, name)!;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: true,
      get() {
        reads[name] += 1;
        return descriptor.get ? descriptor.get.call(process) : descriptor.value;
      },
    });
    return [name, descriptor] as const;
  });
  return {
    reads,
    restore: () =>
      originals.forEach(([name, descriptor]) => Object.defineProperty(process, name, descriptor)),
  };
}

describe("the toolkit Logger's console", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('reads neither stdio stream when the Logger is made, and only stdout for an info line', () => {
    const counted = countStreamReads();
    try {
      const logger = createToolkitLogger({ serviceName: 'accounts' });
      expect(counted.reads).toEqual({ stdout: 0, stderr: 0 });
      const capture = captureWrites(['stdout']);
      logger.info('Sign-up allowed');
      capture.restore();
      expect(capture.writes.map(([stream]) => stream)).toEqual(['stdout']);
      expect(counted.reads.stderr).toBe(0);
    } finally {
      counted.restore();
    }
  });

  it("makes both streams the way Powertools' own console does (so the test above can fail)", () => {
    const counted = countStreamReads();
    try {
      new Logger({ serviceName: 'accounts' });
      expect(counted.reads.stdout).toBeGreaterThan(0);
      expect(counted.reads.stderr).toBeGreaterThan(0);
    } finally {
      counted.restore();
    }
  });

  it("writes the bytes Powertools' console writes, to the same stream, at every level", () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 6, 13, 0, 0, 123), toFake: ['Date'] });
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'TRACE');
    const context = fakeLambdaContext();
    const error = new Error('boom');
    const logWith = (logger: Logger): [string, string][] => {
      const capture = captureWrites();
      logger.addContext(context);
      logger.appendKeys({ trigger: 'CustomMessage_SignUp' });
      logger.trace('trace line');
      logger.debug('debug line', { detail: 'x' });
      logger.info('info line', { nested: { a: 1 } });
      logger.warn('warn line');
      logger.error('error line', error);
      logger.critical('critical line');
      capture.restore();
      return capture.writes;
    };
    const toolkit = logWith(createToolkitLogger({ serviceName: 'accounts' }));
    // The same Logger on Powertools' own Console: same formatter (the toolkit's), same replacer.
    const powertools = logWith(
      new Logger({
        serviceName: 'accounts',
        jsonReplacerFn: redactLogValue,
        logFormatter: (createToolkitLogger() as unknown as { logFormatter: never }).logFormatter,
      }),
    );
    expect(toolkit.map(([stream]) => stream)).toEqual([
      'stdout',
      'stdout',
      'stdout',
      'stderr',
      'stderr',
      'stderr',
    ]);
    expect(toolkit).toEqual(powertools);
    for (const [, chunk] of toolkit) expect(chunk).toMatch(/^\{.*\}\n$/);
  });

  it('gives a child Logger the same console', () => {
    const child = createToolkitLogger().createChild({ serviceName: 'child' });
    expect(child).toBeInstanceOf(Logger);
    expect((child as unknown as { console: unknown }).console).toBe(LINE_CONSOLE);
  });

  it("prints with the global console under POWERTOOLS_DEV, trace as log (Powertools' dev mode)", () => {
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    const originalTrace = console.trace;
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const logger = createToolkitLogger({ serviceName: 'accounts', logLevel: 'TRACE' } as never);
      logger.info('dev line');
      logger.trace('trace line');
      expect(info).toHaveBeenCalledOnce();
      expect(String(info.mock.calls[0]![0])).toMatch(/"message": "dev line"/);
      expect(log).toHaveBeenCalledOnce();
      expect(String(log.mock.calls[0]![0])).toMatch(/"message": "trace line"/);
    } finally {
      console.trace = originalTrace;
    }
  });
});

describe('writeConsoleLine', () => {
  it('adds the line break and never throws when the stream throws', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    writeConsoleLine(stream, '{"a":1}');
    expect(chunks).toEqual(['{"a":1}\n']);

    const throwing = new Writable();
    throwing.write = () => {
      throw new Error('EBADF');
    };
    expect(() => writeConsoleLine(throwing, 'lost')).not.toThrow();
    expect(throwing.listenerCount('error')).toBe(0);
  });

  it('leaves no error a stream reports later to crash the process (a closed pipe)', async () => {
    const uncaught = vi.fn();
    process.on('uncaughtException', uncaught);
    try {
      const stream = new Writable({
        write(_chunk, _encoding, callback) {
          setImmediate(() => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
        },
      });
      writeConsoleLine(stream, 'first');
      writeConsoleLine(stream, 'second');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(uncaught).not.toHaveBeenCalled();
      expect(stream.destroyed).toBe(true);
    } finally {
      process.off('uncaughtException', uncaught);
    }
  });

  it('leaves the error listeners of a stream as they were', () => {
    const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const mine = (): void => undefined;
    stream.on('error', mine);
    writeConsoleLine(stream, 'line');
    expect(stream.listeners('error')).toEqual([mine]);
  });
});
