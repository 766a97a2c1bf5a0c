import { TriggerKitError } from '../errors.js';

/** A domain rule item in the tenant table that cannot be used (no tenant id, a malformed role). A fault. */
export class InvalidDomainRuleError extends TriggerKitError {}

/** The tenant table refused or failed the provisioning read or write. A fault. */
export class TenantProvisioningError extends TriggerKitError {}
