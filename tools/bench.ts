/**
 * `npm run bench`: the toolkit's speed, as ratios against baselines measured side by side in the
 * same run. Prints a table and writes `.bench/report.json` and `.bench/report.md` (the table as markdown). Absolute times vary by machine; the
 * ratios are the claim. `npm run bench -- <section> ...` runs only the named sections.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { BenchRow } from './bench/types.js';
import { describeRuntimeMismatch } from './lib/runtime.js';

type Section = { name: string; load: () => Promise<() => Promise<BenchRow[]>> };

// Each section is imported only when it runs, so one section's dependencies never slow another's.
const SECTIONS: Section[] = [
  {
    name: 'cold-start',
    load: async () => (await import('./bench/cold-start.js')).benchColdStart,
  },
  {
    name: 'middleware',
    load: async () => (await import('./bench/middleware-overhead.js')).benchMiddlewareOverhead,
  },
  {
    name: 'password',
    load: async () => (await import('./bench/password-verify.js')).benchPasswordVerification,
  },
  {
    name: 'enumeration',
    load: async () => (await import('./bench/enumeration.js')).benchEnumerationTiming,
  },
  {
    name: 'email-domain',
    load: async () => (await import('./bench/email-domain.js')).benchEmailDomainPolicy,
  },
  {
    name: 'tenant-cache',
    load: async () => (await import('./bench/tenant-cache.js')).benchTenantCache,
  },
  {
    name: 'provisioning',
    load: async () => (await import('./bench/provisioning.js')).benchProvisioningWrites,
  },
  {
    name: 'package',
    load: async () => (await import('./bench/package-consumer.js')).benchPackageConsumer,
  },
  {
    name: 'deadline',
    load: async () => (await import('./bench/deadline-adherence.js')).benchDeadlineAdherence,
  },
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !SECTIONS.some((section) => section.name === name));
if (unknown.length > 0) {
  console.error(
    `bench: unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const rows: BenchRow[] = [];
const timings: Record<string, number> = {};
const failed: string[] = [];
for (const section of SECTIONS) {
  if (only.length > 0 && !only.includes(section.name)) continue;
  process.stderr.write(`bench: ${section.name} ...\n`);
  const started = process.hrtime.bigint();
  try {
    const run = await section.load();
    rows.push(...(await run()));
  } catch (error) {
    // One broken section must not cost the others' numbers: report it as a failed row and go on.
    failed.push(section.name);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`bench: ${section.name} failed: ${reason}\n`);
    rows.push({
      group: section.name,
      name: 'section failed',
      measured: Number.NaN,
      baseline: Number.NaN,
      unit: '-',
      ratio: Number.NaN,
      goal: 'runs',
      met: false,
      note: reason.slice(0, 500),
    });
  }
  timings[section.name] = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(`bench: ${section.name} took ${timings[section.name]!.toFixed(1)} s\n`);
}

const format = (value: number): string =>
  !Number.isFinite(value)
    ? '-'
    : value >= 100
      ? value.toFixed(0)
      : value >= 10
        ? value.toFixed(1)
        : value >= 0.01
          ? value.toFixed(3)
          : value.toExponential(2);
const table = [
  '| group | measurement | toolkit | baseline | unit | ratio | goal | met |',
  '|---|---|---:|---:|---|---:|---|---|',
  ...rows.map(
    (row) =>
      `| ${row.group} | ${row.name} | ${format(row.measured)} | ${format(row.baseline)} | ${row.unit} | ${Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}×` : '-'} | ${row.goal} | ${row.met ? 'yes' : 'NO'} |`,
  ),
];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const runtimeMismatch = describeRuntimeMismatch();
console.log(`Machine: ${machine}${runtimeMismatch === undefined ? '' : ` (warning: ${runtimeMismatch})`}\n`);
console.log(table.join('\n'));
for (const row of rows.filter((r) => r.note)) console.log(`\n- ${row.name}: ${row.note}`);
mkdirSync('.bench', { recursive: true });
// The same table as markdown, ready to paste into docs/performance.md.
writeFileSync(
  '.bench/report.md',
  [
    `Run of ${new Date().toISOString().slice(0, 10)} on ${machine}${only.length > 0 ? ` (sections: ${only.join(', ')})` : ''}:`,
    '',
    ...table,
    '',
    ...rows.filter((r) => r.note).map((row) => `- ${row.name}: ${row.note}`),
    '',
  ].join('\n'),
);
writeFileSync(
  '.bench/report.json',
  JSON.stringify({ machine, date: new Date().toISOString(), sectionSeconds: timings, rows }, null, 2),
);
if (failed.length > 0) process.exitCode = 1;
