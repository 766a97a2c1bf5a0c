import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

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
