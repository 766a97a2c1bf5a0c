// The package's `cognito-trigger-kit/custom-sender` surface: the factory and its ports' types.
export {
  createCustomSenderHandler,
  type CustomSenderHandlerOptions,
  type CustomSenderTriggerEvent,
} from './create-custom-sender-handler.js';
export type { CodeDecrypter } from './decrypt/code-decrypter.js';
export {
  createEncryptionSdkDecrypter,
  createKmsKeyring,
  createRawAesKeyring,
} from './decrypt/encryption-sdk-decrypter.js';
export type { EmailSender, OutgoingEmail, OutgoingSms, SmsSender } from './delivery/message-senders.js';
export { createSesEmailSender } from './delivery/ses-email-sender.js';
export { createSnsSmsSender } from './delivery/sns-sms-sender.js';
