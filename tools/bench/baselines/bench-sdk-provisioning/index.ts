// Cold-start baseline for PostConfirmation: a hand-written handler with only the DynamoDB client,
// made at module scope, doing the same two calls as the trigger (GetItem the domain rule, PutItem the
// membership with attribute_not_exists) and returning the event. No parsing of the address beyond a
// split and lowercase, no deadline, no logging.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});
const tableName = process.env.TENANT_TABLE_NAME;

export const handler = async (event: { request: { userAttributes: Record<string, string> } }) => {
  const { sub, email, email_verified: verified } = event.request.userAttributes;
  if (verified !== 'true' || !email) return event;
  const domain = email.split('@')[1]!.toLowerCase();
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
  return event;
};
