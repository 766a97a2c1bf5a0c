import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { describeFunction, loadTemplate } from '../lib/template.js';
import type { BenchRow } from './types.js';
import { benchContext, measureInterleaved, silenceStdout } from './measure.js';
const event = {
  version: '1',
  triggerSource: 'PreSignUp_SignUp',
  region: 'us-east-1',
  userPoolId: 'us-east-1_Bench0001',
  userName: 'bench-user@example.com',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'bench-client' },
  request: { userAttributes: { email: 'bench-user@example.com' }, validationData: null },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
};

type VariantName = 'bare' | 'plainMiddy' | 'plainMiddySameLogs' | 'toolkit';
type Variant = (event: typeof BenchEventShape, context: Context) => Promise<unknown>;
const BenchEventShape = event;

/** Bundles the three variants with PreSignUpFunction's esbuild options and imports the bundle. */
async function loadVariants(): Promise<Record<VariantName, Variant>> {
  const options = describeFunction(loadTemplate(), 'PreSignUpFunction').buildOptions;
  mkdirSync('.bench', { recursive: true });
  const outfile = resolve('.bench/middleware-variants.mjs');
  await build({
    ...options,
    entryPoints: ['tools/bench/entries/middleware-variants.ts'],
    outfile,
    outExtension: undefined,
    logLevel: 'warning',
  });
  return (await import(pathToFileURL(outfile).href)) as Record<VariantName, Variant>;
}

/**
 * Warm per-invocation cost of the shared middleware, against a bare handler and against plain middy
 * with the Powertools Logger (context injected, one log line per invocation, as a hand-written
 * trigger would have), all doing the same trivial work, interleaved in one process. The three are
 * bundled with the functions' esbuild options first, so what runs is what SAM deploys.
 */
export async function benchMiddlewareOverhead(): Promise<BenchRow[]> {
  const { bare, plainMiddy, plainMiddySameLogs, toolkit } = await loadVariants();
  const context = benchContext();
  const restore = silenceStdout();
  try {
    const results = await measureInterleaved(
      {
        bare: () => bare(event, context),
        'middy + Logger': () => plainMiddy(event, context),
        'middy + Logger, same logs': () => plainMiddySameLogs(event, context),
        toolkit: () => toolkit(event, context),
      },
      { rounds: 25, opsPerRound: 4_000 },
    );
    const bareUs = results.bare! * 1000;
    const middyUs = results['middy + Logger']! * 1000;
    const toolkitUs = results.toolkit! * 1000;
    const sameLogsUs = results['middy + Logger, same logs']! * 1000;
    return [
      {
        group: 'warm overhead',
        name: 'shared middleware vs bare handler',
        measured: toolkitUs,
        baseline: bareUs,
        unit: 'µs/invocation',
        ratio: toolkitUs / bareUs,
        goal: 'informational',
        met: true,
        note: 'a bare async function is the floor; the ratio shows what the composition costs in absolute terms',
      },
      {
        group: 'warm overhead',
        name: 'shared middleware vs middy + Powertools Logger',
        measured: toolkitUs,
        baseline: middyUs,
        unit: 'µs/invocation',
        ratio: toolkitUs / middyUs,
        goal: '≤ 1.5×',
        met: toolkitUs / middyUs <= 1.5,
      },
      {
        group: 'warm overhead',
        name: 'shared middleware vs middy + Powertools Logger and Metrics writing the same keys, line and EMF line',
        measured: toolkitUs,
        baseline: sameLogsUs,
        unit: 'µs/invocation',
        ratio: toolkitUs / sameLogsUs,
        goal: 'informational',
        met: true,
        note: "the baseline appends the same correlation keys with Powertools' appendKeys (whose invocation store reads process.env on every access) and writes the same outcome line and EMF line; the toolkit's formatter writes its keys itself",
      },
    ];
  } finally {
    restore();
  }
}
