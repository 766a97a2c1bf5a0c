import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** What one invocation produced: the handler's JSON answer, or the error Lambda would report. */
export type InvocationResult =
  | { readonly ok: true; readonly payload: string }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string };

/** A warm Lambda container: one child process that keeps the imported bundle between invocations. */
export interface LambdaContainer {
  readonly functionName: string;
  /** Runs one invocation after any in flight (one at a time, like a Lambda container). */
  invoke(payload: string): Promise<InvocationResult>;
  stop(): Promise<void>;
}

export interface LambdaContainerOptions {
  readonly functionName: string;
  /** Path of the built bundle (`dist/<trigger>/index.mjs`). */
  readonly bundlePath: string;
  /** e.g. `index.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  /** The complete environment of the function (nothing else leaks in from the sandbox's own). */
  readonly env: NodeJS.ProcessEnv;
  /** Receives the function's log output, line by line. */
  readonly onLog?: (line: string) => void;
}

const WORKER = resolve(import.meta.dirname, '..', 'lib', 'lambda-worker.mjs');

type WorkerReply = {
  type: 'result';
  id: number;
  ok: boolean;
  payload?: string;
  errorType?: string;
  errorMessage?: string;
  /** The bundle failed to import: the worker exits, the next invocation gets a fresh one. */
  initFailed?: boolean;
};

/**
 * Creates a container that starts its child process on the first invocation and replaces it after a
 * failed init, a crash or a timeout, as Lambda replaces a broken execution environment.
 */
export function createLambdaContainer(options: LambdaContainerOptions): LambdaContainer {
  let child: ChildProcess | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  let stopped = false;

  const spawnChild = (): ChildProcess => {
    const started = fork(WORKER, [resolve(options.bundlePath), options.handler], {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    for (const stream of [started.stdout, started.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') options.onLog?.(line);
      });
    }
    started.once('exit', () => {
      if (child === started) child = undefined;
    });
    return started;
  };

  const runOne = (payload: string): Promise<InvocationResult> => {
    if (stopped) return Promise.resolve(failure('Sandbox.Stopped', 'The sandbox is shutting down'));
    if (child !== undefined && !child.connected) child = undefined;
    const worker = (child ??= spawnChild());
    const id = nextId++;
    const timeoutMs = options.timeoutSeconds * 1000;
    return new Promise<InvocationResult>((settle) => {
      const finish = (result: InvocationResult): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        settle(result);
      };
      const onMessage = (message: WorkerReply): void => {
        if (message.type !== 'result' || message.id !== id) return;
        if (message.initFailed && child === worker) child = undefined;
        finish(
          message.ok
            ? { ok: true, payload: message.payload ?? 'null' }
            : failure(message.errorType ?? 'Error', message.errorMessage ?? ''),
        );
      };
      const onExit = (code: number | null, signal: string | null): void =>
        finish(
          failure(
            'Runtime.ExitError',
            `RequestId: ${id} Error: Runtime exited with error: ${signal ?? `exit status ${code}`}`,
          ),
        );
      const timer = setTimeout(() => {
        // Lambda freezes and discards a container that overran its timeout; so does the sandbox.
        worker.kill('SIGKILL');
        finish(
          failure('Sandbox.Timedout', `Task timed out after ${options.timeoutSeconds.toFixed(2)} seconds`),
        );
      }, timeoutMs + 250);
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.send({ type: 'invoke', id, payload, deadlineAt: Date.now() + timeoutMs }, (error) => {
        if (error)
          finish(
            failure('Runtime.ExitError', `RequestId: ${id} Error: the container is gone (${error.message})`),
          );
      });
    });
  };

  return {
    functionName: options.functionName,
    invoke(payload) {
      const result = queue.then(() => runOne(payload));
      queue = result.catch(() => undefined);
      return result;
    },
    async stop() {
      stopped = true;
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      await new Promise<void>((done) => {
        const killer = setTimeout(() => running.kill('SIGKILL'), 2_000);
        running.once('exit', () => {
          clearTimeout(killer);
          done();
        });
        running.kill('SIGTERM');
      });
    },
  };
}

function failure(errorType: string, errorMessage: string): InvocationResult {
  return { ok: false, errorType, errorMessage };
}
