// Hand-written PreTokenGeneration: the DynamoDB client at module scope, the same two calls as the
// trigger (Query the memberships, BatchGetItem the tenants), the claims set. No cache.
import { BatchGetItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { handWritten, logger } from './hand-written.js';

const client = new DynamoDBClient({});
const tableName = process.env.TENANT_TABLE_NAME ?? '';

export const handler = handWritten(async (event: PreTokenGenerationV2TriggerEvent) => {
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
  const first = memberships.Items?.find((item) => item.default?.BOOL === true) ?? memberships.Items?.[0];
  if (first?.sk?.S === undefined) return event;
  const tenantId = first.sk.S.slice('TENANT#'.length);
  const tenants = await client.send(
    new BatchGetItemCommand({
      RequestItems: { [tableName]: { Keys: [{ pk: { S: `TENANT#${tenantId}` }, sk: { S: 'TENANT' } }] } },
    }),
  );
  const tenant = tenants.Responses?.[tableName]?.[0];
  if (tenant?.status?.S !== 'active')
    throw new Error('[TENANT_SUSPENDED] Your organisation’s account is suspended.');
  const claims = { tenant_id: tenantId, tenant_role: first.role?.S ?? '', tenant_plan: tenant.plan?.S ?? '' };
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: { claimsToAddOrOverride: claims },
    },
  };
  logger.info('Claims added');
  return event;
});
