import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AWS_EXECUTION_ENV,
  ESBUILD_TARGET,
  LAMBDA_RUNTIME,
  NODE_MAJOR,
  describeRuntimeMismatch,
} from '../../tools/lib/runtime.js';
import { describeFunction, listFunctions, loadTemplate } from '../../tools/lib/template.js';
import { functionEnvironment } from '../../tools/lib/function-env.js';

const template = loadTemplate('template.yaml');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

describe('the Node.js major, from one place (tools/lib/runtime.ts)', () => {
  it("names Node 24 the way Lambda, esbuild and Lambda's environment spell it", () => {
    expect(NODE_MAJOR).toBe(24);
    expect(LAMBDA_RUNTIME).toBe('nodejs24.x');
    expect(ESBUILD_TARGET).toBe('node24');
    expect(AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs24.x');
  });

  it.each(listFunctions(template))(
    'agrees with the runtime and the build target of %s in template.yaml',
    (id) => {
      const properties = template.Resources[id]!.Properties!;
      const runtime = properties.Runtime ?? template.Globals!.Function!.Runtime;

      expect(runtime).toBe(LAMBDA_RUNTIME);
      expect(describeFunction(template, id).buildOptions.target).toBe(ESBUILD_TARGET);
    },
  );

  it('agrees with package.json: the node dev dependency, @types/node and engines', () => {
    expect(packageJson.devDependencies.node!.split('.')[0]).toBe(String(NODE_MAJOR));
    expect(packageJson.devDependencies['@types/node']!.split('.')[0]).toBe(String(NODE_MAJOR));
    expect(packageJson.engines.node).toBe(`>=${NODE_MAJOR}`);
    expect(lock.packages['node_modules/node']?.version?.split('.')[0]).toBe(String(NODE_MAJOR));
  });

  it('is the Node that runs this test (npm scripts run on the node dev dependency)', () => {
    expect(process.versions.node.split('.')[0]).toBe(String(NODE_MAJOR));
    expect(describeRuntimeMismatch()).toBeUndefined();
    expect(describeRuntimeMismatch('22.23.3')).toContain('nodejs24.x');
  });

  it('agrees with the packed-package example (examples/custom-store): its template and its build', () => {
    const example = loadTemplate('examples/custom-store/template.yaml');
    const targets = readFileSync('examples/custom-store/template.yaml', 'utf8').match(/Target: (\S+)/g);

    expect(example.Globals?.Function?.Runtime).toBe(LAMBDA_RUNTIME);
    expect(new Set(targets)).toEqual(new Set([`Target: ${ESBUILD_TARGET}`]));
    expect(readFileSync('examples/custom-store/build.mjs', 'utf8')).toContain(`target: '${ESBUILD_TARGET}'`);
  });

  it('gives npm run invoke the execution environment Lambda sets', () => {
    const fn = describeFunction(template, 'PreSignUpFunction');

    expect(functionEnvironment(fn, undefined, {}).AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs24.x');
  });
});
