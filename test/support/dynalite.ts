// The local DynamoDB helpers live with the tools (the sandbox and the bench use them too).
export * from '../../tools/lib/local-dynamodb.js';
