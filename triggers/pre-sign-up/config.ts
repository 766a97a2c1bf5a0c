import { createEnvReader, type Env } from '../../shared/config.js';
import {
  readEmailDomainSources,
  type EmailDomainSources,
} from '../../shared/email-domain/email-domain-sources.js';

/** The trigger sources Cognito sends to a PreSignUp function. */
export const SIGN_UP_TRIGGER_SOURCES = [
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PreSignUp_ExternalProvider',
] as const;
export type SignUpTriggerSource = (typeof SIGN_UP_TRIGGER_SOURCES)[number];

/** What `decideSignUp` needs to know besides the event. */
export interface SignUpPolicy {
  /** Sources that skip the email-domain policy (e.g. admins creating users). */
  readonly exemptTriggerSources: ReadonlySet<string>;
  /** Set `autoConfirmUser` for `PreSignUp_ExternalProvider` sign-ups that pass the policy. */
  readonly autoConfirmFederatedUsers: boolean;
  /** A federated user whose provider sent no email: refused (`deny`) or let through (`allow`). */
  readonly federatedWithoutEmail: 'deny' | 'allow';
}

export interface PreSignUpConfig extends SignUpPolicy {
  readonly emailDomains: EmailDomainSources;
}

/**
 * Reads and checks the trigger's configuration once; throws one ConfigError naming every bad variable.
 * `extraSources` counts the list sources plugged in with code: with one, no variable is required.
 */
export function readPreSignUpConfig(
  env: Env = process.env,
  { extraSources = 0 }: { readonly extraSources?: number } = {},
): PreSignUpConfig {
  const reader = createEnvReader(env);
  const emailDomains = readEmailDomainSources(env, reader);
  const exempt = reader.list('EXEMPT_TRIGGER_SOURCES', {
    doc: 'Trigger sources that skip the email-domain policy, e.g. `PreSignUp_AdminCreateUser`',
  });
  for (const source of exempt) {
    if (!(SIGN_UP_TRIGGER_SOURCES as readonly string[]).includes(source)) {
      reader.problem(
        'EXEMPT_TRIGGER_SOURCES',
        `must list only ${SIGN_UP_TRIGGER_SOURCES.join(', ')}, got "${source}"`,
      );
    }
  }
  const autoConfirmFederatedUsers = reader.boolean('AUTO_CONFIRM_FEDERATED_USERS', {
    default: false,
    doc: 'Set `autoConfirmUser` for `PreSignUp_ExternalProvider` sign-ups that pass the policy',
  });
  const federatedWithoutEmail = reader.oneOf('FEDERATED_WITHOUT_EMAIL', ['deny', 'allow'] as const, {
    default: 'deny',
    doc: 'A federated user whose provider sent no email: `deny` (`[EMAIL_INVALID]`) or `allow`',
  });
  if (!emailDomains.configured && extraSources === 0) {
    reader.problem(
      'ALLOWED_EMAIL_DOMAINS',
      'at least one of ALLOWED_EMAIL_DOMAINS or DENIED_EMAIL_DOMAINS must be set (or a _FILE or _SSM_PARAMETER form, or DENY_DISPOSABLE_EMAIL_DOMAINS=true)',
    );
  }
  reader.done();
  return Object.freeze({
    emailDomains,
    exemptTriggerSources: new Set(exempt),
    autoConfirmFederatedUsers,
    federatedWithoutEmail,
  });
}
