import { build } from 'esbuild';
import { describeFunction, loadTemplate } from './tools/lib/template.js';
const fn = describeFunction(loadTemplate(), process.argv[2]!);
const r = await build({
  ...fn.buildOptions,
  entryPoints: [fn.entryPoint],
  write: false,
  metafile: true,
  outdir: '/tmp/h15/meta',
});
const out = Object.values(r.metafile.outputs).find((o) => o.entryPoint)!;
let ssm = 0;
for (const [f, i] of Object.entries(out.inputs)) if (f.includes('client-ssm')) ssm += i.bytesInOutput;
console.log(process.argv[2], 'total', out.bytes, 'client-ssm', ssm);
