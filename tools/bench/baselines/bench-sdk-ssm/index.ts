// Cold-start baseline for PreSignUp and CustomMessage: a hand-written handler with only the SDK client
// those triggers import (SSM, for email-domain lists kept in Parameter Store). Like the triggers, it
// makes the client only when a parameter is configured, and otherwise answers from the environment.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

const parameter = process.env.ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER;
const ssm = parameter ? new SSMClient({}) : undefined;
const allowed = (process.env.ALLOWED_EMAIL_DOMAINS ?? '').split(/[\s,]+/).filter(Boolean);

export const handler = async (event: {
  request: { userAttributes?: Record<string, string> };
  response: Record<string, unknown>;
}) => {
  let domains = allowed;
  if (ssm !== undefined) {
    const output = await ssm.send(new GetParameterCommand({ Name: parameter }));
    domains = (output.Parameter?.Value ?? '').split(/[\s,]+/).filter(Boolean);
  }
  const domain = event.request.userAttributes?.email?.split('@').at(-1)?.toLowerCase() ?? '';
  if (!domains.includes(domain)) throw new Error('Email domain not allowed');
  return event;
};
