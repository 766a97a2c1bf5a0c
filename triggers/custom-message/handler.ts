import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { createEmailDomainGuardFromSources } from '../../shared/email-domain/email-domain-guard.js';
import { RejectionError } from '../../shared/errors.js';
import { createTriggerHandler, readTriggerConfig } from '../../shared/trigger-handler.js';
import { readCustomMessageConfig } from './config.js';
import { EMBEDDED_TEMPLATES } from './embedded-templates.js';
import { isEmailChangeSource, renderMessage } from './render-message.js';
import { createTemplateCatalog } from './template-catalog.js';
import { CUSTOM_MESSAGE_SOURCES } from '../../shared/trigger-sources.js';

const catalog = createTemplateCatalog(EMBEDDED_TEMPLATES);
const { config, deadline: deadlineSettings } = readTriggerConfig(() =>
  readCustomMessageConfig(process.env, catalog.locales),
);
const emailGuard = config.emailDomainSources && createEmailDomainGuardFromSources(config.emailDomainSources);

export const handler = createTriggerHandler<CustomMessageTriggerEvent>(
  {
    name: 'custom-message',
    // A message we cannot render is no reason to block a sign-up: Cognito then sends its default one.
    failMode: 'open',
    triggerSources: CUSTOM_MESSAGE_SOURCES,
    handle: async (event, { deadline, logger, metrics }) => {
      const { request, triggerSource } = event;
      const email: unknown = request.userAttributes?.email;
      // A phone-only user has no email to check; a present but malformed one is refused by the guard.
      if (emailGuard && isEmailChangeSource(triggerSource) && email !== undefined) {
        const decision = await emailGuard.check(email, deadline);
        if (!decision.allowed) throw new RejectionError(decision.code, { cause: decision.reason });
      }
      const outcome = renderMessage(
        {
          source: triggerSource,
          userName: event.userName,
          userAttributes: request.userAttributes,
          codeParameter: request.codeParameter,
          usernameParameter: request.usernameParameter,
        },
        catalog,
        config.message,
      );
      if (!outcome.ok) {
        metrics.count('CustomMessageFallback');
        const { reason, detail, locale, field } = outcome;
        logger.warn('Message not rendered; Cognito sends its default message', {
          reason,
          detail,
          locale,
          field,
        });
        return event;
      }
      event.response.emailSubject = outcome.message.emailSubject;
      event.response.emailMessage = outcome.message.emailMessage;
      event.response.smsMessage = outcome.message.smsMessage;
      logger.info('Message rendered', { locale: outcome.locale });
      return event;
    },
  },
  { deadlineSettings },
);
