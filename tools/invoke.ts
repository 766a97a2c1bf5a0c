/**
 * `npm run invoke -- <LogicalId> -e <event.json> [--env-vars <env.json>] [--parameter-overrides <K=V ...>]`:
 * the `sam local invoke` habit with no Docker and no AWS account. Builds the function with its template
 * options, runs the bundle in a fresh Node process with the function's environment (template defaults,
 * with `--parameter-overrides` for template parameters, then the `--env-vars` file in SAM's format, whose
 * `Parameters` are environment variables for every function), prints the returned event as JSON on stdout
 * and logs on stderr.
 *
 * Exit codes: 0 the function answered; 1 the handler threw (stdout: `{"errorType", "errorMessage"}`);
 * 2 a fault of this tool (a file missing or not JSON, an unknown logical id): one line on stderr.
 * When the answer hides a fault (`[TEMPORARY_FAILURE]`, a fail-open answer, a malformed event), one
 * more stderr line gives the fault the function logged.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFunction } from './build.js';
import { InvokeToolError } from './invoke/errors.js';
import { describeFallback, findLoggedFallback } from './invoke/explain-fallback.js';
import { parseParameterOverrides } from './invoke/parameter-overrides.js';
import { describeFunction, listFunctions, loadTemplate, type FunctionDefinition } from './lib/template.js';
import { functionEnvironment, type EnvVarsFile } from './lib/function-env.js';
import { describeRuntimeMismatch } from './lib/runtime.js';

const usage =
  'usage: npm run invoke -- <LogicalId> -e <event.json> [--env-vars <env.json>] [--parameter-overrides <Key=Value ...>] [--template template.yaml]';

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvokeToolError(
      `${what} ${path} cannot be read (${code === 'ENOENT' ? 'no such file' : code})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvokeToolError(`${what} ${path} is not JSON (${(error as Error).message})`);
  }
}

function readEnvVars(path: string): EnvVarsFile {
  const value = readJsonFile(path, 'the --env-vars file');
  const sections =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
  const bad = sections?.find(
    ([, section]) => typeof section !== 'object' || section === null || Array.isArray(section),
  );
  if (!sections || bad)
    throw new InvokeToolError(
      `the --env-vars file ${path} is not in SAM's format {"Parameters": {...}, "<LogicalId>": {...}}${bad ? ` (${bad[0]} is not an object)` : ''}`,
    );
  return value as EnvVarsFile;
}

function findFunction(
  templatePath: string,
  logicalId: string,
  parameterOverrides: readonly string[],
): FunctionDefinition {
  let template: ReturnType<typeof loadTemplate>;
  try {
    template = loadTemplate(templatePath);
  } catch (error) {
    throw new InvokeToolError(
      `the template ${templatePath} cannot be read (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const functions = listFunctions(template);
  if (!functions.includes(logicalId))
    throw new InvokeToolError(
      `${logicalId} is not a function in ${templatePath} (functions: ${functions.join(', ')})`,
    );
  // SAM's --parameter-overrides set template parameters; the env-vars file's Parameters never do.
  const parameters = parseParameterOverrides(parameterOverrides, Object.keys(template.Parameters ?? {}));
  return describeFunction(template, logicalId, parameters);
}

/** Runs the bundle once; the answer on stdout, the logs passed through to stderr and kept. */
function runBundle(fn: FunctionDefinition, bundle: string, env: NodeJS.ProcessEnv, event: string) {
  const child = spawn(
    process.execPath,
    [resolve(import.meta.dirname, 'lib/run-bundle.mjs'), bundle, fn.handler],
    {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.stdin.end(event);
  let output = '';
  let logs = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    logs += chunk;
    process.stderr.write(chunk);
  });
  return new Promise<{ code: number; output: string; logLines: string[]; logEndsLine: boolean }>((done) =>
    child.on('close', (exitCode) =>
      done({
        code: exitCode ?? 1,
        output,
        logLines: logs.split('\n'),
        logEndsLine: logs === '' || logs.endsWith('\n'),
      }),
    ),
  );
}

async function main(): Promise<number> {
  const runtimeMismatch = describeRuntimeMismatch();
  if (runtimeMismatch !== undefined) console.error(`invoke: warning: ${runtimeMismatch}`);
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        event: { type: 'string', short: 'e' },
        'env-vars': { type: 'string', short: 'n' },
        'parameter-overrides': { type: 'string', multiple: true },
        template: { type: 'string', short: 't', default: 'template.yaml' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new InvokeToolError(`${(error as Error).message}; ${usage}`);
  }
  const { values, positionals } = parsed;
  const logicalId = positionals[0];
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!logicalId || !values.event) throw new InvokeToolError(usage);

  const envVars = values['env-vars'] ? readEnvVars(values['env-vars']) : undefined;
  const event = readJsonFile(values.event, 'the event file');
  const fn = findFunction(values.template, logicalId, values['parameter-overrides'] ?? []);
  const bundle = resolve(await buildFunction(fn));
  const run = await runBundle(
    fn,
    bundle,
    functionEnvironment(fn, envVars, process.env),
    JSON.stringify(event),
  );

  const fallback = findLoggedFallback(run.logLines);
  if (fallback)
    process.stderr.write(`${run.logEndsLine ? '' : '\n'}${describeFallback(logicalId, fallback)}\n`);
  process.stdout.write(run.output.endsWith('\n') || run.output === '' ? run.output : `${run.output}\n`);
  return run.code;
}

// No process.exit: it would cut stdout short when stdout is a pipe still being read.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A fault of the tool: one plain line, no stack (an unexpected one keeps its first line only).
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`invoke: ${error instanceof InvokeToolError ? message : message.split('\n')[0]}\n`);
    process.exitCode = 2;
  },
);
