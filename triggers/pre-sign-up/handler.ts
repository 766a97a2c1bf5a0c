import { createPreSignUpHandler } from './create-pre-sign-up-handler.js';

/** The PreSignUp trigger (`PreSignUpFunction`), configured from `process.env` at cold start. */
export const handler = createPreSignUpHandler();
