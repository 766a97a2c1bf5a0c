import { createCustomSenderHandler } from './create-custom-sender-handler.js';

/**
 * The custom email and SMS sender (`CustomSenderFunction`), for both the `CustomEmailSender` and the
 * `CustomSMSSender` slots. For other providers, write your own entry with `createCustomSenderHandler({ email, sms })`.
 */
export const handler = createCustomSenderHandler();
