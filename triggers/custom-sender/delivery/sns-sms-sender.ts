import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { raceDeadline } from '../../../shared/deadline.js';
import { DeliveryError } from '../errors.js';
import type { SmsSender } from './message-senders.js';

export interface SnsSmsSenderOptions {
  /** A client of your own; by default one that honours `AWS_ENDPOINT_URL_SNS`. */
  readonly client?: SNSClient;
}

/**
 * An {@link SmsSender} on SNS `Publish` to the phone number, as a transactional SMS, bounded by the signal.
 *
 * @example
 * ```ts
 * const sms = createSnsSmsSender();
 * ```
 */
export function createSnsSmsSender(options: SnsSmsSenderOptions = {}): SmsSender {
  const client = options.client ?? new SNSClient({ maxAttempts: 2 });
  return {
    async send(sms, signal) {
      const command = new PublishCommand({
        PhoneNumber: sms.to,
        Message: sms.text,
        // Codes are time-critical: transactional SMS are routed for reliability, not price.
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      });
      try {
        const output = await raceDeadline(client.send(command, { abortSignal: signal }), signal);
        return output.MessageId ?? '';
      } catch (error) {
        if (signal.aborted) throw error;
        throw new DeliveryError('sms', error);
      }
    },
  };
}
