import type { FunctionDefinition } from './template.js';
import { AWS_EXECUTION_ENV } from './runtime.js';

/** SAM's `--env-vars` file: `{"Parameters": {...}, "<LogicalId>": {...}}`. */
export type EnvVarsFile = Record<string, Record<string, unknown> | undefined>;

/**
 * The environment a function runs with locally, in `sam local invoke`'s order: the Lambda runtime's
 * own variables, the template's (parameter defaults resolved), then the env-vars file's `Parameters`
 * and its `<LogicalId>` section, which only override variables the template declares. AWS endpoint
 * and credential variables of the calling shell pass through so local emulators work unchanged.
 */
export function functionEnvironment(
  fn: FunctionDefinition,
  envVars: EnvVarsFile | undefined,
  callerEnv: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const declared = { ...fn.environment };
  for (const section of [envVars?.Parameters, envVars?.[fn.logicalId]]) {
    for (const [key, value] of Object.entries(section ?? {})) {
      if (key in declared) declared[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  const passThrough = Object.fromEntries(
    Object.entries(callerEnv).filter(([key]) =>
      /^(AWS_ENDPOINT_URL(_\w+)?|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_PROFILE|PATH|HOME|TZ|NODE_OPTIONS|NODE_EXTRA_CA_CERTS)$/.test(
        key,
      ),
    ),
  );
  return {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...passThrough,
    AWS_REGION: callerEnv.AWS_REGION ?? 'us-east-1',
    AWS_DEFAULT_REGION: callerEnv.AWS_REGION ?? 'us-east-1',
    AWS_SAM_LOCAL: 'true',
    // What Lambda sets for an on-demand environment; Powertools reports cold_start only with it.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.logicalId}`,
    AWS_EXECUTION_ENV,
    ...declared,
  };
}
