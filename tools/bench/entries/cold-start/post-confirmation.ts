// Hand-written PostConfirmation: the DynamoDB client at module scope, the same two calls as the
// trigger (GetItem the domain rule, PutItem the membership with attribute_not_exists), the event returned.
// The address is split at the @ and lower-cased; no IDN handling, no deadline, no fail-open guard.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { handWritten, logger } from './hand-written.js';

const client = new DynamoDBClient({});
const tableName = process.env.TENANT_TABLE_NAME ?? '';

export const handler = handWritten(async (event: PostConfirmationTriggerEvent) => {
  const { sub, email, email_verified: verified } = event.request.userAttributes;
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp' || verified !== 'true' || !email) return event;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const rule = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: `DOMAIN#${domain}` }, sk: { S: 'TENANT' } } }),
  );
  const tenantId = rule.Item?.tenantId?.S;
  if (tenantId === undefined) return event;
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `USER#${sub}` },
          sk: { S: `TENANT#${tenantId}` },
          role: { S: rule.Item?.role?.S ?? 'member' },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  logger.info('Membership provisioned');
  return event;
});
