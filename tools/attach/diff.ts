/** One difference between two JSON-like values, at a dotted path (`LambdaConfig.PreSignUp`). */
export interface Change {
  readonly path: string;
  /** `undefined` when the path was absent before. */
  readonly before: unknown;
  /** `undefined` when the path is absent after. */
  readonly after: unknown;
}

/**
 * A JSON-like copy that compares the way a user reads a pool: dates as ISO strings, keys sorted,
 * and undefined, null, empty objects and empty arrays treated as absent (an API may return `{}`
 * or `[]` for a setting that another call reports as missing).
 */
export function toComparable(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(toComparable);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => [key, toComparable((value as Record<string, unknown>)[key])] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value;
}

/** Leaf-level differences between two values; arrays are compared as a whole. */
export function diffValues(before: unknown, after: unknown, path = ''): Change[] {
  return diffComparable(toComparable(before), toComparable(after), path);
}

function diffComparable(left: unknown, right: unknown, path: string): Change[] {
  // An object appearing or disappearing is shown leaf by leaf, so each ARN gets its own line.
  const leftObject = isPlainObject(left) ? left : left === undefined && isPlainObject(right) ? {} : undefined;
  const rightObject = isPlainObject(right)
    ? right
    : right === undefined && isPlainObject(left)
      ? {}
      : undefined;
  if (leftObject && rightObject) {
    const keys = [...new Set([...Object.keys(leftObject), ...Object.keys(rightObject)])].sort();
    return keys.flatMap((key) =>
      diffComparable(leftObject[key], rightObject[key], path ? `${path}.${key}` : key),
    );
  }
  return JSON.stringify(left) === JSON.stringify(right) ? [] : [{ path, before: left, after: right }];
}

/** Readable lines: `+ path: value`, `- path: value`, `~ path: before -> after`. */
export function formatChanges(changes: readonly Change[]): string[] {
  return changes.map(({ path, before, after }) => {
    if (before === undefined) return `+ ${path}: ${show(after)}`;
    if (after === undefined) return `- ${path}: ${show(before)}`;
    return `~ ${path}: ${show(before)} -> ${show(after)}`;
  });
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
