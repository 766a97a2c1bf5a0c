/**
 * `npm run bench` section "provisioning": DynamoDB writes per 1,000 confirmed sign-ups when Cognito
 * delivers confirmations more than once (retries after a timeout, duplicates in flight) and the network
 * loses some PutItem answers after the write (the SDK retries them). The real PostConfirmation handler
 * (factory, DynamoDB adapter, dynalite) against the naive recipe side by side: an unconditional PutItem
 * per delivery. Writes are counted at a proxy in front of dynalite: a PutItem answered 200 changed the table.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { createDynamoDbProvisioningStore } from '../../shared/tenant-provisioning/dynamodb-provisioning-store.js';
import { createPostConfirmationHandler } from '../../triggers/post-confirmation/create-post-confirmation-handler.js';
import {
  LOCAL_AWS_CREDENTIALS,
  createLocalDynamoDbClient,
  createTenantTable,
  domainRuleItem,
  membershipItem,
  seedTenantItems,
  startDynalite,
} from '../lib/local-dynamodb.js';
import type { BenchRow } from './types.js';

const GROUP = 'provisioning';
const USERS = 1_000;
/** Users who already have a membership an admin set (role `admin`): neither recipe may change it. */
const PRESET = 50;
/** Every n-th PutItem answer is lost after the write, so the SDK retries a write that happened. */
const LOSE_EVERY = 20;

interface WriteCounter {
  readonly endpoint: string;
  writes(): number;
  reset(): void;
  stop(): Promise<void>;
}

/** A proxy to dynalite that counts PutItems answered 200 and loses every LOSE_EVERY-th answer. */
async function startWriteCounter(target: string): Promise<WriteCounter> {
  let writes = 0;
  let puts = 0;
  const url = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const isPut = String(req.headers['x-amz-target'] ?? '').endsWith('.PutItem');
      const lose = isPut && (puts += 1) % LOSE_EVERY === 0;
      const forward = httpRequest(
        { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          if (isPut && upstream.statusCode === 200) writes += 1;
          if (lose) {
            upstream.resume();
            upstream.on('end', () => {
              res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
              res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' }));
            });
            return;
          }
          res.writeHead(upstream.statusCode ?? 500, upstream.headers);
          upstream.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    writes: () => writes,
    reset: () => {
      writes = 0;
      puts = 0;
    },
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Each user's confirmation, delivered 1 to 3 times; every tenth user twice at once as well. */
function deliveriesOf(index: number): { sequential: number; concurrent: number } {
  return { sequential: 1 + (index % 3), concurrent: index % 10 === 0 ? 2 : 1 };
}

function confirmationOf(base: PostConfirmationTriggerEvent, run: string, index: number) {
  const event = structuredClone(base);
  const sub = `${run}-user-${index}`;
  event.userName = sub;
  event.request.userAttributes = {
    ...event.request.userAttributes,
    sub,
    email: `user${index}@acme.example.com`,
    'cognito:email_alias': `user${index}@acme.example.com`,
  };
  return event;
}

async function deliverAll(
  run: string,
  deliver: (event: PostConfirmationTriggerEvent) => Promise<unknown>,
): Promise<number> {
  const base = JSON.parse(
    readFileSync('events/post-confirmation/confirm-sign-up.json', 'utf8'),
  ) as PostConfirmationTriggerEvent;
  let deliveries = 0;
  // 25 users at a time: enough concurrency to race duplicates, little enough for dynalite.
  for (let start = 0; start < USERS; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, USERS - start) }, async (_, offset) => {
        const index = start + offset;
        const { sequential, concurrent } = deliveriesOf(index);
        for (let attempt = 0; attempt < sequential; attempt += 1) {
          deliveries += concurrent;
          await Promise.all(
            Array.from({ length: concurrent }, () => deliver(confirmationOf(base, run, index))),
          );
        }
      }),
    );
  }
  return deliveries;
}

