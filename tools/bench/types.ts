/** One row of the `npm run bench` report: a measurement set against its baseline and its goal. */
export interface BenchRow {
  /** Section of the report, e.g. "password verification". */
  readonly group: string;
  /** What was measured, e.g. "bcrypt cost 10 (hash-wasm) vs native bcrypt". */
  readonly name: string;
  /** The measured value (e.g. median ms per op) of the toolkit's code. */
  readonly measured: number;
  /** The baseline's value measured in the same run, same unit. */
  readonly baseline: number;
  /** Unit of measured and baseline, e.g. "ms/op", "bytes", "lookups". */
  readonly unit: string;
  /** measured / baseline (or the row's own ratio definition, explained in `goal`). */
  readonly ratio: number;
  /** Human-readable goal, e.g. "≤ 1.15×". */
  readonly goal: string;
  /** Whether this run met the goal. */
  readonly met: boolean;
  /** Optional explanation (cause of a miss, parameters). */
  readonly note?: string;
}
