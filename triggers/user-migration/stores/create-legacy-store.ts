import type { LegacyStoreConfig } from '../config.js';
import { createHttpLegacyStore } from './http-legacy-store.js';
import type { LegacyUserStore } from './legacy-user-store.js';
import { createMysqlLegacyStore } from './mysql-legacy-store.js';
import { createPostgresLegacyStore } from './postgres-legacy-store.js';

/** The bundled adapter that `LEGACY_STORE` names (`postgres`, `mysql` or `http`). */
export function createLegacyStoreFromConfig(config: LegacyStoreConfig): LegacyUserStore {
  switch (config.kind) {
    case 'postgres':
      return createPostgresLegacyStore(config);
    case 'mysql':
      return createMysqlLegacyStore(config);
    case 'http':
      return createHttpLegacyStore(config);
  }
}
