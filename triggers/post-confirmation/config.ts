import { createEnvReader, type Env } from '../../shared/config.js';
import type { DeadlineSettings } from '../../shared/middleware/deadline-budget.js';
import {
  readTenantTableClientConfig,
  type TenantTableClientConfig,
} from '../../shared/tenant-table-client.js';
import { unicodePattern } from '../../shared/unicode-pattern.js';

// Cognito's group name: letters, marks, symbols, digits and punctuation, 1 to 128 of them (no spaces).
const GROUP_NAME = unicodePattern(String.raw`^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$`, 'u', /^[!-~]{1,128}$/);

export interface PostConfirmationConfig {
  /** `TENANT_TABLE_NAME`; undefined only when a provisioning store is injected. */
  readonly tableName: string | undefined;
  /** `POST_CONFIRMATION_GROUPS`: the groups a confirmed user is added to, in order, without repeats. */
  readonly groups: readonly string[];
  /** Timeouts of the DynamoDB client, and of the Cognito client when groups are configured. */
  readonly clients: TenantTableClientConfig;
}

/**
 * Reads and checks the trigger's configuration once; throws one ConfigError naming every bad variable.
 * `deadline` is the deadline settings in force: the DynamoDB retries must fit the budget they give.
 */
export function readPostConfirmationConfig(
  env: Env = process.env,
  options: { tableFromEnv?: boolean } = {},
  deadline?: DeadlineSettings,
): PostConfirmationConfig {
  const reader = createEnvReader(env);
  const tableDoc =
    'The tenant table: domain rules (`DOMAIN#<domain>` / `TENANT`) and memberships (shared with PreTokenGeneration)';
  const tableName =
    options.tableFromEnv === false
      ? reader.string('TENANT_TABLE_NAME', { doc: tableDoc })
      : reader.string('TENANT_TABLE_NAME', { required: true, doc: tableDoc });
  const groups = [
    ...new Set(
      reader.list('POST_CONFIRMATION_GROUPS', {
        doc: 'Comma-separated Cognito groups a confirmed sign-up joins (AdminAddUserToGroup); they must exist in the pool',
      }),
    ),
  ];
  for (const group of groups) {
    if (!GROUP_NAME.for(group).test(group))
      reader.problem('POST_CONFIRMATION_GROUPS', `"${group.slice(0, 140)}" is not a Cognito group name`);
  }
  const clients = readTenantTableClientConfig(reader, deadline);
  reader.done();
  return Object.freeze({
    tableName,
    groups: Object.freeze(groups),
    clients,
  });
}
