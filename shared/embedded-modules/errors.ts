import { TriggerKitError } from '../errors.js';

/** An embedded package cannot be loaded: its code is missing from the bundle, or it asked its host for a module the host does not give it (a stale generated file). */
export class EmbeddedModuleError extends TriggerKitError {
  // Spelled out: the bundles are minified, which renames classes.
  public override name = 'EmbeddedModuleError';
}
