import { createCustomMessageHandler } from './create-custom-message-handler.js';

/** The CustomMessage trigger (`CustomMessageFunction`), configured from `process.env` at cold start. */
export const handler = createCustomMessageHandler();
