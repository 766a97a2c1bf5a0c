import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { evaluateEmbeddedModule } from './embedded-modules/evaluate-embedded-module.js';
import { EMBEDDED_MODULE } from './embedded-modules/tracer.generated.js';

/** Powertools' Tracer and its middy middleware. */
export interface TracerModule {
  readonly Tracer: typeof Tracer;
  readonly captureLambdaHandler: typeof captureLambdaHandler;
}

let loaded: TracerModule | undefined;

/**
 * Loads Powertools' Tracer (and the X-Ray SDK under it) on demand, from its embedded CommonJS build.
 * Imported as ES modules, the Tracer's `import http from "node:http"` would be hoisted to the top of
 * the one-file bundle (Node then builds node:http's ESM facade, loading undici, at every cold start:
 * ~15 ms); bundled as code, V8 would pre-parse its ~140 kB at every cold start (~6 ms). Embedded in
 * a legal comment (`npm run generate:embedded`) it costs next to nothing until tracing is wanted.
 *
 * @example
 * ```ts
 * const { Tracer, captureLambdaHandler } = loadTracer();
 * ```
 */
export function loadTracer(): TracerModule {
  loaded ??= evaluateEmbeddedModule<TracerModule>(EMBEDDED_MODULE);
  return loaded;
}
