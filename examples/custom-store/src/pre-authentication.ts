import type { PreAuthenticationTriggerEvent } from 'aws-lambda';
import { createTriggerHandler, RejectionError } from 'cognito-trigger-kit';

/**
 * A trigger the toolkit does not ship, in its middleware: users of a suspended tenant cannot sign in.
 * Fail-closed: a fault or the deadline answers `[TEMPORARY_FAILURE]`.
 */
export const handler = createTriggerHandler<PreAuthenticationTriggerEvent>({
  name: 'pre-authentication',
  failMode: 'closed',
  triggerSources: ['PreAuthentication_Authentication'],
  handle: async (event, { logger, hashUsername }) => {
    if (event.request.userAttributes['custom:tenant_status'] === 'suspended') {
      logger.info('sign-in refused: tenant suspended', { user: hashUsername(event.userName) });
      throw new RejectionError('TENANT_SUSPENDED');
    }
    return event;
  },
});
