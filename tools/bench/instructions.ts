/**
 * Cold starts counted in instructions: a fresh Node process importing a bundle and answering its first
 * fixture under valgrind's callgrind, which counts every instruction the process executes (all threads,
 * serialised). Unlike wall or CPU time, the count does not move with the machine's load: the same bundle,
 * fixture and environment give the same count to within ~0.1% run after run (with address-space
 * randomisation off and V8's hash and random seeds fixed, as here). It is not time (cache misses, system
 * calls and page faults are not in it), so the claim stays wall time; this is the steadier cross-check.
 * Opt-in (`BENCH_COLD_START_INSTRUCTIONS=1`): each run takes 5-40 s under valgrind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether valgrind (and setarch, to turn address-space randomisation off) can run here. */
export function canCountInstructions(): boolean {
  const ok = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  return ok('valgrind', ['--version']) && ok('setarch', ['--help']);
}

/** What one counted run gave: the instruction count, and whether the handler answered. */
export interface CountedRun {
  readonly instructions: number;
  readonly ok: boolean;
  readonly summary: string;
}

/**
 * Runs `script` (ESM source, `--eval`) under callgrind in a fresh process with exactly `env`, and returns
 * the instructions it executed. The script reports its answer on stderr as a line `ANSWERED <json>` or
 * `FAILED <message>`.
 */
export async function countInstructions(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CountedRun> {
  const out = join(tmpdir(), `ctk-callgrind-${process.pid}-${Math.random().toString(36).slice(2)}.out`);
  const child = spawn(
    'setarch',
    [
      process.arch === 'arm64' ? 'aarch64' : 'x86_64',
      '-R',
      'valgrind',
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      // V8 writes and runs code it generates: valgrind must see the writes to its own code pages.
      '--smc-check=all-non-file',
      process.execPath,
      // One thread (no concurrent compiler or GC helpers) and fixed seeds: the same run every time.
      '--single-threaded',
      '--hash-seed=7',
      '--random-seed=7',
      '--input-type=module',
      '--eval',
      script,
      '--',
      ...args,
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await new Promise<void>((done) => child.once('close', () => done()));
  clearTimeout(timer);
  rmSync(out, { force: true });
  const collected = /Collected : (\d+)/.exec(stderr);
  const answer = /^(ANSWERED|FAILED) (.*)$/m.exec(stderr);
  return {
    instructions: collected ? Number(collected[1]) : Number.NaN,
    ok: answer?.[1] === 'ANSWERED',
    summary: answer?.[2] ?? stderr.slice(-500),
  };
}
