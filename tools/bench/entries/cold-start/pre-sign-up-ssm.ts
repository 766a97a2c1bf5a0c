// Hand-written PreSignUp, allowed domains in an SSM parameter: the SSM client, made at module scope,
// one GetParameter on the first invocation, cached for the container's life.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { handWritten, isEmailDomainAllowed, logger, splitDomainList } from './hand-written.js';

const ssm = new SSMClient({});
const denied = splitDomainList(process.env.DENIED_EMAIL_DOMAINS);
let allowed: Promise<string[]> | undefined;

async function loadAllowed(): Promise<string[]> {
  const output = await ssm.send(
    new GetParameterCommand({ Name: process.env.ALLOWED_EMAIL_DOMAINS_SSM_PARAMETER, WithDecryption: true }),
  );
  return splitDomainList(output.Parameter?.Value);
}

export const handler = handWritten(async (event: PreSignUpTriggerEvent) => {
  allowed ??= loadAllowed();
  if (!isEmailDomainAllowed(event.request.userAttributes.email ?? '', await allowed, denied)) {
    logger.info('Sign-up refused');
    throw new Error('[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed');
  }
  event.response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  logger.info('Sign-up allowed');
  return event;
});
