/** An email ready for SES: the decrypted code is already in it. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** An SMS ready for SNS. */
export interface OutgoingSms {
  readonly to: string;
  readonly text: string;
}

/** The email port; the bundled adapter is SES v2 `SendEmail` (`createSesEmailSender`). */
export interface EmailSender {
  /** Resolves with the provider's message id once the message is accepted; rejects with a `DeliveryError`. */
  send(email: OutgoingEmail, signal: AbortSignal): Promise<string>;
}

/** The SMS port; the bundled adapter is SNS `Publish` to the phone number (`createSnsSmsSender`). */
export interface SmsSender {
  send(sms: OutgoingSms, signal: AbortSignal): Promise<string>;
}
