import type { DynamoDBClient as DynamoDBClientType } from '@aws-sdk/client-dynamodb';
import type { EnvReader } from './config.js';
import { DynamoDBClient } from './dynamodb.js';
import {
  computeBudgetMs,
  DEFAULT_DEADLINE_SETTINGS,
  type DeadlineSettings,
} from './middleware/deadline-budget.js';

export interface TenantTableClientConfig {
  /** Per-attempt limit on the whole request; exceeding it throws (not just warns). */
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  /** Attempts including the first; keep `maxAttempts × requestTimeoutMs` inside the invocation budget. */
  readonly maxAttempts: number;
}

/**
 * The module-scope DynamoDB client of a trigger that reads the tenant table. It sets no endpoint, so
 * the SDK's own `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL` support keeps working (dynalite).
 *
 * @example
 * ```ts
 * const client = createTenantTableClient({ requestTimeoutMs: 1000, connectionTimeoutMs: 500, maxAttempts: 3 });
 * ```
 */
export function createTenantTableClient(config: TenantTableClientConfig): DynamoDBClientType {
  return new DynamoDBClient({
    maxAttempts: config.maxAttempts,
    requestHandler: {
      requestTimeout: config.requestTimeoutMs,
      // Without this the SDK only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
      connectionTimeout: config.connectionTimeoutMs,
    },
  });
}

/**
 * Reads `DYNAMODB_REQUEST_TIMEOUT_MS` (default 1000), `DYNAMODB_CONNECTION_TIMEOUT_MS` (500) and
 * `DYNAMODB_MAX_ATTEMPTS` (3) into `reader`, recording a problem when the attempts cannot fit the
 * budget an invocation gets from `deadline` (`COGNITO_BUDGET_MS - DEADLINE_MARGIN_MS`).
 *
 * @example
 * ```ts
 * const reader = createEnvReader(env);
 * const dynamoDb = readTenantTableClientConfig(reader, deadline);
 * reader.done();
 * ```
 */
export function readTenantTableClientConfig(
  reader: EnvReader,
  deadline: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
): TenantTableClientConfig {
  const requestTimeoutMs = reader.number('DYNAMODB_REQUEST_TIMEOUT_MS', {
    default: 1_000,
    min: 50,
    max: 4_500,
    integer: true,
    doc: 'Per DynamoDB attempt; `attempts × timeout` must fit `COGNITO_BUDGET_MS - DEADLINE_MARGIN_MS`',
  });
  const connectionTimeoutMs = reader.number('DYNAMODB_CONNECTION_TIMEOUT_MS', {
    default: 500,
    min: 50,
    max: 4_500,
    integer: true,
    doc: 'TCP/TLS connect limit per attempt',
  });
  const maxAttempts = reader.number('DYNAMODB_MAX_ATTEMPTS', {
    default: 3,
    min: 1,
    max: 10,
    integer: true,
    doc: 'SDK attempts; `attempts × DYNAMODB_REQUEST_TIMEOUT_MS` must fit `COGNITO_BUDGET_MS - DEADLINE_MARGIN_MS`',
  });
  const budgetMs = computeBudgetMs(deadline);
  if (maxAttempts * requestTimeoutMs > budgetMs) {
    reader.problem(
      'DYNAMODB_MAX_ATTEMPTS',
      `× DYNAMODB_REQUEST_TIMEOUT_MS must fit the ${budgetMs} ms budget (COGNITO_BUDGET_MS - DEADLINE_MARGIN_MS), got ${maxAttempts} × ${requestTimeoutMs} ms`,
    );
  }
  return Object.freeze({ requestTimeoutMs, connectionTimeoutMs, maxAttempts });
}
