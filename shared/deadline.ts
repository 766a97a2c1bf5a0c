import { DeadlineExceededError } from './errors.js';

/**
 * The time an invocation may still spend. Every I/O takes `signal`; a port that cannot take a
 * signal is raced with {@link raceDeadline}.
 */
export interface Deadline {
  /** Aborts (with a {@link DeadlineExceededError} as reason) when the budget runs out. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the budget runs out (0 when it has). */
  remainingMs(): number;
}

/**
 * A deadline that runs out `budgetMs` from now. The caller must `dispose()` it when done so the
 * timer is released.
 *
 * @example
 * ```ts
 * const deadline = startDeadline(1_000);
 * try { await fetch(url, { signal: deadline.signal }); } finally { deadline.dispose(); }
 * ```
 */
export function startDeadline(budgetMs: number, now: () => number = Date.now): InvocationDeadline {
  return new TimerDeadline(budgetMs, now);
}

/** One timer per invocation; the AbortController is made on first use, so a trigger without I/O never pays for it. */
class TimerDeadline implements InvocationDeadline {
  readonly #endsAt: number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | undefined;
  #controller: AbortController | undefined;
  #expired = false;
  #onExpiry: (() => void)[] | undefined;

  public constructor(budgetMs: number, now: () => number) {
    this.#now = now;
    this.#endsAt = now() + Math.max(0, budgetMs);
    // An infinite budget (NO_DEADLINE passed along) gets no timer: Node would clamp Infinity to 1 ms.
    this.#timer = Number.isFinite(budgetMs)
      ? setTimeout(() => this.#expire(), Math.max(0, budgetMs))
      : undefined;
  }

  public get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#expired) this.#controller.abort(new DeadlineExceededError());
    }
    return this.#controller.signal;
  }

  public remainingMs(): number {
    return Math.max(0, this.#endsAt - this.#now());
  }

  public dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  public onExpiry(callback: () => void): void {
    if (this.#expired) callback();
    else (this.#onExpiry ??= []).push(callback);
  }

  #expire(): void {
    this.#expired = true;
    this.#controller?.abort(new DeadlineExceededError());
    for (const callback of this.#onExpiry ?? []) callback();
  }
}

/** The deadline the composition owns: it also releases the timer and tells its owner when it expires. */
export interface InvocationDeadline extends Deadline {
  /** Clears the timer; call it when the invocation ends. */
  dispose(): void;
  /** Calls `callback` when the budget runs out (at once if it already has); cheaper than an abort listener. */
  onExpiry(callback: () => void): void;
}

/** A deadline that never runs out: for tools and tests that call a core or a port directly. */
// Made by a call marked pure, so that a bundle that never uses it does not make it (an AbortController) at import.
export const NO_DEADLINE: Deadline = /* @__PURE__ */ neverEndingDeadline();

function neverEndingDeadline(): Deadline {
  return Object.freeze({
    signal: new AbortController().signal,
    remainingMs: () => Number.POSITIVE_INFINITY,
  });
}

/**
 * Settles like `work`, or rejects with the signal's reason as soon as `signal` aborts, whichever
 * comes first. The work itself is not cancelled (it may not be cancellable): its late result is
 * dropped and a late rejection is swallowed.
 *
 * @example
 * ```ts
 * const row = await raceDeadline(pool.query(sql, [username]), deadline.signal);
 * ```
 */
export function raceDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The signal's reason as an Error (a DeadlineExceededError unless someone aborted with another). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DeadlineExceededError();
}