async function countMemberships(client: DynamoDBClient, table: string, run: string) {
  let items = 0;
  let changedPreset = 0;
  let startKey: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      if (!item.pk?.S?.startsWith(`USER#${run}-`)) continue;
      items += 1;
      const index = Number(item.pk.S.split('-user-')[1]);
      if (index < PRESET && item.role?.S !== 'admin') changedPreset += 1;
    }
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey !== undefined);
  return { items, changedPreset };
}

/** Writes per 1,000 confirmations with retries: the toolkit's conditional put against the naive put. */
export async function benchProvisioningWrites(): Promise<BenchRow[]> {
  const db = await startDynalite();
  const counter = await startWriteCounter(db.endpoint);
  const admin = createLocalDynamoDbClient(db.endpoint);
  // Retries as Lambda's SDK does them (3 attempts), through the counting proxy.
  const client = new DynamoDBClient({
    endpoint: counter.endpoint,
    region: 'us-east-1',
    credentials: { ...LOCAL_AWS_CREDENTIALS },
    maxAttempts: 3,
  });
  const table = 'bench-provisioning';
  try {
    await createTenantTable(admin, table);
    await seedTenantItems(admin, table, [
      domainRuleItem('acme.example.com', 'acme', 'member'),
      ...Array.from({ length: PRESET }, (_, index) =>
        membershipItem(`toolkit-user-${index}`, 'acme', 'admin'),
      ),
      ...Array.from({ length: PRESET }, (_, index) => membershipItem(`naive-user-${index}`, 'acme', 'admin')),
    ]);

    const handler = createPostConfirmationHandler({
      env: { TENANT_TABLE_NAME: table },
      provisioner: createDynamoDbProvisioningStore({ client, tableName: table, writer: 'post-confirmation' }),
      logger: new Logger({ logLevel: 'SILENT' }),
      deadlineSettings: { cognitoBudgetMs: 4_500, marginMs: 300 },
    });
    counter.reset();
    const toolkitDeliveries = await deliverAll('toolkit', (event) => handler(event, lambdaContext()));
    const toolkitWrites = counter.writes();
    const toolkit = await countMemberships(admin, table, 'toolkit');

    // The recipe found in most samples: PutItem the membership on every confirmation.
    counter.reset();
    const naiveDeliveries = await deliverAll('naive', async (event) => {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: `USER#${event.request.userAttributes.sub}` },
            sk: { S: 'TENANT#acme' },
            role: { S: 'member' },
          },
        }),
      );
    });
    const naiveWrites = counter.writes();
    const naive = await countMemberships(admin, table, 'naive');

    const newUsers = USERS - PRESET;
    const met = toolkitWrites === newUsers && toolkit.items === USERS && toolkit.changedPreset === 0;
    return [
      {
        group: GROUP,
        name: `DynamoDB writes for ${USERS} confirmations delivered ${toolkitDeliveries} times (retries, duplicates, lost answers) vs unconditional PutItem`,
        measured: toolkitWrites,
        baseline: naiveWrites,
        unit: 'writes',
        ratio: toolkitWrites / naiveWrites,
        goal: `exactly one per new user (${newUsers})`,
        met,
        note: `toolkit: ${toolkit.items} memberships for ${USERS} users, ${toolkit.changedPreset} of ${PRESET} admin-set memberships changed; naive (${naiveDeliveries} deliveries): ${naive.items} memberships, ${naive.changedPreset} of ${PRESET} admin-set memberships overwritten; every ${LOSE_EVERY}th PutItem answer lost after the write (SDK retries, 3 attempts)`,
      },
    ];
  } finally {
    client.destroy();
    admin.destroy();
    await counter.stop();
    await db.stop();
  }
}

function lambdaContext() {
  const startedAt = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench-post-confirmation',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-post-confirmation',
    memoryLimitInMB: '512',
    awsRequestId: 'provisioning-bench',
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 5_000 - (Date.now() - startedAt),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
