import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EnvReader } from './config.js';

/** Cognito waits 5 s for a trigger; the shared handler's default budget is 4.5 s of it. */
const COGNITO_BUDGET_MS = 4_500;

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
export function createTenantTableClient(config: TenantTableClientConfig): DynamoDBClient {
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
 * `DYNAMODB_MAX_ATTEMPTS` (3) into `reader`, recording a problem when the attempts cannot fit the budget.
 *
 * @example
 * ```ts
 * const reader = createEnvReader(env);
 * const dynamoDb = readTenantTableClientConfig(reader);
 * reader.done();
 * ```
 */
export function readTenantTableClientConfig(reader: EnvReader): TenantTableClientConfig {
  const requestTimeoutMs = reader.number('DYNAMODB_REQUEST_TIMEOUT_MS', {
    default: 1_000,
    min: 50,
    max: 4_500,
    integer: true,
  });
  const connectionTimeoutMs = reader.number('DYNAMODB_CONNECTION_TIMEOUT_MS', {
    default: 500,
    min: 50,
    max: 4_500,
    integer: true,
  });
  const maxAttempts = reader.number('DYNAMODB_MAX_ATTEMPTS', { default: 3, min: 1, max: 10, integer: true });
  if (maxAttempts * requestTimeoutMs > COGNITO_BUDGET_MS) {
    reader.problem(
      'DYNAMODB_MAX_ATTEMPTS',
      `× DYNAMODB_REQUEST_TIMEOUT_MS must fit the ${COGNITO_BUDGET_MS} ms budget, got ${maxAttempts} × ${requestTimeoutMs} ms`,
    );
  }
  return Object.freeze({ requestTimeoutMs, connectionTimeoutMs, maxAttempts });
}
