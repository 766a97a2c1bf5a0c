// The modules the embedded Powertools Idempotency utility takes from the custom sender's own bundle:
// its DynamoDB client (the Encryption SDK's copy) and the Lambda invoke store the Logger shares.
import * as invokeStore from '@aws/lambda-invoke-store';
import * as clientDynamodb from '@aws-sdk/client-dynamodb';
import * as utilDynamodb from '@aws-sdk/util-dynamodb';

export const IDEMPOTENCY_HOST_MODULES: Readonly<Record<string, unknown>> = {
  '@aws/lambda-invoke-store': invokeStore,
  '@aws-sdk/client-dynamodb': clientDynamodb,
  '@aws-sdk/util-dynamodb': utilDynamodb,
};
