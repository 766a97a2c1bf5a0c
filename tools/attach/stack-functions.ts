import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import type { AwsClientOptions } from './cognito-admin.js';
import { AttachError } from './errors.js';
import { SENDER_KEY, type ToolkitFunctions, type ToolkitTrigger } from './lambda-config.js';
import type { FunctionSource } from './ports.js';

/** The template's output name for each trigger's function ARN. */
export const STACK_OUTPUTS: Readonly<Record<Exclude<ToolkitTrigger, 'CustomSender'>, string>> = Object.freeze(
  {
    PreSignUp: 'PreSignUpFunctionArn',
    UserMigration: 'UserMigrationFunctionArn',
    PreTokenGeneration: 'PreTokenGenerationFunctionArn',
    CustomMessage: 'CustomMessageFunctionArn',
    PostConfirmation: 'PostConfirmationFunctionArn',
  },
);

/** The sender's outputs; a stack deployed before the sender existed has neither, and attaches without it. */
export const SENDER_STACK_OUTPUTS = Object.freeze({
  CustomSender: 'CustomSenderFunctionArn',
  [SENDER_KEY]: 'CustomSenderKmsKeyArn',
});

/** Outputs a stack deployed with an older template may lack: their trigger is then left out, not an error. */
const OPTIONAL_OUTPUTS: ReadonlySet<ToolkitTrigger> = new Set(['PostConfirmation']);

/** The function ARNs from a stack's outputs; every missing output is named in one error. */
export function readFunctionsFromOutputs(stackName: string, outputs: readonly Output[]): ToolkitFunctions {
  const byName = new Map(outputs.map((output) => [output.OutputKey, output.OutputValue]));
  const functions: Partial<Record<ToolkitTrigger | typeof SENDER_KEY, string>> = {};
  const missing: string[] = [];
  for (const [trigger, outputKey] of Object.entries(STACK_OUTPUTS) as [ToolkitTrigger, string][]) {
    const value = byName.get(outputKey);
    if (value) functions[trigger] = value;
    else if (!OPTIONAL_OUTPUTS.has(trigger)) missing.push(outputKey);
  }
  const senderArn = byName.get(SENDER_STACK_OUTPUTS.CustomSender);
  const senderKey = byName.get(SENDER_STACK_OUTPUTS[SENDER_KEY]);
  if (senderArn && senderKey) {
    functions.CustomSender = senderArn;
    functions[SENDER_KEY] = senderKey;
  } else if (senderArn) {
    missing.push(SENDER_STACK_OUTPUTS[SENDER_KEY]);
  }
  if (missing.length > 0) {
    throw new AttachError(
      `Stack ${stackName} has no output ${missing.join(', ')}. Is it this toolkit's stack, fully deployed?`,
    );
  }
  return Object.freeze(functions);
}

/** A FunctionSource reading the ARNs from a deployed CloudFormation stack (DescribeStacks). */
export function createStackFunctionSource(
  stackName: string,
  options: Omit<AwsClientOptions, 'endpoint'>,
): FunctionSource {
  const client = new CloudFormationClient({ region: options.region });
  return {
    async resolveFunctions(): Promise<ToolkitFunctions> {
      let outputs: readonly Output[];
      try {
        const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
        outputs = Stacks?.[0]?.Outputs ?? [];
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        const detail = error instanceof Error ? error.message : String(error);
        if (/does not exist/i.test(detail)) {
          throw new AttachError(
            `Stack ${stackName} was not found in ${options.region}. Check --stack and --region.`,
            { cause: error },
          );
        }
        if (/AccessDenied|NotAuthorized|UnrecognizedClient/i.test(name)) {
          throw new AttachError(
            `Not allowed to call cloudformation:DescribeStacks on ${stackName} (${detail}).`,
            { cause: error },
          );
        }
        throw new AttachError(
          `cloudformation:DescribeStacks failed for ${stackName}: ${name || 'Error'}: ${detail}`,
          { cause: error },
        );
      }
      return readFunctionsFromOutputs(stackName, outputs);
    },
  };
}
