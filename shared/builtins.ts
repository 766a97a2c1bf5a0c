import { createRequire } from 'node:module';

/**
 * Node's built-in modules, required where they are first needed. A static `import` of a built-in in
 * the one-file ESM bundle is hoisted to its top, and Node then builds that module's ESM facade at
 * every cold start, used or not (`node:fs` also loads fs/promises, readline and the watchers;
 * `node:tls` loads net and the TLS stack). A `require` builds no facade and runs only when called.
 *
 * @example
 * ```ts
 * import type * as NodeFs from 'node:fs';
 * const { readFileSync } = requireBuiltin<typeof NodeFs>('node:fs');
 * ```
 */
export function requireBuiltin<T>(specifier: `node:${string}`): T {
  return nodeRequire(specifier) as T;
}

const nodeRequire = createRequire(import.meta.url);
