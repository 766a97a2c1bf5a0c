import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import {
  SENDER_KEY,
  TOKEN_VERSIONS,
  TOOLKIT_TRIGGERS,
  type TokenVersion,
  type ToolkitFunctions,
  type ToolkitTrigger,
} from './lambda-config.js';

/** Where the function ARNs come from. */
export type FunctionSourceOption =
  | { readonly kind: 'stack'; readonly stackName: string }
  | { readonly kind: 'functions'; readonly functions: ToolkitFunctions }
  /** The functions of a running `npm start`, found through `<stateDir>/endpoints.json`. */
  | { readonly kind: 'sandbox'; readonly stateDir: string };

export interface AttachOptions {
  readonly userPoolId: string;
  readonly source: FunctionSourceOption;
  readonly tokenVersion: TokenVersion;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly detach: boolean;
  readonly region?: string | undefined;
  readonly endpointUrl?: string | undefined;
}

export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly options: AttachOptions };

export const USAGE = `Usage: npm run attach -- --user-pool-id <id> (--stack <name> | --functions <Trigger>=<arn>,... | --sandbox) [options]

Attaches the toolkit's triggers to an existing user pool, keeping every other setting.

  --user-pool-id <id>      the pool, e.g. eu-west-1_AbCdEf123
  --stack <name>           read the function ARNs from this CloudFormation stack's outputs
  --functions <list>       PreSignUp=<arn>,UserMigration=<arn>,PreTokenGeneration=<arn>,CustomMessage=<arn>,
                           PostConfirmation=<arn>,CustomSender=<arn>,CustomSenderKmsKey=<kms key arn>
                           (any subset; only the triggers named are attached or detached; CustomSender
                           fills CustomEmailSender and CustomSMSSender (V1_0) and sets the pool's KMSKeyID)
  --sandbox                the functions of the running \`npm start\` (reads .sandbox/endpoints.json for the
                           Cognito endpoint; implies --yes and, as cognito-local sends V1 events, V1_0)
  --state-dir <dir>        with --sandbox: the sandbox's state folder (default $SANDBOX_STATE_DIR or .sandbox)
  --token-version <v>      V1_0, V2_0 (default) or V3_0 for the PreTokenGeneration trigger
  --dry-run                print the change and stop
  --yes                    apply without asking (required when not on a terminal)
  --detach                 remove our triggers instead (only slots that point at our functions)
  --region <r>             default: the region in the pool id
  --endpoint-url <url>     Cognito endpoint (e.g. cognito-local); default: AWS_ENDPOINT_URL
  --help                   show this text

Exit codes: 0 done (or nothing to do), 1 failed or declined, 2 bad arguments,
3 the pool was updated but a setting other than LambdaConfig changed.`;

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** Where `npm start` keeps its state unless told otherwise: SANDBOX_STATE_DIR, else `.sandbox`. */
export function defaultSandboxStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SANDBOX_STATE_DIR || '.sandbox';
}

/** Parses the CLI arguments; a UsageError lists every problem at once. */
export function parseAttachArgs(argv: readonly string[]): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'user-pool-id': { type: 'string' },
        stack: { type: 'string' },
        sandbox: { type: 'boolean', default: false },
        'state-dir': { type: 'string' },
        functions: { type: 'string', multiple: true },
        'token-version': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        detach: { type: 'boolean', default: false },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError([error instanceof Error ? error.message : String(error)]);
  }
  if (values.help) return { help: true };

  const problems: string[] = [];
  const userPoolId = values['user-pool-id'];
  if (!userPoolId) problems.push('--user-pool-id is required');
  else if (!USER_POOL_ID.test(userPoolId))
    problems.push(`--user-pool-id "${userPoolId}" is not a user pool id (region_id)`);

  let source: FunctionSourceOption | undefined;
  const sources = [values.stack !== undefined, values.functions !== undefined, values.sandbox === true];
  if (sources.filter(Boolean).length > 1) {
    problems.push('give only one of --stack, --functions and --sandbox');
  } else if (values.sandbox) {
    source = { kind: 'sandbox', stateDir: values['state-dir'] ?? defaultSandboxStateDir() };
  } else if (values.stack !== undefined) {
    if (values.stack.trim() === '') problems.push('--stack needs a stack name');
    else source = { kind: 'stack', stackName: values.stack.trim() };
  } else if (values.functions !== undefined) {
    const functions = parseFunctionList(values.functions.join(','), problems);
    if (Object.keys(functions).length === 0) problems.push('--functions names no function');
    if (functions.CustomSender && !functions[SENDER_KEY] && !values.detach) {
      problems.push(
        `--functions: CustomSender needs ${SENDER_KEY}=<kms key arn>, the key the pool encrypts codes with`,
      );
    }
    if (functions[SENDER_KEY] && !functions.CustomSender) {
      problems.push(`--functions: ${SENDER_KEY} goes with CustomSender=<arn>`);
    }
    source = { kind: 'functions', functions };
  } else {
    problems.push('one of --stack, --functions or --sandbox is required');
  }
  if (values['state-dir'] !== undefined && !values.sandbox) problems.push('--state-dir goes with --sandbox');

  const tokenVersion = values['token-version'] ?? (values.sandbox ? 'V1_0' : 'V2_0');
  if (!TOKEN_VERSIONS.includes(tokenVersion as TokenVersion)) {
    problems.push(`--token-version must be one of ${TOKEN_VERSIONS.join(', ')}`);
  }

  const endpointUrl = values['endpoint-url'];
  if (endpointUrl !== undefined && !URL.canParse(endpointUrl))
    problems.push(`--endpoint-url "${endpointUrl}" is not a URL`);

  if (problems.length > 0 || !userPoolId || !source) throw new UsageError(problems);
  return {
    help: false,
    options: Object.freeze({
      userPoolId,
      source,
      tokenVersion: tokenVersion as TokenVersion,
      dryRun: values['dry-run'] ?? false,
      // The sandbox is the user's own throwaway pool: nothing to confirm.
      yes: (values.yes ?? false) || values.sandbox === true,
      detach: values.detach ?? false,
      region: values.region,
      endpointUrl,
    }),
  };
}

function parseFunctionList(list: string, problems: string[]): ToolkitFunctions {
  const functions: Partial<Record<ToolkitTrigger | typeof SENDER_KEY, string>> = {};
  const names: readonly string[] = [...TOOLKIT_TRIGGERS, SENDER_KEY];
  for (const item of list
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const equals = item.indexOf('=');
    const name = equals < 0 ? item : item.slice(0, equals).trim();
    const arn = equals < 0 ? '' : item.slice(equals + 1).trim();
    const key = name as ToolkitTrigger | typeof SENDER_KEY;
    if (!names.includes(name)) {
      problems.push(`--functions: "${name}" is not one of ${names.join(', ')}`);
    } else if (!arn) {
      problems.push(`--functions: ${name} needs =<${key === SENDER_KEY ? 'kms key' : 'function'} arn>`);
    } else if (functions[key] !== undefined) {
      problems.push(`--functions: ${name} is given twice`);
    } else {
      functions[key] = arn;
    }
  }
  return Object.freeze(functions);
}
