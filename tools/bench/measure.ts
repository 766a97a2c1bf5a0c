import { spawn } from 'node:child_process';
import type { Context } from 'aws-lambda';

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs each variant `opsPerRound` times per round, variants interleaved round by round (so drift
 * and noise hit all alike), and returns each variant's median milliseconds per operation.
 */
export async function measureInterleaved(
  variants: Record<string, () => unknown>,
  options: { rounds: number; opsPerRound: number; warmupRounds?: number },
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(variants).map((name) => [name, []]),
  );
  const warmup = options.warmupRounds ?? 2;
  for (let round = 0; round < warmup + options.rounds; round += 1) {
    const order = Object.entries(variants);
    if (round % 2 === 1) order.reverse();
    for (const [name, run] of order) {
      const started = process.hrtime.bigint();
      for (let op = 0; op < options.opsPerRound; op += 1) await run();
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (round >= warmup) samples[name]!.push(elapsedMs / options.opsPerRound);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/** A Lambda context for benchmarks (plenty of remaining time). */
export function benchContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '512',
    awsRequestId: 'bench-request',
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 5_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Discards what is written to stdout (log lines) until the returned function is called. */
export function silenceStdout(): () => void {
  const original = process.stdout.write;
  process.stdout.write = ((_chunk: unknown, ...rest: unknown[]) => {
    const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}

/** What a child started by {@link runChild} sends back over IPC, plus what the parent saw. */
export interface ChildResult<M> {
  /** The child's one IPC message; undefined when it died, or timed out, before sending it. */
  readonly message: M | undefined;
  /** Parent-side milliseconds from spawn to the message (or to exit). */
  readonly parentMs: number;
  /** The tail of the child's stderr, for a report when something went wrong. */
  readonly stderrTail: string;
}

/**
 * Runs `script` (ESM source, passed with `--eval`) in a fresh Node process of the same binary, with
 * exactly `env` (nothing inherited) and `args` as `process.argv.slice(1)`. The child answers with one
 * `process.send(...)`; its stdout (the function's log lines) is discarded, as a Lambda's would go to
 * the runtime and not to the caller. The child is killed after `timeoutMs`.
 */
export async function runChild<M>(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ChildResult<M>> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script, '--', ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
  });
  return new Promise((resolve) => {
    let message: M | undefined;
    let parentMs: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('message', (received) => {
      parentMs = Number(process.hrtime.bigint() - started) / 1e6;
      message = received as M;
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve({
        message,
        parentMs: parentMs ?? Number(process.hrtime.bigint() - started) / 1e6,
        stderrTail: stderr.trim(),
      });
    });
  });
}
