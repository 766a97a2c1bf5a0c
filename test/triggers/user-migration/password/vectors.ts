import { readFileSync } from 'node:fs';
import type { HashScheme } from '../../../../triggers/user-migration/password/verify-legacy-password.js';

/** One hash written by a reference implementation, with the reference's verdicts on nearby passwords. */
export interface PasswordVector {
  readonly scheme: HashScheme;
  readonly password: string;
  readonly hash: string;
  readonly generator: string;
  readonly note?: string;
  readonly checks: ReadonlyArray<{ readonly password: string; readonly verifies: boolean }>;
}

export const VECTORS: readonly PasswordVector[] = JSON.parse(
  readFileSync(new URL('../../../fixtures/password-vectors/vectors.json', import.meta.url), 'utf8'),
) as PasswordVector[];

/** The first reference hash of `scheme` whose generator mentions `hint`: a realistic row to tamper with. */
export function referenceHash(scheme: HashScheme, hint = ''): string {
  const vector = VECTORS.find(
    (candidate) => candidate.scheme === scheme && candidate.generator.includes(hint),
  );
  if (vector === undefined) throw new Error(`no vector for ${scheme} ${hint}`);
  return vector.hash;
}
