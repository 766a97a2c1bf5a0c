import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const eventsDir = fileURLToPath(new URL('../../events/', import.meta.url));

/** A fresh copy of a recorded event, e.g. `loadEvent('pre-sign-up/sign-up-allowed.json')`. */
export function loadEvent<T = Record<string, unknown>>(relativePath: string): T {
  return JSON.parse(readFileSync(`${eventsDir}${relativePath}`, 'utf8')) as T;
}
