// Cold-start baseline for PreTokenGeneration: a hand-written handler with only the DynamoDB client,
// made at module scope, doing the same two calls as the trigger (Query the memberships, BatchGetItem
// the tenants) and setting the claims. No validation, no cache, no deadline, no logging.
import { BatchGetItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});
const tableName = process.env.TENANT_TABLE_NAME;

export const handler = async (event: {
  request: { userAttributes: Record<string, string> };
  response: Record<string, unknown>;
}) => {
  const memberships = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tenant)',
      ExpressionAttributeValues: {
        ':pk': { S: `USER#${event.request.userAttributes.sub}` },
        ':tenant': { S: 'TENANT#' },
      },
    }),
  );
  const first = memberships.Items?.[0];
  if (first?.sk?.S === undefined) return event;
  const tenantId = first.sk.S.slice('TENANT#'.length);
  const tenants = await client.send(
    new BatchGetItemCommand({
      RequestItems: { [tableName!]: { Keys: [{ pk: { S: `TENANT#${tenantId}` }, sk: { S: 'TENANT' } }] } },
    }),
  );
  const tenant = tenants.Responses?.[tableName!]?.[0];
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: {
        claimsToAddOrOverride: {
          tenant_id: tenantId,
          tenant_role: first.role?.S ?? '',
          tenant_plan: tenant?.plan?.S ?? '',
        },
      },
    },
  };
  return event;
};
