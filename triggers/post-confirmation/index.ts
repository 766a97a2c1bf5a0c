// The Lambda entry point (template.yaml Handler: index.handler); the wiring lives in handler.ts.
export { handler } from './handler.js';
