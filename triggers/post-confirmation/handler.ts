import { createPostConfirmationHandler } from './create-post-confirmation-handler.js';

/**
 * The PostConfirmation trigger (`PostConfirmationFunction`): tenant provisioning from the domain rules
 * in TENANT_TABLE_NAME, and optional POST_CONFIRMATION_GROUPS. Fail-open.
 */
export const handler = createPostConfirmationHandler();
