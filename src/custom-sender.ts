/**
 * `cognito-trigger-kit/custom-sender`: the custom email and SMS sender as a factory, its ports (code
 * decryption, email, SMS) and the bundled adapters (Encryption SDK keyrings, SES v2, SNS).
 *
 * @example
 * ```ts
 * import { createCustomSenderHandler } from 'cognito-trigger-kit/custom-sender';
 * export const handler = createCustomSenderHandler({ sms: mySmsProvider });
 * ```
 */
export {
  createCustomSenderHandler,
  type CustomSenderHandlerOptions,
  type CustomSenderTriggerEvent,
} from '../triggers/custom-sender/create-custom-sender-handler.js';
export type { CodeDecrypter } from '../triggers/custom-sender/decrypt/code-decrypter.js';
export {
  createEncryptionSdkDecrypter,
  createKmsKeyring,
  createRawAesKeyring,
} from '../triggers/custom-sender/decrypt/encryption-sdk-decrypter.js';
export type {
  EmailSender,
  OutgoingEmail,
  OutgoingSms,
  SmsSender,
} from '../triggers/custom-sender/delivery/message-senders.js';
export { createSesEmailSender } from '../triggers/custom-sender/delivery/ses-email-sender.js';
export { createSnsSmsSender } from '../triggers/custom-sender/delivery/sns-sms-sender.js';
