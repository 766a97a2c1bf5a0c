import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import type { InvocationResult, LambdaContainer } from './lambda-container.js';
import { listenLocally, sendJson } from './local-http-server.js';
import {
  customMessageEventOf,
  readSenderEvent,
  type CognitoEmail,
  type SenderEvent,
} from './emulate-cognito.js';
import {
  attachedFunctionOf,
  functionNameOf,
  SANDBOX_TRIGGERS,
  sandboxTriggerOf,
  type SandboxTrigger,
} from './pool-triggers.js';

export { functionNameOf } from './pool-triggers.js';

/** One invocation as the sandbox saw it: enough to tell what happened, never the event itself. */
export interface InvocationRecord {
  readonly functionName: string;
  readonly triggerSource: string | undefined;
  readonly ok: boolean;
  /** The error Lambda reported (user-safe by contract: `[CODE] sentence`), when the handler threw. */
  readonly errorType?: string;
  readonly errorMessage?: string;
}

/**
 * Rewrites a successful answer before it goes back to the caller: where the sandbox emulates what
 * Cognito itself does with a trigger's answer and cognito-local does not (see `emulate-cognito.ts`).
 */
export type AnswerHook = (functionName: string, event: unknown, answer: unknown) => unknown;

/**
 * Rewrites an event before the function gets it: where Cognito itself changes the user before a
 * trigger runs and cognito-local does not (see `emulate-cognito.ts`).
 */
export type EventHook = (functionName: string, event: unknown) => unknown;

