// Loads Powertools' Tracer through its CommonJS build, on demand. Imported as ES modules, the Tracer's
// `import http from "node:http"` is hoisted to the top of the one-file bundle, and Node then builds
// the ESM facade of node:http (loading undici) at every cold start, traced or not: ~15 ms. Required
// here, inside a function, it costs nothing until tracing is wanted.
'use strict';

module.exports = function loadTracer() {
  const { Tracer } = require('@aws-lambda-powertools/tracer');
  const { captureLambdaHandler } = require('@aws-lambda-powertools/tracer/middleware');
  return { Tracer, captureLambdaHandler };
};
