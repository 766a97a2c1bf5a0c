import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunction } from '../../tools/build.js';
import { describeFunction, loadTemplate } from '../../tools/lib/template.js';

/** Runs the bundle's handler on a fixture in a fresh Node process with `env`; resolves with stdout. */
function runBundle(
  bundle: string,
  fixture: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['tools/lib/run-bundle.mjs', bundle, 'index.handler'],
      { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
    child.stdin?.end(readFileSync(fixture));
  });
}

describe('npm run build', () => {
  let bundle: string;
  beforeAll(async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'build-')), 'pre-sign-up');
    bundle = await buildFunction(describeFunction(loadTemplate(), 'PreSignUpFunction'), outdir);
  });

  it('writes one ESM file exporting the handler, with no source map (the template turns them off)', () => {
    const code = readFileSync(bundle, 'utf8');

    expect(bundle.endsWith('pre-sign-up/index.mjs')).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
    expect(code).not.toContain('sourceMappingURL');
  });

  it('keeps node:http out of the static imports (its ESM facade costs ~15 ms of every cold start)', () => {
    const code = readFileSync(bundle, 'utf8');

    expect(code).not.toMatch(/import\s*[\w{}\s,*]*\s*from\s*"node:https?"/);
  });

  it('answers a fixture with tracing wanted, the Tracer loaded from inside the bundle', async () => {
    const run = await runBundle(bundle, 'events/pre-sign-up/sign-up-allowed.json', {
      ALLOWED_EMAIL_DOMAINS: 'example.com',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      AWS_LAMBDA_FUNCTION_TIMEOUT: '5',
    });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });
});
