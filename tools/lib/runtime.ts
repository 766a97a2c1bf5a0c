/**
 * The one Node.js major the toolkit runs on: Lambda's runtime, esbuild's target, the Node that `npm run invoke`,
 * the sandbox and the bench report as Lambda's, and the `node` dev dependency that runs every npm script.
 * template.yaml and package.json spell it out (CloudFormation and npm cannot import a constant);
 * test/tools/runtime.test.ts fails when one of them disagrees with this line.
 */
export const NODE_MAJOR = 24;

/** `Runtime` of every function in template.yaml. */
export const LAMBDA_RUNTIME = `nodejs${NODE_MAJOR}.x`;

/** `Metadata.BuildProperties.Target` of every function in template.yaml. */
export const ESBUILD_TARGET = `node${NODE_MAJOR}`;

/** What Lambda sets `AWS_EXECUTION_ENV` to on this runtime. */
export const AWS_EXECUTION_ENV = `AWS_Lambda_${LAMBDA_RUNTIME}`;

/**
 * A sentence when this process does not run on {@link NODE_MAJOR} (e.g. a global Node instead of the
 * dev dependency), else `undefined`.
 *
 * @example
 * ```ts
 * describeRuntimeMismatch('22.23.3'); // "running Node 22.23.3; Lambda runs nodejs24.x ..."
 * ```
 */
export function describeRuntimeMismatch(version: string = process.versions.node): string | undefined {
  const major = Number(version.split('.')[0]);
  return major === NODE_MAJOR
    ? undefined
    : `running Node ${version}; Lambda runs ${LAMBDA_RUNTIME} (npm scripts use the node dev dependency)`;
}
