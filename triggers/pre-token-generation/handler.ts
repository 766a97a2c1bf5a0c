import { createPreTokenGenerationHandler } from './create-pre-token-generation-handler.js';

export type { PreTokenGenerationEvent } from './create-pre-token-generation-handler.js';

/** The PreTokenGeneration trigger (`PreTokenGenerationFunction`), configured from `process.env` at cold start. */
export const handler = createPreTokenGenerationHandler();
