import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { loadIdempotencyModule } from '../../../shared/embedded-modules/hosted-packages.js';

/**
 * What makes a message the same message: the source, the user and Cognito's ciphertext of the code
 * (a new code is a new ciphertext, a retried invocation carries the same one), or for an
 * account-takeover notification its `EVENT_ID`. Powertools stores only a hash of it.
 */
export interface DeliveryKey {
  readonly source: string;
  readonly user: string;
  readonly code: string | null;
  readonly eventId: string | null;
}

/** What the idempotency record keeps of a delivery (and a retry gets back): no address, no code. */
export interface DeliveryReceipt {
  readonly channel: 'email' | 'sms';
  readonly messageId: string;
}

/** Runs `work` once per key: a retry of a delivered message gets the first receipt back, `work` not run. */
export type DeliverOnce = (
  key: DeliveryKey,
  lambdaContext: Context,
  work: () => Promise<DeliveryReceipt>,
) => Promise<DeliveryReceipt>;

/** The key prefix of every record, stable across function names and versions. */
export const IDEMPOTENCY_KEY_PREFIX = 'cognito-trigger-kit.custom-sender';

/**
 * {@link DeliverOnce} on Powertools Idempotency. A failed `work` leaves no record (the retry sends);
 * an in-progress record (a concurrent or crashed attempt) makes the call fail, so Lambda retries later.
 * The utility comes from its embedded copy (on the bundle's own DynamoDB client), loaded here, so a
 * function without an idempotency table never parses it.
 *
 * @example
 * ```ts
 * const deliverOnce = await createIdempotentDelivery({
 *   persistenceStore: await createDynamoDbIdempotencyStore('table'),
 * });
 * ```
 */
export async function createIdempotentDelivery(options: {
  readonly persistenceStore: BasePersistenceLayer;
  readonly expiresAfterSeconds?: number;
}): Promise<DeliverOnce> {
  const { IdempotencyConfig, makeIdempotent } = await loadIdempotencyModule();
  const config = new IdempotencyConfig({
    expiresAfterSeconds: options.expiresAfterSeconds ?? 86_400,
    throwOnNoIdempotencyKey: true,
  });
  const once = makeIdempotent(
    async (_key: DeliveryKey, work: () => Promise<DeliveryReceipt>): Promise<DeliveryReceipt> => work(),
    {
      persistenceStore: options.persistenceStore,
      config,
      dataIndexArgument: 0,
      keyPrefix: IDEMPOTENCY_KEY_PREFIX,
    },
  );
  return (key, lambdaContext, work) => {
    // The in-progress record expires with this invocation's time, so a crashed attempt does not block retries.
    if (typeof lambdaContext?.getRemainingTimeInMillis === 'function')
      config.registerLambdaContext(lambdaContext);
    return once(key, work);
  };
}

/** The DynamoDB persistence layer (table key `id`, as the template creates it); honours `AWS_ENDPOINT_URL_DYNAMODB`. */
export async function createDynamoDbIdempotencyStore(
  tableName: string,
  client?: DynamoDBClient,
): Promise<DynamoDBPersistenceLayer> {
  const { DynamoDBPersistenceLayer } = await loadIdempotencyModule();
  return new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client:
      client ??
      new DynamoDBClient({
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 500, requestTimeout: 1_500 },
      }),
  });
}
