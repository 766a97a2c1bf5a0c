import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_EMBEDDED_PACKAGES } from '../../support/embedded-probe.js';
import { startLocalSnsServer, type LocalSnsServer } from '../../../tools/lib/local-sns-server.js';
import { describeFunction, loadTemplate } from '../../../tools/lib/template.js';
import { startCognitoLocal, type CognitoLocal } from '../../support/cognito-local.js';
import {
  createLocalDynamoDbClient,
  createTenantTable,
  LOCAL_AWS_CREDENTIALS,
  startDynalite,
} from '../../support/dynalite.js';
import { loadEvent } from '../../support/events.js';
import { createIdempotencyTable, TEST_RAW_AES_KEY_BASE64 } from '../custom-sender/sender-setup.js';

/**
 * The clients embedded on their host's SDK stack (shared/embedded-modules/hosted-packages.ts) run inside
 * the real bundles, built with the template's options: the Cognito client of POST_CONFIRMATION_GROUPS,
 * the SNS client of the custom sender's SMS and Powertools Idempotency on its DynamoDB table, each against
 * a local server, in a fresh Node process as Lambda runs it.
 */
const execFileAsync = promisify(execFile);

// Imports the bundle, answers each event in turn, and reports the answers and the embedded packages compiled.
const CHILD = `${RECORD_EMBEDDED_PACKAGES}
const [bundle, ...events] = process.argv.slice(1);
const module = await import(pathToFileURL(bundle).href);
const answers = [];
for (const event of events) {
  const context = { awsRequestId: 'hosted-' + answers.length, functionName: 'hosted', getRemainingTimeInMillis: () => 5000 };
  try {
    answers.push({ response: (await module.handler(JSON.parse(event), context)).response });
  } catch (error) {
    answers.push({ error: String(error && error.message) });
  }
}
process.stdout.write('\\nREPORT ' + JSON.stringify({ answers, evaluated }) + '\\n', () => process.exit(0));
`;

interface ChildReport {
  answers: { response?: Record<string, unknown>; error?: string }[];
  evaluated: string[];
}

const bundles: Record<string, string> = {};
let db: Awaited<ReturnType<typeof startDynalite>>;
let cognitoLocal: CognitoLocal;
let sns: LocalSnsServer;

beforeAll(async () => {
  const template = loadTemplate();
  const root = mkdtempSync(join(tmpdir(), 'hosted-clients-'));
  [db, cognitoLocal, sns] = await Promise.all([
    startDynalite(),
    startCognitoLocal(),
    startLocalSnsServer(),
    ...['PostConfirmationFunction', 'CustomSenderFunction'].map(async (id) => {
      const fn = describeFunction(template, id);
      const outdir = join(root, id);
      await build({ ...fn.buildOptions, entryPoints: [fn.entryPoint], outdir, logLevel: 'warning' });
      bundles[id] = join(outdir, 'index.mjs');
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([db?.stop(), cognitoLocal?.stop(), sns?.close()]);
});

async function runBundle(
  id: string,
  env: Record<string, string>,
  events: readonly unknown[],
): Promise<ChildReport> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      '--input-type=module',
      '--eval',
      CHILD,
      '--',
      bundles[id]!,
      ...events.map((event) => JSON.stringify(event)),
    ],
    {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
        ...env,
      },
      timeout: 60_000,
    },
  );
  // The bundle's log lines share stdout with the report.
  const report = stdout.split('\n').find((line) => line.startsWith('REPORT '));
  return JSON.parse(report!.slice('REPORT '.length)) as ChildReport;
}

describe('clients embedded on the bundle’s own SDK stack, in the built bundles', () => {
  it('PostConfirmation adds the confirmed user to POST_CONFIRMATION_GROUPS through the embedded Cognito client', async () => {
    // Prepare: a pool with the group and the confirmed user, and a tenant table without a rule for them
    const cognito = new CognitoIdentityProviderClient({
      endpoint: cognitoLocal.endpoint,
      region: 'us-east-1',
      credentials: { ...LOCAL_AWS_CREDENTIALS },
    });
    const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'hosted-clients' }));
    const userPoolId = pool.UserPool!.Id!;
    await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'customers' }));
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: 'ana@acme.example.com',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'ana@acme.example.com' }],
      }),
    );
    const dynamo = createLocalDynamoDbClient(db.endpoint);
    await createTenantTable(dynamo, 'hosted-tenants');
    dynamo.destroy();
    const event = loadEvent<{ userPoolId: string; userName: string }>(
      'post-confirmation/confirm-sign-up.json',
    );
    event.userPoolId = userPoolId;
    event.userName = created.User!.Username!;

    // Act
    const report = await runBundle(
      'PostConfirmationFunction',
      {
        TENANT_TABLE_NAME: 'hosted-tenants',
        POST_CONFIRMATION_GROUPS: 'customers',
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoLocal.endpoint,
      },
      [event],
    );

    // Assess
    const groups = await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: event.userName }),
    );
    cognito.destroy();
    expect(report.answers).toEqual([{ response: {} }]);
    expect(groups.Groups?.map((group) => group.GroupName)).toEqual(['customers']);
    expect(report.evaluated).toEqual(['@aws-sdk/client-cognito-identity-provider']);
  });

  it('the custom sender publishes an SMS through the embedded SNS client once, the retry held back by the embedded Idempotency utility', async () => {
    // Prepare
    await createIdempotencyTable(createLocalDynamoDbClient(db.endpoint), 'hosted-idempotency');
    const event = loadEvent('custom-sender/sms-sign-up.json');
    const before = sns.published.length;

    // Act: the same event twice, as Lambda's retry of a delivered message would bring it
    const report = await runBundle(
      'CustomSenderFunction',
      {
        KEY_PROVIDER: 'raw-aes',
        RAW_AES_KEY_BASE64: TEST_RAW_AES_KEY_BASE64,
        EMAIL_FROM: 'Acme <no-reply@acme.test>',
        APP_NAME: 'Acme',
        APP_URL: 'https://app.acme.test',
        IDEMPOTENCY_TABLE_NAME: 'hosted-idempotency',
        AWS_ENDPOINT_URL_SNS: sns.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      },
      [event, event],
    );

    // Assess
    expect(report.answers).toEqual([{ response: {} }, { response: {} }]);
    expect(sns.published.slice(before)).toHaveLength(1);
    expect(sns.published.at(-1)?.smsType).toBe('Transactional');
    expect(report.evaluated.toSorted()).toEqual([
      '@aws-lambda-powertools/idempotency',
      '@aws-sdk/client-sns',
    ]);
  });

  it('the custom sender evaluates neither when it sends an email without an idempotency table', async () => {
    // Act: no SES server: the send fails, after the code is decrypted and the message composed
    const report = await runBundle(
      'CustomSenderFunction',
      {
        KEY_PROVIDER: 'raw-aes',
        RAW_AES_KEY_BASE64: TEST_RAW_AES_KEY_BASE64,
        EMAIL_FROM: 'Acme <no-reply@acme.test>',
        APP_NAME: 'Acme',
        APP_URL: 'https://app.acme.test',
        AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9',
        COGNITO_BUDGET_MS: '1000',
      },
      [loadEvent('custom-sender/email-sign-up.json')],
    );

    // Assess
    expect(report.answers).toHaveLength(1);
    expect(report.evaluated).toEqual([]);
  });
});
