import {
  AdminCreateUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostConfirmationHandler } from '../../../triggers/post-confirmation/create-post-confirmation-handler.js';
import { startCognitoLocal, type CognitoLocal } from '../../support/cognito-local.js';
import {
  LOCAL_AWS_CREDENTIALS,
  createLocalDynamoDbClient,
  createTenantTable,
  domainRuleItem,
  queryUserItems,
  seedTenantItems,
  startDynalite,
} from '../../support/dynalite.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';
import { startFaultServer, type FaultServer } from '../pre-token-generation/fault-server.js';

// The real handler, its real DynamoDB adapter against dynalite and its real Cognito adapter against
// cognito-local, both reached through the SDK's standard endpoint variables.
const TABLE = 'post-confirmation-tenants';

let db: Awaited<ReturnType<typeof startDynalite>>;
let dynamo: DynamoDBClient;
let faults: FaultServer;
let cognitoLocal: CognitoLocal;
let cognito: CognitoIdentityProviderClient;
let userPoolId: string;
let logs: CapturedLogs | undefined;
const usernames = new Map<string, string>();

beforeAll(async () => {
  [db, cognitoLocal] = await Promise.all([startDynalite(), startCognitoLocal()]);
  dynamo = createLocalDynamoDbClient(db.endpoint);
  await createTenantTable(dynamo, TABLE);
  await seedTenantItems(dynamo, TABLE, [domainRuleItem('acme.example.com', 'acme', 'member')]);
  faults = await startFaultServer(db.endpoint);
  cognito = new CognitoIdentityProviderClient({
    endpoint: cognitoLocal.endpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_AWS_CREDENTIALS },
  });
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'post-confirmation' }));
  userPoolId = pool.UserPool!.Id!;
  await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'customers' }));
  await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'newsletter' }));
}, 60_000);

afterAll(async () => {
  cognito?.destroy();
  dynamo?.destroy();
  await faults?.stop();
  await cognitoLocal?.stop();
  await db?.stop();
});

afterEach(() => {
  logs?.restore();
  logs = undefined;
  vi.unstubAllEnvs();
  faults.mode = 'proxy';
});

/** A confirmed user of the cognito-local pool, and the PostConfirmation event Cognito would send for them. */
async function confirmedUser(name: string): Promise<PostConfirmationTriggerEvent> {
  // The pool signs in by email, so its usernames are ids; `userName` in events is that id.
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: `${name}@acme.example.com`,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${name}@acme.example.com` },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  const sub = created.User!.Attributes!.find((attribute) => attribute.Name === 'sub')!.Value!;
  const event = loadEvent<PostConfirmationTriggerEvent>('post-confirmation/confirm-sign-up.json');
  event.userPoolId = userPoolId;
  event.userName = created.User!.Username!;
  usernames.set(name, event.userName);
  event.request.userAttributes = {
    ...event.request.userAttributes,
    sub,
    email: `${name}@acme.example.com`,
    'cognito:email_alias': `${name}@acme.example.com`,
  };
  return event;
}

function coldStart(env: Record<string, string> = {}, dynamoEndpoint = db.endpoint) {
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamoEndpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', cognitoLocal.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  return createPostConfirmationHandler({
    env: {
      TENANT_TABLE_NAME: TABLE,
      POST_CONFIRMATION_GROUPS: 'customers,newsletter',
      COGNITO_BUDGET_MS: '2000',
      DEADLINE_MARGIN_MS: '300',
      DYNAMODB_REQUEST_TIMEOUT_MS: '500',
      DYNAMODB_MAX_ATTEMPTS: '2',
      ...env,
    },
  });
}

const membershipsOf = (sub: string) => queryUserItems(dynamo, TABLE, sub);

async function groupsOf(username: string): Promise<string[]> {
  const output = await cognito.send(
    new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: usernames.get(username) }),
  );
  return (output.Groups ?? []).map((group) => group.GroupName!).sort();
}

describe('the PostConfirmation handler against dynalite and cognito-local', () => {
  it('writes the membership and adds the user to the configured groups', async () => {
    // Prepare
    const handler = coldStart();
    const event = await confirmedUser('ana');

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(result).toEqual(event);
    expect(await membershipsOf(event.request.userAttributes.sub!)).toEqual([
      expect.objectContaining({
        sk: { S: 'TENANT#acme' },
        role: { S: 'member' },
        provisionedBy: { S: 'post-confirmation' },
      }),
    ]);
    expect(await groupsOf('ana')).toEqual(['customers', 'newsletter']);
  });

  it('leaves the table and the groups as they were when Cognito retries the confirmation', async () => {
    // Prepare
    const handler = coldStart();
    const event = await confirmedUser('ben');
    await handler(structuredClone(event), fakeLambdaContext());

    // Act
    await handler(structuredClone(event), fakeLambdaContext());
    await coldStart()(structuredClone(event), fakeLambdaContext());

    // Assess
    expect(await membershipsOf(event.request.userAttributes.sub!)).toHaveLength(1);
    const members = await cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: 'customers' }),
    );
    expect((members.Users ?? []).filter((user) => user.Username === usernames.get('ben'))).toHaveLength(1);
  });

  it('adds the user to the groups and returns the event when a group is missing, logging the fault', async () => {
    // Prepare
    const handler = coldStart({ POST_CONFIRMATION_GROUPS: 'no-such-group customers' });
    const event = await confirmedUser('cleo');
    logs = captureLogs();

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(result).toEqual(event);
    expect(await groupsOf('cleo')).toEqual(['customers']);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ level: 'ERROR', group: 'no-such-group' }));
  });

  it('fails open inside the budget with DynamoDB hung: the event comes back, the groups still join', async () => {
    // Prepare
    faults.mode = 'hang';
    const handler = coldStart({}, faults.endpoint);
    const event = await confirmedUser('dora');
    const startedAt = Date.now();

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess: the 2 s budget, with room for a loaded machine, inside Cognito's 5 s.
    expect(result).toEqual(event);
    expect(Date.now() - startedAt).toBeLessThan(4_500);
    expect(await groupsOf('dora')).toEqual(['customers', 'newsletter']);
  });
});
