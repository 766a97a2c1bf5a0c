import type { Tracer } from '@aws-lambda-powertools/tracer' with { 'resolution-mode': 'import' };
import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware' with {
  'resolution-mode': 'import',
};

declare function loadTracer(): { Tracer: typeof Tracer; captureLambdaHandler: typeof captureLambdaHandler };
export = loadTracer;
