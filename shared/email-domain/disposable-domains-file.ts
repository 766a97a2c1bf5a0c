import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as NodeUrl from 'node:url';
import { requireBuiltin } from '../builtins.js';

/**
 * Where the disposable-domain list is found. It is in no bundle (embedded, its 0.8 MB cost every cold start
 * ~5 ms, option on or off): `npm run generate:disposable` writes it as a text file into the folder of its
 * Lambda layer, which the template attaches to a function deployed with `DenyDisposableEmailDomains=true`.
 */

/** The file inside the layer's folder, hence under `/opt` in Lambda. */
export const DISPOSABLE_DOMAINS_LAYER_ENTRY = 'cognito-trigger-kit/disposable-domains.txt';
/** The layer's folder in this repository (the template's `ContentUri`); the package ships it under lib/. */
export const DISPOSABLE_DOMAINS_LAYER_FOLDER = 'layers/disposable-domains';
/** The file in this repository, from its root. */
export const DISPOSABLE_DOMAINS_FILE_IN_REPO = `${DISPOSABLE_DOMAINS_LAYER_FOLDER}/${DISPOSABLE_DOMAINS_LAYER_ENTRY}`;
/** Where Lambda extracts the layer. */
export const DISPOSABLE_DOMAINS_IN_LAYER = `/opt/${DISPOSABLE_DOMAINS_LAYER_ENTRY}`;
/** The variable naming the file elsewhere (a relative path is resolved against `LAMBDA_TASK_ROOT`). */
export const DISPOSABLE_DOMAINS_FILE_VARIABLE = 'DISPOSABLE_EMAIL_DOMAINS_FILE';

// Beside the code: this module is shared/email-domain/ in the repository and lib/shared/email-domain/ in the
// package, and a bundle of the repository is dist/<trigger>/index.mjs: two folders up is the root that holds
// layers/ in each case. A bundle elsewhere (a user's own build) has no such folder; CommonJS has no URL.
function besideTheCode(): string | undefined {
  try {
    return requireBuiltin<typeof NodeUrl>('node:url').fileURLToPath(
      new URL(`../../${DISPOSABLE_DOMAINS_FILE_IN_REPO}`, import.meta.url),
    );
  } catch {
    return undefined;
  }
}

/** `path` as a list file setting means it: absolute, or relative to `baseDir` (the function's `LAMBDA_TASK_ROOT`). */
export function resolveListFile(path: string, baseDir: string): string {
  // node:path is required here, when a list file is configured, not imported by every bundle.
  const { isAbsolute, resolve } = requireBuiltin<typeof NodePath>('node:path');
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Where a function looks for the list, in order: `named` (the value of `DISPOSABLE_EMAIL_DOMAINS_FILE`; only
 * it, when set), the layer, beside the code.
 */
export function disposableDomainsFileCandidates(named: string | undefined, baseDir: string): string[] {
  if (named !== undefined) return [resolveListFile(named, baseDir)];
  const beside = besideTheCode();
  return beside === undefined ? [DISPOSABLE_DOMAINS_IN_LAYER] : [DISPOSABLE_DOMAINS_IN_LAYER, beside];
}

/**
 * The list file a function with `DENY_DISPOSABLE_EMAIL_DOMAINS=true` reads, or the places it looked.
 *
 * @example
 * ```ts
 * const found = findDisposableDomainsFile(reader.string('DISPOSABLE_EMAIL_DOMAINS_FILE'), '/var/task');
 * if ('missing' in found) reader.problem('DENY_DISPOSABLE_EMAIL_DOMAINS', `no list at ${found.missing.join(', ')}`);
 * ```
 */
export function findDisposableDomainsFile(
  named: string | undefined,
  baseDir: string,
): { readonly path: string } | { readonly missing: string[] } {
  const candidates = disposableDomainsFileCandidates(named, baseDir);
  const { existsSync } = requireBuiltin<typeof NodeFs>('node:fs');
  const path = candidates.find((candidate) => existsSync(candidate));
  return path === undefined ? { missing: candidates } : { path };
}
