import type * as ClientDynamodb from '@aws-sdk/client-dynamodb';
import * as vendored from './vendor/client-dynamodb.generated.js';

/**
 * The DynamoDB client and the commands PreTokenGeneration and PostConfirmation send, from
 * `@aws-sdk/client-dynamodb`'s ES module build vendored by `npm run generate:embedded` (VENDORED_PACKAGES
 * there): the package's CommonJS build, which a bundle built with SAM's default options gets, defines all of
 * its ~57 commands and their schemas at cold start (73 M of PreTokenGeneration's 809 M instructions, measured).
 * Same code and version, typed as the package's own; a `DynamoDBClient` of yours sends these commands as its own.
 *
 * @example
 * ```ts
 * import { DynamoDBClient, GetItemCommand } from '../shared/dynamodb.js';
 * await new DynamoDBClient({}).send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
 * ```
 */
type VendoredDynamoDb = Pick<
  typeof ClientDynamodb,
  'DynamoDBClient' | 'QueryCommand' | 'BatchGetItemCommand' | 'GetItemCommand' | 'PutItemCommand'
>;

const dynamoDb = vendored as unknown as VendoredDynamoDb;

export const DynamoDBClient = dynamoDb.DynamoDBClient;
export const QueryCommand = dynamoDb.QueryCommand;
export const BatchGetItemCommand = dynamoDb.BatchGetItemCommand;
export const GetItemCommand = dynamoDb.GetItemCommand;
export const PutItemCommand = dynamoDb.PutItemCommand;
