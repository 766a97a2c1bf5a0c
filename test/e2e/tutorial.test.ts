import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { sandboxLambdaConfig } from '../../tools/sandbox/pool-triggers.js';
import { startSandbox, type Sandbox } from '../../tools/sandbox/start-sandbox.js';

// docs/tutorial.md run as written: every ```bash block in order, in one bash, against a sandbox on
// ephemeral ports (the page's `npm start`, started here). The ```text block after a bash block lists
// lines that block must print, in order; "…" stands for anything. The page reads the sandbox through
// `${SANDBOX_STATE_DIR:-.sandbox}/endpoints.json`, so the test only sets SANDBOX_STATE_DIR.

interface Step {
  readonly script: string;
  readonly expected: readonly string[];
}

function stepsOf(markdown: string): Step[] {
  const blocks = [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1]!,
    body: match[2]!,
  }));
  const steps: Step[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'bash') return;
    const next = blocks[index + 1];
    steps.push({
      script: block.body,
      expected: next?.lang === 'text' ? next.body.split('\n').filter((line) => line.trim() !== '') : [],
    });
  });
  return steps;
}

function patternOf(expectedLine: string): RegExp {
  const parts = expectedLine.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

function runBash(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const MARKER = '@@tutorial-step@@';
let sandbox: Sandbox;
let stateDir: string;
const logs: { source: string; line: string }[] = [];

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'tutorial-'));
  sandbox = await startSandbox({
    stateDir,
    ports: { cognito: 0, lambda: 0, dynamodb: 0, postgres: 0, api: 0 },
    logLevel: 'INFO',
    onLog: (source, line) => logs.push({ source, line }),
  });
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('docs/tutorial.md', () => {
  it('runs as written: a CLI pool runs no trigger, attached it runs them all, /claims answers 401 then 200 with the tenant', async () => {
    // Prepare
    const steps = stepsOf(readFileSync('docs/tutorial.md', 'utf8'));
    expect(steps.length).toBeGreaterThanOrEqual(6);
    const script = ['set -euo pipefail', ...steps.flatMap((step) => [`echo ${MARKER}`, step.script])].join(
      '\n',
    );

    // Act
    const run = await runBash(script, {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SANDBOX_STATE_DIR: stateDir,
    });

    // Assess: the whole page ran, and each step printed what the page says it prints.
    expect(run.code, run.output).toBe(0);
    const outputs = run.output.split(`${MARKER}\n`).slice(1);
    expect(outputs).toHaveLength(steps.length);
    steps.forEach((step, index) => {
      const lines = outputs[index]!.split('\n');
      let from = 0;
      for (const expected of step.expected) {
        const pattern = patternOf(expected);
        const at = lines.findIndex((line, position) => position >= from && pattern.test(line));
        expect(
          at,
          `step ${index + 1} prints "${expected}"; it printed:\n${outputs[index]}`,
        ).toBeGreaterThanOrEqual(0);
        from = at + 1;
      }
    });
  }, 240_000);

  it('runs each Lambda container as an on-demand cold start: cold_start is true on its first invocation only', () => {
    // The lab above ran PreTokenGenerationFunction several times in one warm container.
    const lines = logs
      .filter((entry) => entry.source === 'PreTokenGenerationFunction' && entry.line.startsWith('{'))
      .map((entry) => JSON.parse(entry.line) as { cold_start?: boolean; function_request_id?: string });
    const byInvocation = new Map<string, boolean | undefined>();
    for (const line of lines)
      if (line.function_request_id) byInvocation.set(line.function_request_id, line.cold_start);
    const coldStarts = [...byInvocation.values()];
    expect(coldStarts.length).toBeGreaterThanOrEqual(2);
    expect(coldStarts[0]).toBe(true);
    expect(coldStarts.slice(1).every((cold) => cold === false)).toBe(true);
  });

  it("shows every trigger attached in the sandbox's own pool (describe-user-pool)", async () => {
    // Prepare
    const cognito = new CognitoIdentityProviderClient({
      endpoint: sandbox.cognitoEndpoint,
      region: sandbox.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    // Act
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: sandbox.userPoolId }));
    cognito.destroy();

    // Assess
    expect(UserPool?.LambdaConfig).toEqual(sandboxLambdaConfig());
    expect(Object.keys(UserPool?.LambdaConfig ?? {}).sort()).toEqual([
      'CustomMessage',
      'PostConfirmation',
      'PreSignUp',
      'PreTokenGeneration',
      'PreTokenGenerationConfig',
      'UserMigration',
    ]);
  });
});
