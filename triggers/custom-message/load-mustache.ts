import type MustacheModule from 'mustache';
import { evaluateEmbeddedModule } from '../../shared/embedded-modules/evaluate-embedded-module.js';
import { EMBEDDED_MODULE } from '../../shared/embedded-modules/mustache.generated.js';

/** mustache's default export: `render`, `parse`, `Writer`, `tags`, ... */
export type Mustache = typeof MustacheModule;

let loaded: Mustache | undefined;

/**
 * The toolkit's own copy of mustache, evaluated on first use from its embedded CommonJS build
 * (`npm run generate:embedded`). The shipped templates are rendered from their stored tokens
 * (parsed-templates.ts), so only a template of your own, or a view mustache reads its own way, loads it; as
 * code in the bundle, every CustomMessage and custom sender cold start pre-parsed its 6.5 kB. Being the
 * toolkit's own copy, it is not the `mustache` your code may import: changing that one's `tags`, `escape`
 * or cache does not reach the toolkit's rendering.
 *
 * @example
 * ```ts
 * loadMustache().render('Hello {{name}}', { name: 'Ada' }); // 'Hello Ada'
 * ```
 */
export function loadMustache(): Mustache {
  loaded ??= evaluateEmbeddedModule<Mustache>(EMBEDDED_MODULE);
  return loaded;
}
