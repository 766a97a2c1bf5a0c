import { rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ResourceNotFoundException,
  type LambdaConfigType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildAll, outputDirOf } from '../build.js';
import { describeFunction, listFunctions, loadTemplate } from '../lib/template.js';
import { functionEnvironment } from '../lib/function-env.js';
import { startClaimsApi, type PoolDirectory } from './claims-api.js';
import { startCognitoLocalServer } from './cognito-local-server.js';
import {
  cognitoDefaultEmailOf,
  emulateCognitoAnswer,
  emulateEmailVerifiedOnConfirmation,
  fillEmail,
  type CognitoEmail,
  type SenderEvent,
  type VerifiedEmail,
} from './emulate-cognito.js';
import { createLambdaContainer, type LambdaContainer } from './lambda-container.js';
import { startLambdaInvokeServer, type InvocationRecord } from './lambda-invoke-server.js';
import { SANDBOX_LEGACY_USER_QUERY, startLegacyDatabase } from './legacy-database.js';
import { createMessageOutbox, type CapturedMessage } from './message-outbox.js';
import {
  SANDBOX_SENDER_TRIGGER,
  SANDBOX_TRIGGERS,
  sandboxLambdaConfig,
  type SandboxCustomSender,
} from './pool-triggers.js';
import { describeSampleUsers, type SampleUser } from './sample-users.js';
import { startTenantTable } from './tenant-table.js';
import {
  startCustomSenderServices,
  TEST_RAW_AES_KEY_BASE64,
  type CustomSenderServices,
} from './custom-sender-services.js';

export type { SampleUser } from './sample-users.js';

/** Ports of the sandbox's servers; 0 picks a free one (tests). */
export interface SandboxPorts {
  readonly cognito: number;
  readonly lambda: number;
  readonly dynamodb: number;
  readonly postgres: number;
  /** The lab's protected API (`GET /claims`). */
  readonly api: number;
}

export const DEFAULT_SANDBOX_PORTS: SandboxPorts = Object.freeze({
  cognito: 9229,
  lambda: 3001,
  dynamodb: 8000,
  postgres: 5433,
  api: 3002,
});

export interface SandboxOptions {
  /** Where the sandbox keeps its state (cognito-local's data, captured messages); default `.sandbox`. */
  readonly stateDir?: string;
  readonly ports?: Partial<SandboxPorts>;
  /** Run `npm run build` first (default true). */
  readonly build?: boolean;
  /** Template parameter overrides on top of the sandbox's own (SAM's `--parameter-overrides`). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Extra environment per function (logical id -> variables), applied last. */
  readonly functionEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** POWERTOOLS_LOG_LEVEL of the triggers; default INFO. */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Receives every log line: the functions' (source = logical id) and cognito-local's (`cognito-local`). */
  readonly onLog?: (source: string, line: string) => void;
  /** Called after each trigger invocation (never with the event's content). */
  readonly onInvocation?: (record: InvocationRecord) => void;
  /**
   * Attach CustomSenderFunction as the custom email sender of the sandbox's own pool (local KMS, local SES),
   * and let `npm run attach -- --sandbox` attach it to other pools. cognito-local then hands every pool's
   * messages to a sender; the sandbox delivers those of a pool without one as Cognito would. Opt-in.
   */
  readonly customSender?: { readonly sesPort?: number; readonly kmsPort?: number };
}

export interface Sandbox {
  /** The Cognito API (cognito-local): `aws --endpoint-url <this> cognito-idp ...`. */
  readonly cognitoEndpoint: string;
  /** The Lambda Invoke API serving the built triggers. */
  readonly lambdaEndpoint: string;
  readonly dynamoDbEndpoint: string;
  /** The lab's protected API: `GET <this>/claims` with `Authorization: Bearer <ID token>`. */
  readonly apiEndpoint: string;
  readonly legacyDbUrl: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The token issuer (`iss`) and its JWKS. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly tenantTableName: string;
  readonly stateDir: string;
  readonly messagesDir: string;
  readonly sampleUsers: readonly SampleUser[];
  /** Every trigger invocation so far, oldest first. */
  invocations(): InvocationRecord[];
  /** Every message the CustomMessage trigger rendered, oldest first. */
  messages(): CapturedMessage[];
  /** With `customSender`: the local SES (aws-ses-v2-local) our sender delivered to; its web UI is at the endpoint. */
  readonly sesEndpoint?: string;
  /** With `customSender`: the KMS key (local KMS) of the sender's codes, the `KMSKeyID` of a pool that attaches it. */
  readonly customSenderKmsKeyArn?: string;
  /** Takes the legacy database down (the migration trigger then fails closed). */
  stopLegacyDatabase(): Promise<void>;
  /** Stops every server and child process. */
  stop(): Promise<void>;
}