export interface LambdaInvokeServer {
  /** e.g. `http://127.0.0.1:3001`: the `endpoint` of a Lambda client (SDK v2 or v3). */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface LambdaInvokeServerOptions {
  readonly host?: string;
  /** 0 for an ephemeral port. */
  readonly port: number;
  /** Containers by function name (the template's logical id). */
  readonly containers: ReadonlyMap<string, LambdaContainer>;
  readonly onInvocation?: (record: InvocationRecord, event: unknown, answer: unknown) => void;
  readonly answerHook?: AnswerHook;
  readonly eventHook?: EventHook;
  /** Served as JSON on `GET /sandbox/invocations`, so a separate process (the demo) can see them. */
  readonly listInvocations?: () => readonly InvocationRecord[];
  /**
   * The LambdaConfig of a user pool of the sandbox, or undefined when no such pool exists. Given it,
   * an event from a known pool runs the function that pool attaches at the event's trigger point, or
   * none (see {@link SandboxTrigger.whenDetached}); an event from no known pool (a recorded fixture
   * sent by hand) runs the function named in the path.
   */
  readonly lambdaConfigOf?: (userPoolId: string) => Promise<LambdaConfigType | undefined>;
  /** Told when a pool has no function at the trigger point of an event it sent. */
  readonly onNotAttached?: (userPoolId: string, trigger: SandboxTrigger) => void;
  /**
   * Delivers a message as Cognito does for a pool with no custom sender (a `CustomEmailSender_*` event of a
   * pool that does not attach one): `rendered` is what the pool's CustomMessage trigger answered, which the
   * server has run first, or undefined when the pool has none or it failed (then Cognito's default message).
   */
  readonly deliverWithoutSender?: (event: SenderEvent, rendered: CognitoEmail | undefined) => Promise<void>;
}

type Route =
  | { readonly kind: 'function'; readonly functionName: string }
  | {
      readonly kind: 'not-attached';
      readonly trigger: SandboxTrigger;
      readonly lambdaConfig: LambdaConfigType;
    };

async function routeOf(
  options: LambdaInvokeServerOptions,
  pathFunctionName: string,
  event: unknown,
): Promise<Route> {
  const { userPoolId, triggerSource } = (event ?? {}) as { userPoolId?: unknown; triggerSource?: unknown };
  if (!options.lambdaConfigOf || typeof userPoolId !== 'string' || typeof triggerSource !== 'string')
    return { kind: 'function', functionName: pathFunctionName };
  const trigger = sandboxTriggerOf(triggerSource);
  if (!trigger) return { kind: 'function', functionName: pathFunctionName };
  const lambdaConfig = await options.lambdaConfigOf(userPoolId);
  if (lambdaConfig === undefined) return { kind: 'function', functionName: pathFunctionName };
  const attached = attachedFunctionOf(lambdaConfig, trigger);
  return attached === undefined
    ? { kind: 'not-attached', trigger, lambdaConfig }
    : { kind: 'function', functionName: attached };
}

const CUSTOM_MESSAGE_TRIGGER = SANDBOX_TRIGGERS.find((trigger) => trigger.slot === 'CustomMessage')!;

/**
 * What Cognito does with a message when the pool has no custom sender: the pool's CustomMessage trigger,
 * if it attaches one, renders it (run and recorded like any invocation), then the message is delivered.
 */
async function deliverWithoutSender(
  options: LambdaInvokeServerOptions,
  event: unknown,
  lambdaConfig: LambdaConfigType,
): Promise<void> {
  const senderEvent = readSenderEvent(event);
  if (!senderEvent || !options.deliverWithoutSender) return;
  let rendered: CognitoEmail | undefined = undefined;
  const customMessageFunction = attachedFunctionOf(lambdaConfig, CUSTOM_MESSAGE_TRIGGER);
  const container =
    customMessageFunction === undefined ? undefined : options.containers.get(customMessageFunction);
  if (customMessageFunction !== undefined && container) {
    const customMessageEvent = customMessageEventOf(senderEvent);
    const result = finishInvocation(
      options,
      customMessageFunction,
      customMessageEvent,
      await container.invoke(JSON.stringify(customMessageEvent)),
    );
    // As cognito-local does, a CustomMessage trigger that fails leaves Cognito's default message.
    const response = result.ok
      ? (JSON.parse(result.payload) as { response?: Partial<CognitoEmail> | null }).response
      : undefined;
    if (response?.emailMessage) {
      rendered = { emailSubject: response.emailSubject ?? '', emailMessage: response.emailMessage };
    }
  }
  await options.deliverWithoutSender(senderEvent, rendered);
}

function sendNotAttached(response: ServerResponse, trigger: SandboxTrigger, event: unknown): void {
  const text =
    trigger.whenDetached !== 'refuse'
      ? JSON.stringify(event)
      : JSON.stringify({
          errorType: 'Sandbox.NotAttached',
          errorMessage: `The user pool has no ${trigger.slot} trigger`,
        });
  response.writeHead(200, {
    ...(trigger.whenDetached === 'refuse' ? { 'X-Amz-Function-Error': 'Unhandled' } : {}),
    'X-Amz-Executed-Version': '$LATEST',
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/**
 * Serves the Lambda `Invoke` API (`POST /2015-03-31/functions/{name}/invocations`) the way the AWS
 * SDK v2 and v3 Lambda clients call it: the function answers 200 with its returned JSON, or 200 with
 * `X-Amz-Function-Error: Unhandled` and `{"errorType","errorMessage"}` when it throws, as Lambda does.
 *
 * @example
 * ```ts
 * const server = await startLambdaInvokeServer({ port: 0, containers });
 * const lambda = new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
 * ```
 */
export async function startLambdaInvokeServer(
  options: LambdaInvokeServerOptions,
): Promise<LambdaInvokeServer> {
  const server = createServer((request, response) => {
    handleRequest(options, request, response).catch((error: unknown) => {
      sendJson(
        response,
        500,
        { Type: 'Service', Message: String(error) },
        { 'x-amzn-ErrorType': 'ServiceException' },
      );
    });
  });
  return listenLocally(server, options.port, options.host);
}

async function handleRequest(
  options: LambdaInvokeServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
  if (request.method === 'GET' && path === '/sandbox/invocations' && options.listInvocations) {
    sendJson(response, 200, options.listInvocations(), {});
    return;
  }
  const match = INVOKE_PATH.exec(path);
  if (request.method !== 'POST' || !match) {
    sendJson(
      response,
      404,
      { Type: 'User', Message: 'The sandbox serves only the Invoke API' },
      {
        'x-amzn-ErrorType': 'ResourceNotFoundException',
      },
    );
    return;
  }
  const functionName = functionNameOf(decodeURIComponent(match[1]!));
  const container = options.containers.get(functionName);
  const body = await readBody(request);
  if (!container) {
    const known = [...options.containers.keys()].join(', ');
    sendJson(
      response,
      404,
      { Type: 'User', Message: `Function not found: ${functionName} (sandbox functions: ${known})` },
      {
        'x-amzn-ErrorType': 'ResourceNotFoundException',
      },
    );
    return;
  }
  const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (invocationType === 'DryRun') {
    response.writeHead(204).end();
    return;
  }
  let event: unknown;
  try {
    event = JSON.parse(body === '' ? 'null' : body);
  } catch {
    sendJson(
      response,
      400,
      { Type: 'User', Message: 'Could not parse request body into json' },
      {
        'x-amzn-ErrorType': 'InvalidRequestContentException',
      },
    );
    return;
  }
  if (options.eventHook) event = await options.eventHook(functionName, event);
  // Cognito runs what the pool's LambdaConfig names at that trigger point, whatever cognito-local was told.
  const route = await routeOf(options, functionName, event);
  if (route.kind === 'not-attached') {
    options.onNotAttached?.((event as { userPoolId: string }).userPoolId, route.trigger);
    if (route.trigger.whenDetached === 'cognito-delivers')
      await deliverWithoutSender(options, event, route.lambdaConfig);
    sendNotAttached(response, route.trigger, event);
    return;
  }
  const target = options.containers.get(route.functionName);
  if (!target) {
    sendJson(
      response,
      404,
      { Type: 'User', Message: `Function not found: ${route.functionName}` },
      { 'x-amzn-ErrorType': 'ResourceNotFoundException' },
    );
    return;
  }
  const run = target
    .invoke(JSON.stringify(event))
    .then((result) => finishInvocation(options, route.functionName, event, result));
  if (invocationType === 'Event') {
    response.writeHead(202, { 'Content-Length': '0' }).end();
    await run;
    return;
  }
  const result = await run;
  const headers: Record<string, string> = { 'X-Amz-Executed-Version': '$LATEST' };
  if (!result.ok) headers['X-Amz-Function-Error'] = 'Unhandled';
  const text = result.ok
    ? result.payload
    : JSON.stringify({ errorType: result.errorType, errorMessage: result.errorMessage });
  response.writeHead(200, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function finishInvocation(
  options: LambdaInvokeServerOptions,
  functionName: string,
  event: unknown,
  result: InvocationResult,
): InvocationResult {
  const triggerSource = (event as { triggerSource?: unknown } | null)?.triggerSource;
  const source = typeof triggerSource === 'string' ? triggerSource : undefined;
  if (!result.ok) {
    const record = {
      functionName,
      triggerSource: source,
      ok: false,
      errorType: result.errorType,
      errorMessage: result.errorMessage,
    };
    options.onInvocation?.(record, event, undefined);
    return result;
  }
  let answer: unknown = JSON.parse(result.payload);
  if (options.answerHook) answer = options.answerHook(functionName, event, answer);
  options.onInvocation?.({ functionName, triggerSource: source, ok: true }, event, answer);
  return { ok: true, payload: JSON.stringify(answer) };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}
