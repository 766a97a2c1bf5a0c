// Hand-written PreSignUp, domain lists inline in the environment: no SDK client at all.
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { handWritten, isEmailDomainAllowed, logger, splitDomainList } from './hand-written.js';

const allowed = splitDomainList(process.env.ALLOWED_EMAIL_DOMAINS);
const denied = splitDomainList(process.env.DENIED_EMAIL_DOMAINS);

export const handler = handWritten(async (event: PreSignUpTriggerEvent) => {
  if (!isEmailDomainAllowed(event.request.userAttributes.email ?? '', allowed, denied)) {
    logger.info('Sign-up refused');
    throw new Error('[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed');
  }
  event.response = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  logger.info('Sign-up allowed');
  return event;
});
