import { TriggerKitError } from '../../shared/errors.js';

/**
 * A fault of `npm run invoke` itself, not of the function: a missing or unreadable file, a file that
 * is not JSON, an unknown logical id. Reported as one plain line and exit code 2, never a stack.
 */
export class InvokeToolError extends TriggerKitError {}