const TENANT_TABLE = 'TenantTable';
/** Under the state folder while a sandbox runs: its endpoints and ids ({@link RunningSandbox}). */
export const SANDBOX_STATE_FILE = 'sandbox.json';
/** Under the state folder while a sandbox runs, for scripts: `{cognito, dynamodb, api, userPoolId, clientId}`. */
export const SANDBOX_ENDPOINTS_FILE = 'endpoints.json';

/** The contract's `.sandbox/endpoints.json`. */
export interface SandboxEndpoints {
  readonly cognito: string;
  readonly dynamodb: string;
  readonly api: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

/** What another process needs to use a running sandbox. */
export type RunningSandbox = Pick<
  Sandbox,
  | 'cognitoEndpoint'
  | 'lambdaEndpoint'
  | 'apiEndpoint'
  | 'region'
  | 'userPoolId'
  | 'clientId'
  | 'issuer'
  | 'jwksUrl'
  | 'messagesDir'
  | 'sampleUsers'
  | 'sesEndpoint'
  | 'customSenderKmsKeyArn'
>;

function describeRunningSandbox(sandbox: Sandbox): RunningSandbox {
  const {
    cognitoEndpoint,
    lambdaEndpoint,
    apiEndpoint,
    region,
    userPoolId,
    clientId,
    issuer,
    jwksUrl,
    messagesDir,
    sampleUsers,
    sesEndpoint,
    customSenderKmsKeyArn,
  } = sandbox;
  return {
    ...(sesEndpoint === undefined ? {} : { sesEndpoint }),
    ...(customSenderKmsKeyArn === undefined ? {} : { customSenderKmsKeyArn }),
    cognitoEndpoint,
    lambdaEndpoint,
    apiEndpoint,
    region,
    userPoolId,
    clientId,
    issuer,
    jwksUrl,
    messagesDir,
    sampleUsers,
  };
}
const REGION = 'us-east-1';

/** The sender's environment when cognito-local does not call it: the raw AES keyring with the test key. */
const CUSTOM_SENDER_RAW_KEY_ENV: Readonly<Record<string, string>> = Object.freeze({
  KEY_PROVIDER: 'raw-aes',
  RAW_AES_KEY_BASE64: TEST_RAW_AES_KEY_BASE64,
  KMS_KEY_ARN: '',
  IDEMPOTENCY_TABLE_NAME: '',
});
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Template parameters of the sandbox: a small domain policy and the embedded legacy database. */
export const SANDBOX_PARAMETERS: Readonly<Record<string, string>> = Object.freeze({
  AllowedEmailDomains: 'example.com *.example.com',
  DeniedEmailDomains: 'blocked.example.com',
  AppName: 'Sandbox App',
  AppUrl: 'http://localhost:3000',
  LegacyStore: 'postgres',
  LegacyUserQuery: SANDBOX_LEGACY_USER_QUERY,
  // An admin-created user (PostConfirmation never runs for them) gets the domain rule at first sign-in.
  OnMissingTenant: 'provision',
});

/**
 * The sandbox pool's password policy. The seeded hashes are reference vectors whose password is
 * `correct horse battery staple`, which a policy requiring digits or capitals would refuse; the
 * migration trigger is told the same policy, as it must be told the real pool's.
 */
export const SANDBOX_PASSWORD_POLICY = Object.freeze({
  MinimumLength: 8,
  RequireLowercase: true,
  RequireUppercase: false,
  RequireNumbers: false,
  RequireSymbols: false,
});

/**
 * Starts the whole toolkit offline: builds the triggers, runs each in a warm child process behind a
 * local Lambda Invoke API, starts dynalite (seeded tenant table), PGlite over the PostgreSQL wire
 * protocol (seeded legacy users) and cognito-local wired to the triggers, then creates a user
 * pool and an app client. Everything started is stopped again if a later step fails.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ stateDir: tmp, ports: { cognito: 0, lambda: 0, dynamodb: 0, postgres: 0, api: 0 } });
 * const cognito = new CognitoIdentityProviderClient({ endpoint: sandbox.cognitoEndpoint, region: sandbox.region });
 * await sandbox.stop();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ports = { ...DEFAULT_SANDBOX_PORTS, ...options.ports };
  const stateDir = resolve(options.stateDir ?? '.sandbox');
  const cognitoDir = join(stateDir, 'cognito');
  const messagesDir = join(stateDir, 'messages');
  // The tenant table and the legacy database live in memory: cognito-local's users must start afresh with them.
  await rm(cognitoDir, { recursive: true, force: true });
  await rm(messagesDir, { recursive: true, force: true });
  const onLog = options.onLog ?? (() => undefined);
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
  };

  try {
    if (options.build !== false) await buildAll();

    const tenantTable = await startTenantTable({ port: ports.dynamodb, tableName: TENANT_TABLE });
    stoppers.push(() => tenantTable.stop());
    const legacyDb = await startLegacyDatabase({ port: ports.postgres });
    let legacyDbStopped = false;
    const stopLegacyDatabase = async (): Promise<void> => {
      if (legacyDbStopped) return;
      legacyDbStopped = true;
      await legacyDb.stop();
    };
    stoppers.push(stopLegacyDatabase);

    const senderServices: CustomSenderServices | undefined =
      options.customSender === undefined
        ? undefined
        : await startCustomSenderServices({
            ...options.customSender,
            region: REGION,
            dynamoDbEndpoint: tenantTable.endpoint,
          });
    if (senderServices) stoppers.push(() => senderServices.stop());
    const customSender: SandboxCustomSender | undefined = senderServices
      ? { kmsKeyArn: senderServices.kmsKeyArn }
      : undefined;

    const template = loadTemplate();
    const parameters = {
      ...SANDBOX_PARAMETERS,
      LogLevel: options.logLevel ?? 'INFO',
      ...options.parameters,
    };
    const callerEnv = { ...process.env, AWS_REGION: REGION, AWS_ENDPOINT_URL_DYNAMODB: tenantTable.endpoint };
    const sandboxOnlyEnv: Record<string, Record<string, string>> = {
      // Variables the template leaves to their defaults but the sandbox must set: the embedded database's
      // URL (LEGACY_DB_URL is for local use; deployed, the credentials come from a secret), plaintext to it,
      // and the sandbox pool's password policy.
      UserMigrationFunction: {
        LEGACY_DB_URL: legacyDb.url,
        LEGACY_DB_TLS: 'off',
        PASSWORD_MIN_LENGTH: String(SANDBOX_PASSWORD_POLICY.MinimumLength),
        PASSWORD_REQUIRE_LOWERCASE: String(SANDBOX_PASSWORD_POLICY.RequireLowercase),
        PASSWORD_REQUIRE_UPPERCASE: String(SANDBOX_PASSWORD_POLICY.RequireUppercase),
        PASSWORD_REQUIRE_NUMBERS: String(SANDBOX_PASSWORD_POLICY.RequireNumbers),
        PASSWORD_REQUIRE_SYMBOLS: String(SANDBOX_PASSWORD_POLICY.RequireSymbols),
      },
      // A membership added by hand (docs/tutorial.md) counts at the next sign-in, not 30 s later.
      PreTokenGenerationFunction: { TENANT_NEGATIVE_CACHE_TTL_SECONDS: '0' },
      // Without cognito-local's calls the sender still answers direct invokes, with the test raw key.
      CustomSenderFunction: senderServices?.functionEnv ?? CUSTOM_SENDER_RAW_KEY_ENV,
    };
    const containers = new Map<string, LambdaContainer>();
    for (const logicalId of listFunctions(template)) {
      const fn = describeFunction(template, logicalId, parameters);
      containers.set(
        logicalId,
        createLambdaContainer({
          functionName: logicalId,
          bundlePath: join(outputDirOf(fn), 'index.mjs'),
          handler: fn.handler,
          timeoutSeconds: fn.timeoutSeconds,
          env: {
            ...functionEnvironment(fn, undefined, callerEnv),
            ...sandboxOnlyEnv[logicalId],
            ...options.functionEnv?.[logicalId],
          },
          onLog: (line) => onLog(logicalId, line),
        }),
      );
    }
    stoppers.push(async () => {
      await Promise.all([...containers.values()].map((container) => container.stop()));
    });

    // Pools are looked up in cognito-local as each event arrives, so an attach or a detach counts at once.
    let poolAdmin: CognitoIdentityProviderClient | undefined = undefined;
    const describePool = async (userPoolId: string): Promise<UserPoolType | undefined> => {
      if (!poolAdmin) return undefined;
      try {
        return (await poolAdmin.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool;
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }
    };
    const lambdaConfigOf = async (userPoolId: string): Promise<LambdaConfigType | undefined> => {
      const pool = await describePool(userPoolId);
      return pool === undefined ? undefined : (pool.LambdaConfig ?? {});
    };
    // A pool without a sender in sender mode: Cognito delivers the message itself. The sandbox shows it where
    // it shows cognito-local's deliveries: in the log, code included (CustomMessage's rendering, as always,
    // also in the outbox).
    const deliverWithoutSender = async (event: SenderEvent, rendered: CognitoEmail | undefined) => {
      if (!senderServices) return;
      const code = await senderServices.decryptCode(event.request.code).catch((error: unknown) => {
        onLog('sandbox', `could not decrypt the code of ${event.triggerSource}: ${String(error)}`);
        throw error;
      });
      const email = fillEmail(
        rendered ?? cognitoDefaultEmailOf(event.triggerSource, await describePool(event.userPoolId)),
        code,
        event.userName,
      );
      const to = event.request.userAttributes?.email ?? '(no email)';
      const body = rendered
        ? `CustomMessageFunction's message (in ${messagesDir})`
        : `Cognito's default message ${JSON.stringify(email.emailMessage)}`;
      onLog(
        'sandbox',
        `email for ${event.triggerSource} delivered to ${to} without a sender (pool ${event.userPoolId} has no ${SANDBOX_SENDER_TRIGGER.slot}): subject "${email.emailSubject}", code ${code}, ${body}`,
      );
    };
    const pools: PoolDirectory = {
      async appClientIdsOf(userPoolId) {
        if (!poolAdmin) return undefined;
        try {
          const { UserPoolClients } = await poolAdmin.send(
            new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
          );
          return (UserPoolClients ?? []).flatMap((client) => (client.ClientId ? [client.ClientId] : []));
        } catch (error) {
          if (error instanceof ResourceNotFoundException) return undefined;
          throw error;
        }
      },
    };

    const outbox = createMessageOutbox(messagesDir);
    const records: InvocationRecord[] = [];
    // Known once cognito-local runs; the confirmations it sends come after that.
    const started: { cognitoEndpoint?: string } = {};
    const lambda = await startLambdaInvokeServer({
      port: ports.lambda,
      containers,
      answerHook: emulateCognitoAnswer,
      eventHook: async (_functionName, event) => {
        const emulated = emulateEmailVerifiedOnConfirmation(event);
        if (emulated.verified !== undefined && started.cognitoEndpoint !== undefined) {
          await markEmailVerified(started.cognitoEndpoint, emulated.verified).catch((error: unknown) =>
            onLog(
              'sandbox',
              `could not mark the confirmed email verified in cognito-local: ${String(error)}`,
            ),
          );
        }
        return emulated.event;
      },
      listInvocations: () => records,
      lambdaConfigOf,
      onNotAttached: (userPoolId, trigger) =>
        onLog(
          'sandbox',
          `pool ${userPoolId} has no ${trigger.slot} trigger: ${trigger.whenDetached === 'cognito-delivers' ? 'Cognito delivers its own message' : 'nothing was invoked'}`,
        ),
      deliverWithoutSender,
      onInvocation: (record, event, answer) => {
        records.push(record);
        if (record.ok) outbox.capture(event, answer);
        options.onInvocation?.(record);
      },
    });
    stoppers.push(() => lambda.stop());

    const cognito = await startCognitoLocalServer({
      dataDir: cognitoDir,
      port: ports.cognito,
      config: {
        LambdaClient: {
          endpoint: lambda.endpoint,
          region: REGION,
          credentials: LOCAL_CREDENTIALS,
          maxRetries: 0,
        },
        // cognito-local calls every trigger for every pool; the invoke server then runs what the pool
        // attaches. With --custom-sender, cognito-local sends every pool's messages to the sender slot, and
        // the invoke server delivers those of a pool without one as Cognito would.
        TriggerFunctions: {
          ...Object.fromEntries(SANDBOX_TRIGGERS.map((trigger) => [trigger.slot, trigger.functionName])),
          ...(senderServices ? { [SANDBOX_SENDER_TRIGGER.slot]: SANDBOX_SENDER_TRIGGER.functionName } : {}),
        },
        ...(senderServices ? { KMSConfig: senderServices.cognitoLocalKmsConfig } : {}),
        UserPoolDefaults: { UsernameAttributes: ['email'] },
      },
      onLog: (line) => onLog('cognito-local', line),
    });
    stoppers.push(() => cognito.stop());
    started.cognitoEndpoint = cognito.endpoint;
    poolAdmin = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region: REGION,
      credentials: { ...LOCAL_CREDENTIALS },
      maxAttempts: 1,
    });
    const admin = poolAdmin;
    stoppers.push(async () => admin.destroy());

    const api = await startClaimsApi({
      port: ports.api,
      cognitoEndpoint: cognito.endpoint,
      pools,
      onRefused: (reason) => onLog('api', `GET /claims -> 401 (${reason})`),
    });
    stoppers.push(() => api.stop());

    const { userPoolId, clientId } = await createPoolAndClient(cognito.endpoint, customSender);
    const issuer = `${cognito.endpoint}/${userPoolId}`;
    const sandbox: Sandbox = {
      cognitoEndpoint: cognito.endpoint,
      lambdaEndpoint: lambda.endpoint,
      dynamoDbEndpoint: tenantTable.endpoint,
      apiEndpoint: api.endpoint,
      legacyDbUrl: legacyDb.url,
      region: REGION,
      userPoolId,
      clientId,
      issuer,
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      tenantTableName: TENANT_TABLE,
      stateDir,
      messagesDir,
      sampleUsers: describeSampleUsers(),
      invocations: () => [...records],
      messages: () => outbox.list(),
      ...(senderServices
        ? { sesEndpoint: senderServices.sesEndpoint, customSenderKmsKeyArn: senderServices.kmsKeyArn }
        : {}),
      stopLegacyDatabase,
      stop: stopAll,
    };
    // How a separate process (`npm run demo -- --use-running`) finds this sandbox.
    await writeJsonWhole(join(stateDir, SANDBOX_STATE_FILE), describeRunningSandbox(sandbox));
    stoppers.unshift(() => rm(join(stateDir, SANDBOX_STATE_FILE), { force: true }));
    const endpoints: SandboxEndpoints = {
      cognito: sandbox.cognitoEndpoint,
      dynamodb: sandbox.dynamoDbEndpoint,
      api: sandbox.apiEndpoint,
      userPoolId,
      clientId,
    };
    await writeJsonWhole(join(stateDir, SANDBOX_ENDPOINTS_FILE), endpoints);
    stoppers.unshift(() => rm(join(stateDir, SANDBOX_ENDPOINTS_FILE), { force: true }));
    return sandbox;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** What Cognito stores on a code-confirmed sign-up: the email verified (cognito-local 5.3 does not). */
async function markEmailVerified(endpoint: string, user: VerifiedEmail): Promise<void> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: { ...LOCAL_CREDENTIALS },
    maxAttempts: 1,
  });
  try {
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: user.userPoolId,
        Username: user.username,
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  } finally {
    client.destroy();
  }
}

