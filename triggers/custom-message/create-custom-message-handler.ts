import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { createEmailDomainGuardFromSources } from '../../shared/email-domain/email-domain-guard.js';
import {
  toDomainPolicySource,
  type EmailDomainListSource,
} from '../../shared/email-domain/email-domain-list-source.js';
import { RejectionError } from '../../shared/errors.js';
import { getDefaultLogger } from '../../shared/observability.js';
import {
  createTriggerHandlerWithSettings,
  readTriggerConfigAndSettings,
  type TriggerHandler,
  type TriggerHandlerOptions,
} from '../../shared/trigger-handler.js';
import { CUSTOM_MESSAGE_SOURCES } from '../../shared/trigger-sources.js';
import { readCustomMessageConfig } from './config.js';
import { EMBEDDED_TEMPLATE_TOKENS } from './embedded-template-tokens.js';
import { EMBEDDED_TEMPLATES } from './embedded-templates.js';
import { isEmailChangeSource, renderMessage } from './render-message.js';
import { createTemplateCatalog, type TemplateCatalog } from './template-catalog.js';
import { countersOf, sharedMetrics } from '../../shared/metrics.js';
import { checkPort } from '../../shared/config.js';

/** What `createCustomMessageHandler` takes; everything is optional. */
export interface CustomMessageHandlerOptions extends TriggerHandlerOptions {
  /** Templates of your own (default: the bundled `templates/` of every shipped locale). */
  readonly catalog?: TemplateCatalog;
  /**
   * Email-domain list sources of your own, checked on email changes together with any the variables
   * configure; with one given the check runs even when no `*_EMAIL_DOMAINS` variable is set.
   */
  readonly emailDomainSources?: readonly EmailDomainListSource[];
}

/**
 * The CustomMessage handler, fail-open (Cognito sends its default message when ours cannot be
 * rendered): localized messages from the template catalog, and the email-domain policy on email
 * changes. Configuration is read from `env` once, here (cold start); nothing happens at import.
 *
 * @example
 * ```ts
 * import { createCustomMessageHandler } from 'cognito-trigger-kit/custom-message';
 * export const handler = createCustomMessageHandler({ catalog: myTemplateCatalog });
 * ```
 */
export function createCustomMessageHandler(
  options: CustomMessageHandlerOptions = {},
): TriggerHandler<CustomMessageTriggerEvent> {
  const env = options.env ?? process.env;
  checkPort('catalog', options.catalog, ['template', 'partials']);
  options.emailDomainSources?.forEach((source, index) =>
    checkPort(`emailDomainSources[${index}]`, source, ['load']),
  );
  const catalog = options.catalog ?? createTemplateCatalog(EMBEDDED_TEMPLATES, EMBEDDED_TEMPLATE_TOKENS);
  // The shared settings are read once, with the config, and handed to the handler below.
  const { config, settings } = readTriggerConfigAndSettings(
    () => readCustomMessageConfig(env, catalog.locales),
    env,
    options.deadlineSettings,
  );
  const logger = options.logger ?? getDefaultLogger();
  const metrics = options.metrics ?? sharedMetrics();
  const listSources = (options.emailDomainSources ?? []).map(toDomainPolicySource);
  const emailGuard =
    config.emailDomainSources !== undefined || listSources.length > 0
      ? createEmailDomainGuardFromSources(config.emailDomainSources ?? NO_CONFIGURED_SOURCES, {
          logger,
          listSources,
          metrics: countersOf(metrics),
        })
      : undefined;

  return createTriggerHandlerWithSettings<CustomMessageTriggerEvent>(
    {
      name: 'custom-message',
      // A message we cannot render is no reason to block a sign-up: Cognito then sends its default one.
      failMode: 'open',
      // But a code for a new email address must not go out when the domain check could not run: on the
      // email-change sources a fault (an SSM list that cannot load, the deadline) answers [TEMPORARY_FAILURE].
      failModeFor: (event) =>
        emailGuard &&
        isEmailChangeSource(event.triggerSource) &&
        event.request.userAttributes?.email !== undefined
          ? 'closed'
          : 'open',
      triggerSources: CUSTOM_MESSAGE_SOURCES,
      handle: async (event, { deadline, logger: invocationLogger, metrics: counters }) => {
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
          counters.count('CustomMessageFallback');
          const { reason, detail, locale, field } = outcome;
          invocationLogger.warn('Message not rendered; Cognito sends its default message', {
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
        invocationLogger.info('Message rendered', { locale: outcome.locale });
        return event;
      },
    },
    { env, logger, tracer: options.tracer, metrics },
    settings,
  );
}

// No variable set but list sources given in code: an empty static policy that allows all, no SSM.
const NO_CONFIGURED_SOURCES = Object.freeze({
  staticPolicy: Object.freeze({ allow: null, deny: Object.freeze([]) }),
  ssm: undefined,
  denyDisposable: false,
  configured: false,
});
