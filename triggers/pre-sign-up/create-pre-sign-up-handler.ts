import type { PreSignUpTriggerEvent } from 'aws-lambda';
import {
  createEmailDomainGuardFromSources,
  type EmailDomainGuard,
} from '../../shared/email-domain/email-domain-guard.js';
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
import { PRE_SIGN_UP_SOURCES } from '../../shared/trigger-sources.js';
import { readPreSignUpConfig } from './config.js';
import { decideSignUp } from './decide-sign-up.js';
import { countersOf, sharedMetrics } from '../../shared/metrics.js';
import { checkPort } from '../../shared/config.js';

/** What `createPreSignUpHandler` takes; everything is optional. */
export interface PreSignUpHandlerOptions extends TriggerHandlerOptions {
  /**
   * Email-domain list sources of your own (a database, a config service), merged with the ones the
   * variables configure; with one given, no `*_EMAIL_DOMAINS` variable is required.
   */
  readonly emailDomainSources?: readonly EmailDomainListSource[];
}

/**
 * The PreSignUp handler, fail-closed: the email-domain policy, auto-confirmation of federated users.
 * Configuration is read from `env` once, here (cold start); nothing happens at import.
 *
 * @example
 * ```ts
 * import { createPreSignUpHandler } from 'cognito-trigger-kit/pre-sign-up';
 * export const handler = createPreSignUpHandler({ env: { ...process.env, ALLOWED_EMAIL_DOMAINS: 'example.com' } });
 * ```
 */
export function createPreSignUpHandler(
  options: PreSignUpHandlerOptions = {},
): TriggerHandler<PreSignUpTriggerEvent> {
  const env = options.env ?? process.env;
  options.emailDomainSources?.forEach((source, index) =>
    checkPort(`emailDomainSources[${index}]`, source, ['load']),
  );
  const listSources = (options.emailDomainSources ?? []).map(toDomainPolicySource);
  // The shared settings are read once, with the config, and handed to the handler below.
  const { config, settings } = readTriggerConfigAndSettings(
    () => readPreSignUpConfig(env, { extraSources: listSources.length }),
    env,
    options.deadlineSettings,
  );
  const logger = options.logger ?? getDefaultLogger();
  const metrics = options.metrics ?? sharedMetrics();
  const emailDomains: EmailDomainGuard = createEmailDomainGuardFromSources(config.emailDomains, {
    logger,
    listSources,
    metrics: countersOf(metrics),
  });

  return createTriggerHandlerWithSettings<PreSignUpTriggerEvent>(
    {
      name: 'pre-sign-up',
      failMode: 'closed',
      triggerSources: PRE_SIGN_UP_SOURCES,
      handle: async (event, { deadline, logger: invocationLogger }) => {
        const request = {
          triggerSource: event.triggerSource,
          userAttributes: event.request.userAttributes ?? {},
        };
        const decision = await decideSignUp(request, config, { emailDomains, deadline });
        if (decision.outcome === 'reject') {
          invocationLogger.info('Sign-up refused', { rejectionCode: decision.code, reason: decision.reason });
          throw new RejectionError(decision.code);
        }
        invocationLogger.info('Sign-up allowed', {
          reason: decision.reason,
          autoConfirmUser: decision.autoConfirmUser,
        });
        // Every flag set explicitly: whatever arrived in the response, we never verify a self-asserted address.
        event.response = {
          autoConfirmUser: decision.autoConfirmUser,
          autoVerifyEmail: decision.autoVerifyEmail,
          autoVerifyPhone: decision.autoVerifyPhone,
        };
        return event;
      },
    },
    { env, logger, tracer: options.tracer, metrics },
    settings,
  );
}