// Written aside and renamed into place: a script that polls for the file never reads half of it.
async function writeJsonWhole(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

async function createPoolAndClient(
  endpoint: string,
  customSender: SandboxCustomSender | undefined,
): Promise<{ userPoolId: string; clientId: string }> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: { ...LOCAL_CREDENTIALS },
  });
  try {
    // The template's pool, as far as cognito-local models it (password policy: see SANDBOX_PASSWORD_POLICY).
    const pool = await client.send(
      new CreateUserPoolCommand({
        PoolName: 'sandbox-users',
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        Policies: { PasswordPolicy: { ...SANDBOX_PASSWORD_POLICY, TemporaryPasswordValidityDays: 7 } },
        Schema: [{ Name: 'locale', AttributeDataType: 'String', Mutable: true }],
        // The template's pool has every trigger attached (the sender too, in sender mode); describe-user-pool
        // shows them.
        LambdaConfig: sandboxLambdaConfig(customSender),
      }),
    );
    const userPoolId = pool.UserPool?.Id;
    if (!userPoolId) throw new Error('cognito-local created a user pool without an id');
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'sandbox-app',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = appClient.UserPoolClient?.ClientId;
    if (!clientId) throw new Error('cognito-local created an app client without an id');
    return { userPoolId, clientId };
  } finally {
    client.destroy();
  }
}
