import type { Deadline } from '../../shared/deadline.js';
import type { EmailDomainGuard } from '../../shared/email-domain/email-domain-guard.js';
import type { SignUpPolicy } from './config.js';

/** The parts of a PreSignUp event the decision reads: nothing a user can forge besides `email` counts. */
export interface SignUpRequest {
  readonly triggerSource: string;
  readonly userAttributes: Readonly<Record<string, string | undefined>>;
}

/** Allow (with the response flags to set) or reject with a contract code; `reason` is for logs only. */
export type SignUpDecision =
  | {
      readonly outcome: 'allow';
      readonly autoConfirmUser: boolean;
      readonly autoVerifyEmail: false;
      readonly autoVerifyPhone: false;
      readonly reason: string;
    }
  | {
      readonly outcome: 'reject';
      readonly code: 'EMAIL_INVALID' | 'EMAIL_DOMAIN_NOT_ALLOWED';
      readonly reason: string;
    };

/**
 * Decides a sign-up from its trigger source and its `email` attribute only (`custom:*` attributes,
 * validation data and client metadata never count). Never auto-verifies an email or a phone.
 */
export async function decideSignUp(
  request: SignUpRequest,
  policy: SignUpPolicy,
  ports: { readonly emailDomains: EmailDomainGuard; readonly deadline: Deadline },
): Promise<SignUpDecision> {
  const federated = request.triggerSource === 'PreSignUp_ExternalProvider';
  // Auto-confirm only what an operator opted into, and only for users an identity provider vouches for.
  const allow = (
    reason: string,
    autoConfirmUser = federated && policy.autoConfirmFederatedUsers,
  ): SignUpDecision => ({
    outcome: 'allow',
    autoConfirmUser,
    autoVerifyEmail: false,
    autoVerifyPhone: false,
    reason,
  });

  if (policy.exemptTriggerSources.has(request.triggerSource)) {
    return allow('exempt trigger source', false);
  }
  const email = request.userAttributes.email;
  if (federated && (email === undefined || email === '')) {
    return policy.federatedWithoutEmail === 'allow'
      ? allow('federated user without email (FEDERATED_WITHOUT_EMAIL=allow)')
      : { outcome: 'reject', code: 'EMAIL_INVALID', reason: 'federated user without email' };
  }
  const decision = await ports.emailDomains.check(email, ports.deadline);
  if (!decision.allowed) return { outcome: 'reject', code: decision.code, reason: decision.reason };
  return allow('email domain allowed');
}
