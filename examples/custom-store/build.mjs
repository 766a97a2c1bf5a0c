// Bundles each function with the esbuild options the template's Metadata gives `sam build`.
import { build } from 'esbuild';

const functions = {
  'user-migration': 'src/user-migration.ts',
  'pre-authentication': 'src/pre-authentication.ts',
};

for (const [name, entry] of Object.entries(functions)) {
  await build({
    entryPoints: [entry],
    outfile: `dist/${name}/index.mjs`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    // No source map: its parse on a container's first error would cost the Cognito deadline.
    sourcemap: false,
    banner: {
      js: "import { createRequire as __ctkRequire } from 'node:module'; const require = __ctkRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  console.error(`built dist/${name}/index.mjs`);
}
