import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { createEmailDomainGuardFromSources } from '../../shared/email-domain/email-domain-guard.js';
import { RejectionError } from '../../shared/errors.js';
import { createTriggerHandler, readTriggerConfig } from '../../shared/trigger-handler.js';
import { readPreSignUpConfig } from './config.js';
import { decideSignUp } from './decide-sign-up.js';
import { PRE_SIGN_UP_SOURCES } from '../../shared/trigger-sources.js';

const { config, deadline: deadlineSettings } = readTriggerConfig(() => readPreSignUpConfig());
const emailDomains = createEmailDomainGuardFromSources(config.emailDomains);

export const handler = createTriggerHandler<PreSignUpTriggerEvent>(
  {
    name: 'pre-sign-up',
    failMode: 'closed',
    triggerSources: PRE_SIGN_UP_SOURCES,
    handle: async (event, { deadline, logger }) => {
      const request = {
        triggerSource: event.triggerSource,
        userAttributes: event.request.userAttributes ?? {},
      };
      const decision = await decideSignUp(request, config, { emailDomains, deadline });
      if (decision.outcome === 'reject') {
        logger.info('Sign-up refused', { rejectionCode: decision.code, reason: decision.reason });
        throw new RejectionError(decision.code);
      }
      logger.info('Sign-up allowed', { reason: decision.reason, autoConfirmUser: decision.autoConfirmUser });
      // Every flag set explicitly: whatever arrived in the response, we never verify a self-asserted address.
      event.response = {
        autoConfirmUser: decision.autoConfirmUser,
        autoVerifyEmail: decision.autoVerifyEmail,
        autoVerifyPhone: decision.autoVerifyPhone,
      };
      return event;
    },
  },
  { deadlineSettings },
);
