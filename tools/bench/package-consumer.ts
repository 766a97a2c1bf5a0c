/**
 * `npm run bench` section "package": a consumer's bundle of PreSignUp built from the package (the
 * `lib/` build, resolved through the package's `exports` as an installed dependency would be) against
 * the repository's own bundle of the same trigger, both with the template's esbuild options. Bytes
 * and cold start (median of interleaved fresh processes answering the same fixture) within ±5%.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildFunction } from '../build.js';
import { buildPackage } from '../build-package.js';
import type { EnvVarsFile } from '../lib/function-env.js';
import { describeFunction, loadTemplate } from '../lib/template.js';
import {
  benchEnvironment,
  buildBenchBundles,
  COLD_START_CHILD,
  TRIGGER_FUNCTIONS,
  type ColdStartMessage,
} from './cold-start.js';
import { median, runChild } from './measure.js';
import type { BenchRow } from './types.js';

const GROUP = 'package';
const TOLERANCE = 0.05;
const RUNS = Number(process.env.BENCH_PACKAGE_RUNS ?? 31);
const FIXTURE = 'events/pre-sign-up/sign-up-allowed.json';

// What a user writes: the whole function is one line on top of the package.
const CONSUMER_ENTRY = `import { createPreSignUpHandler } from 'cognito-trigger-kit/pre-sign-up';
export const handler = createPreSignUpHandler();
`;

/** Builds lib/, then the consumer's bundle in a temp project whose node_modules holds the package. */
async function buildConsumerBundle(workDir: string): Promise<string> {
  buildPackage();
  mkdirSync(join(workDir, 'node_modules'), { recursive: true });
  symlinkSync(process.cwd(), join(workDir, 'node_modules', 'cognito-trigger-kit'), 'dir');
  writeFileSync(join(workDir, 'package.json'), '{ "type": "module", "private": true }\n');
  const entry = join(workDir, 'index.ts');
  writeFileSync(entry, CONSUMER_ENTRY);
  const fn = describeFunction(loadTemplate(), TRIGGER_FUNCTIONS['pre-sign-up']);
  return buildFunction({ ...fn, entryPoint: entry }, join(workDir, 'dist'));
}

export async function benchPackageConsumer(): Promise<BenchRow[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'ctk-bench-package-'));
  try {
    const [own, consumerPath] = await Promise.all([
      buildBenchBundles().then((bundles) => bundles['pre-sign-up']),
      buildConsumerBundle(workDir),
    ]);
    const consumer = { path: resolve(consumerPath), bytes: statSync(consumerPath).size };
    const env = benchEnvironment(
      'pre-sign-up',
      JSON.parse(readFileSync('events/pre-sign-up/env.json', 'utf8')) as EnvVarsFile,
    );
    const variants = [
      { name: 'consumer', bundle: consumer },
      { name: 'own', bundle: own },
    ] as const;
    const samples: Record<string, number[]> = { consumer: [], own: [] };
    const cpuSamples: Record<string, number[]> = { consumer: [], own: [] };
    const failures: string[] = [];
    for (let round = -1; round < RUNS; round += 1) {
      // Round -1 warms the file cache and is not counted; the order alternates every round.
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const result = await runChild<ColdStartMessage>(
          COLD_START_CHILD,
          [variant.bundle.path, resolve(FIXTURE)],
          env,
          20_000,
        );
        if (result.message?.ok !== true || !result.message.summary.includes('"autoConfirmUser":false')) {
          failures.push(`${variant.name}: ${result.message?.summary ?? result.stderrTail}`);
          continue;
        }
        if (round >= 0) {
          samples[variant.name]!.push(result.message.answeredMs);
          cpuSamples[variant.name]!.push(result.message.cpuMs);
        }
      }
      if (failures.length > 0) break;
    }
    const within = (ratio: number): boolean => Math.abs(ratio - 1) <= TOLERANCE;
    const bytesRatio = consumer.bytes / own.bytes;
    const coldConsumer = median(samples.consumer!);
    const coldOwn = median(samples.own!);
    const cpuConsumer = median(cpuSamples.consumer!);
    const cpuOwn = median(cpuSamples.own!);
    // The ratio is the median of the per-round ratios: both bundles run in every round, one after the other, so a
    // slower spell of the machine moves both sides of a round (the ratio of two medians of 15 read 0.94x and 1.11x
    // in two runs of this session for bundles that differ by a path).
    const coldRatio = pairedRatio(samples.consumer!, samples.own!);
    const cpuRatio = pairedRatio(cpuSamples.consumer!, cpuSamples.own!);
    const rounds = `median of ${Math.min(samples.consumer!.length, samples.own!.length)} paired rounds`;
    const pairedNote = `ratio: the median of the per-round ratios (each round runs both bundles, alternating which first); medians ${coldConsumer.toFixed(1)} and ${coldOwn.toFixed(1)} ms, CPU ${cpuConsumer.toFixed(1)} and ${cpuOwn.toFixed(1)} ms`;
    const note = failures.length > 0 ? `failed: ${failures.join('; ').slice(0, 400)}` : pairedNote;
    return [
      {
        group: GROUP,
        name: "PreSignUp bundle bytes: consumer's (from the package) vs the repo's dist/pre-sign-up",
        measured: consumer.bytes,
        baseline: own.bytes,
        unit: 'bytes',
        ratio: bytesRatio,
        goal: '0.95–1.05×',
        met: within(bytesRatio),
      },
      {
        group: GROUP,
        name: `PreSignUp cold start to first answer: consumer's vs the repo's (${rounds})`,
        measured: coldConsumer,
        baseline: coldOwn,
        unit: 'ms',
        ratio: coldRatio,
        goal: '0.95–1.05×',
        met: failures.length === 0 && within(coldRatio),
        note,
      },
      {
        group: GROUP,
        // CPU time of the child (user + system) is steadier than wall time on a loaded machine.
        name: `PreSignUp CPU from process start to first answer: consumer's vs the repo's (${rounds})`,
        measured: cpuConsumer,
        baseline: cpuOwn,
        unit: 'ms CPU',
        ratio: cpuRatio,
        goal: '0.95–1.05×',
        met: failures.length === 0 && within(cpuRatio),
      },
    ];
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The median of `a[i] / b[i]` over the rounds both have. */
function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const count = Math.min(a.length, b.length);
  return median(Array.from({ length: count }, (_, i) => a[i]! / b[i]!));
}
