/**
 * The Cognito budget in milliseconds. Cognito waits 5 s per attempt whatever the Lambda timeout says,
 * so an invocation gets the lesser of the Lambda's remaining time and `cognitoBudgetMs`, less a margin.
 */
export interface DeadlineSettings {
  /** Cognito's wait, less what the network needs (default 4,500 ms). */
  readonly cognitoBudgetMs: number;
  /** Kept back to answer with the fallback and flush logs (default 300 ms). */
  readonly marginMs: number;
}

/** What `COGNITO_BUDGET_MS` and `DEADLINE_MARGIN_MS` default to. */
export const DEFAULT_DEADLINE_SETTINGS: DeadlineSettings = Object.freeze({
  cognitoBudgetMs: 4_500,
  marginMs: 300,
});

/**
 * The budget of one invocation in milliseconds: `min(lambdaRemainingMs, cognitoBudgetMs) - marginMs`.
 *
 * @example
 * ```ts
 * computeBudgetMs({ cognitoBudgetMs: 4500, marginMs: 300 }, 3000); // 2700
 * ```
 */
export function computeBudgetMs(settings: DeadlineSettings, lambdaRemainingMs?: number): number {
  const remaining =
    typeof lambdaRemainingMs === 'number' && Number.isFinite(lambdaRemainingMs)
      ? lambdaRemainingMs
      : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(remaining, settings.cognitoBudgetMs) - settings.marginMs);
}
