import type { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { raceDeadline } from '../../../shared/deadline.js';
import { loadSnsModule } from '../../../shared/embedded-modules/hosted-packages.js';
import { DeliveryError } from '../errors.js';
import type { SmsSender } from './message-senders.js';

export interface SnsSmsSenderOptions {
  /** A client of your own; by default one that honours `AWS_ENDPOINT_URL_SNS`. */
  readonly client?: SNSClient;
}

interface LoadedClient {
  readonly client: SNSClient;
  readonly Command: typeof PublishCommand;
}

/**
 * An {@link SmsSender} on SNS `Publish` to the phone number, as a transactional SMS, bounded by the signal.
 * The SNS client comes from its embedded copy (the client and `PublishCommand`, on the bundle's own SDK
 * stack) on the first SMS, so an email-only function never parses it.
 *
 * @example
 * ```ts
 * const sms = createSnsSmsSender();
 * ```
 */
export function createSnsSmsSender(options: SnsSmsSenderOptions = {}): SmsSender {
  let loading: Promise<LoadedClient> | undefined;
  const load = (): Promise<LoadedClient> => {
    loading ??= loadSnsModule().then((sdk) => ({
      client: options.client ?? new sdk.SNSClient({ maxAttempts: 2 }),
      Command: sdk.PublishCommand,
    }));
    // A failed load is tried again on the next message.
    loading.catch(() => (loading = undefined));
    return loading;
  };
  return {
    async send(sms, signal) {
      try {
        const { client, Command } = await raceDeadline(load(), signal);
        const command = new Command({
          PhoneNumber: sms.to,
          Message: sms.text,
          // Codes are time-critical: transactional SMS are routed for reliability, not price.
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        });
        const output = await raceDeadline(client.send(command, { abortSignal: signal }), signal);
        return output.MessageId ?? '';
      } catch (error) {
        if (signal.aborted) throw error;
        throw new DeliveryError('sms', error);
      }
    },
  };
}
