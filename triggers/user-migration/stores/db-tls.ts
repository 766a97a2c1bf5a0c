import type * as NodeTls from 'node:tls';
import { requireBuiltin } from '../../../shared/builtins.js';
import type { DbTlsSettings } from '../config.js';

/** The TLS options both SQL drivers take (`ssl` in pg and mysql2), or `undefined` for plaintext. */
export function buildDbTlsOptions(
  settings: DbTlsSettings,
): { rejectUnauthorized: boolean; ca?: string[] } | undefined {
  if (settings.mode === 'off') return undefined;
  if (settings.mode === 'no-verify') return { rejectUnauthorized: false };
  // A custom `ca` replaces Node's store, so the RDS bundle is added to it rather than put in its place.
  return settings.ca === undefined
    ? { rejectUnauthorized: true }
    : {
        rejectUnauthorized: true,
        ca: [...requireBuiltin<typeof NodeTls>('node:tls').rootCertificates, settings.ca],
      };
}
