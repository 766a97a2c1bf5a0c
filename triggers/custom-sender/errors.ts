import { TriggerKitError } from '../../shared/errors.js';

/**
 * The sender's faults. None carries a user value, a code or a ciphertext in its message, and none
 * keeps an SDK error as its cause: SES and SNS errors can quote the addresses they refused.
 */
export class CustomSenderError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'CustomSenderError';
}

/** The event lacks what the sender needs (a recipient, a code); retrying cannot help, but nothing is lost by it. */
export class MalformedSenderEventError extends CustomSenderError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'MalformedSenderEventError';
}

/** The code could not be decrypted (wrong key, tampered or truncated ciphertext, KMS unreachable). */
export class CodeDecryptionError extends CustomSenderError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'CodeDecryptionError';
}

/** The templates could not produce a message for this event (see the `reason`). */
export class MessageNotComposedError extends CustomSenderError {
  public override name = 'MessageNotComposedError';
  public readonly reason: string;

  public constructor(reason: string, detail: string) {
    super(`The message was not composed: ${reason} (${detail})`);
    this.reason = reason;
  }
}

/** SES or SNS did not accept the message; Lambda's retry applies. `errorName` is the service's error name. */
export class DeliveryError extends CustomSenderError {
  public override name = 'DeliveryError';
  public readonly channel: 'email' | 'sms';
  public readonly errorName: string;
  public readonly httpStatusCode: number | undefined;

  public constructor(channel: 'email' | 'sms', error: unknown) {
    const name = error instanceof Error ? error.name : 'UnknownError';
    const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
    super(`The ${channel === 'email' ? 'SES SendEmail' : 'SNS Publish'} call failed: ${name}`);
    this.channel = channel;
    this.errorName = name;
    this.httpStatusCode = status;
  }
}
