/**
 * A module (or anything costly) loaded on the first call and shared by every later one; a failed
 * load is not kept, so the next call tries again. Used for the SDK clients and drivers a
 * configuration may not need: in the one-file bundle esbuild turns `import('pkg')` into a module
 * initialised on demand (`__commonJS`/`__esm` wrappers, no extra file), so a client that is never
 * asked for is parsed but never evaluated.
 *
 * @example
 * ```ts
 * const loadSsm = loadOnce(() => import('@aws-sdk/client-ssm'));
 * const { SSMClient } = await loadSsm();
 * ```
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    const current = (pending ??= load());
    current.catch(() => {
      if (pending === current) pending = undefined;
    });
    return current;
  };
}
