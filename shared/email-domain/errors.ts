import { TriggerKitError } from '../errors.js';

/**
 * An email-domain list could not be used (an SSM parameter without a value or with invalid entries).
 * A fault: the guard fails closed and the message, which names the parameter, goes to the logs only.
 *
 * @example
 * ```ts
 * throw new EmailDomainListError('SSM parameter /app/allowed has no value');
 * ```
 */
export class EmailDomainListError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'EmailDomainListError';
}
