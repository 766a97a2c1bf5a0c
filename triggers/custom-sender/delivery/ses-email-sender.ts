import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { raceDeadline } from '../../../shared/deadline.js';
import { DeliveryError } from '../errors.js';
import type { EmailSender } from './message-senders.js';

export interface SesEmailSenderOptions {
  /** `EMAIL_FROM`: a verified SES identity (an address, or an address of a verified domain). */
  readonly from: string;
  /** `SES_CONFIGURATION_SET`, for event publishing (bounces, complaints) and dedicated IPs. */
  readonly configurationSet?: string;
  /** A client of your own; by default one that honours `AWS_ENDPOINT_URL_SESV2`. */
  readonly client?: SESv2Client;
}

/**
 * An {@link EmailSender} on SES v2 `SendEmail` with an HTML and a text part, bounded by the signal.
 *
 * @example
 * ```ts
 * const email = createSesEmailSender({ from: 'Example <no-reply@example.com>', configurationSet: 'auth' });
 * ```
 */
export function createSesEmailSender(options: SesEmailSenderOptions): EmailSender {
  const client = options.client ?? new SESv2Client({ maxAttempts: 2 });
  return {
    async send(email, signal) {
      const command = new SendEmailCommand({
        FromEmailAddress: options.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
        },
        ...(options.configurationSet === undefined ? {} : { ConfigurationSetName: options.configurationSet }),
      });
      try {
        const output = await raceDeadline(client.send(command, { abortSignal: signal }), signal);
        return output.MessageId ?? '';
      } catch (error) {
        if (signal.aborted) throw error;
        throw new DeliveryError('email', error);
      }
    },
  };
}
