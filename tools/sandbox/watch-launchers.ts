import { readFileSync } from 'node:fs';

/** How often the launchers are checked; a stopped `npm start` frees its ports within about this. */
const POLL_MS = 250;
/** npm -> sh -> tsx -> this process: the launch chain is never deeper than this. */
const MAX_DEPTH = 5;

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** True when the process is npm or npx (by its title, its executable or the npm script it runs). */
function isNpm(pid: number): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const [program = '', script = ''] = args;
  // npm sets its title to "npm <command> ...", which Linux shows as one argument.
  return (
    /^np[mx](\s|$)/.test(program) || /(^|\/)np[mx]$/.test(program) || /(^|\/)np[mx]-cli\.js$/.test(script)
  );
}

/**
 * The processes that launched this one for `npm start`: the parent, and on Linux its ancestors up to
 * and including npm (npm -> sh -> tsx -> node). If any of them ends, whatever the way (SIGKILL
 * included, which no handler sees), the launch is over.
 */
export function findLaunchers(): number[] {
  const launchers = [process.ppid];
  let pid: number | undefined = process.ppid;
  for (let depth = 0; depth < MAX_DEPTH && pid !== undefined; depth += 1) {
    if (isNpm(pid)) return launchers;
    pid = parentOf(pid);
    if (pid !== undefined) launchers.push(pid);
  }
  // No npm above us (started by tsx or node directly): the parent alone decides.
  return [process.ppid];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `onGone` once when one of `launchers` has ended or this process was re-parented. The
 * timer does not keep the process alive.
 *
 * @example
 * ```ts
 * watchLaunchers(findLaunchers(), () => void sandbox.stop().finally(() => process.exit(0)));
 * ```
 */
export function watchLaunchers(launchers: readonly number[], onGone: () => void): () => void {
  const parentAtStart = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parentAtStart || !launchers.every(isAlive)) {
      clearInterval(timer);
      onGone();
    }
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
