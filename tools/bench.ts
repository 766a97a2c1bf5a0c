/**
 * `npm run bench`: the toolkit's speed, as ratios against baselines measured side by side in the
 * same run. Prints a table and writes `.bench/report.json`. Absolute times vary by machine; the
 * ratios are the claim. `npm run bench -- <section> ...` runs only the named sections.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { BenchRow } from './bench/types.js';

type Section = { name: string; load: () => Promise<() => Promise<BenchRow[]>> };

const SECTIONS: Section[] = [
  {
    name: 'middleware',
    load: async () => (await import('./bench/middleware-overhead.js')).benchMiddlewareOverhead,
  },
];

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const section of SECTIONS) {
  if (only.length > 0 && !only.includes(section.name)) continue;
  process.stderr.write(`bench: ${section.name} ...\n`);
  const run = await section.load();
  rows.push(...(await run()));
}

const format = (value: number): string =>
  value >= 100
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
      `| ${row.group} | ${row.name} | ${format(row.measured)} | ${format(row.baseline)} | ${row.unit} | ${row.ratio.toFixed(2)}× | ${row.goal} | ${row.met ? 'yes' : 'NO'} |`,
  ),
];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Machine: ${machine}\n`);
console.log(table.join('\n'));
for (const row of rows.filter((r) => r.note)) console.log(`\n- ${row.name}: ${row.note}`);
mkdirSync('.bench', { recursive: true });
writeFileSync(
  '.bench/report.json',
  JSON.stringify({ machine, date: new Date().toISOString(), rows }, null, 2),
);
