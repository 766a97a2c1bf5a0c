/**
 * `npm run invoke -- <LogicalId> -e <event.json> [--env-vars <env.json>]`: the `sam local invoke`
 * habit with no Docker and no AWS account. Builds the function with its template options, runs the
 * bundle in a fresh Node process with the function's environment (template defaults, then the
 * `--env-vars` file in SAM's format), prints the returned event as JSON on stdout and logs on stderr.
 * When the handler throws: exit 1 and `{"errorType": ..., "errorMessage": ...}` on stdout.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFunction } from './build.js';
import { describeFunction, loadTemplate } from './lib/template.js';
import { functionEnvironment, type EnvVarsFile } from './lib/function-env.js';
import { describeRuntimeMismatch } from './lib/runtime.js';

const usage =
  'usage: npm run invoke -- <LogicalId> -e <event.json> [--env-vars <env.json>] [--template template.yaml]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    event: { type: 'string', short: 'e' },
    'env-vars': { type: 'string', short: 'n' },
    template: { type: 'string', short: 't', default: 'template.yaml' },
    help: { type: 'boolean', short: 'h' },
  },
});

const logicalId = positionals[0];
if (values.help || !logicalId || !values.event) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const runtimeMismatch = describeRuntimeMismatch();
if (runtimeMismatch !== undefined) console.error(`invoke: warning: ${runtimeMismatch}`);

const template = loadTemplate(values.template);
const envVars = values['env-vars']
  ? (JSON.parse(readFileSync(values['env-vars'], 'utf8')) as EnvVarsFile)
  : undefined;
const fn = describeFunction(template, logicalId, envVars?.Parameters as Record<string, string> | undefined);
const bundle = resolve(await buildFunction(fn));
const event = readFileSync(values.event, 'utf8');

const child = spawn(
  process.execPath,
  [resolve(import.meta.dirname, 'lib/run-bundle.mjs'), bundle, fn.handler],
  {
    env: functionEnvironment(fn, envVars, process.env),
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
child.stdin.end(event);
let output = '';
child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
const code = await new Promise<number>((done) => child.on('close', (exitCode) => done(exitCode ?? 1)));
process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
process.exit(code);
