import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSes } from '../../tools/lib/local-ses.js';
import { startLocalSnsServer, type LocalSnsServer } from '../../tools/lib/local-sns-server.js';

/** Runs `npm run invoke -- <args>` the way a user does, with the local SES and SNS endpoints exported. */
function invoke(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'tools/invoke.ts', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

let ses: Awaited<ReturnType<typeof startLocalSes>>;
let sns: LocalSnsServer;
beforeAll(async () => {
  [ses, sns] = await Promise.all([startLocalSes(), startLocalSnsServer()]);
});
afterAll(async () => {
  await Promise.all([ses?.stop(), sns?.close()]);
});

describe('npm run invoke -- CustomSenderFunction (fixtures encrypted with the test raw key)', () => {
  it('delivers the sign-up email to the local SES and the sign-in SMS to the local SNS', async () => {
    // Prepare
    const env = { AWS_ENDPOINT_URL_SESV2: ses.endpoint, AWS_ENDPOINT_URL_SNS: sns.endpoint };
    const common = ['--env-vars', 'events/custom-sender/env.json'];

    // Act
    const email = await invoke(
      ['CustomSenderFunction', '-e', 'events/custom-sender/email-sign-up.json', ...common],
      env,
    );
    const sms = await invoke(
      ['CustomSenderFunction', '-e', 'events/custom-sender/sms-authentication.json', ...common],
      env,
    );

    // Assess
    expect([email.code, sms.code]).toEqual([0, 0]);
    expect(JSON.parse(email.stdout).triggerSource).toBe('CustomEmailSender_SignUp');
    const emails = await ses.emails();
    expect(emails.map((sent) => [sent.destination.to, sent.subject])).toEqual([
      [['ada.lovelace@example.com'], 'Ada, confirm your Example App account'],
    ]);
    expect(emails[0]?.body.text).toContain('482913');
    expect(sns.published.map((sent) => [sent.phoneNumber, sent.message])).toEqual([
      ['+447700900123', 'Example App : votre code de connexion est 61524'],
    ]);
  });

  // Its template is mustache's (not stored tokens): the bundle evaluates its embedded copy of mustache.
  it('delivers the account-takeover email, rendered by the mustache embedded in the bundle', async () => {
    // Prepare
    const env = { AWS_ENDPOINT_URL_SESV2: ses.endpoint, AWS_ENDPOINT_URL_SNS: sns.endpoint };
    const before = (await ses.emails()).length;

    // Act
    const takeover = await invoke(
      [
        'CustomSenderFunction',
        '-e',
        'events/custom-sender/email-account-takeover.json',
        '--env-vars',
        'events/custom-sender/env.json',
      ],
      env,
    );

    // Assess
    expect(takeover.code).toBe(0);
    const sent = (await ses.emails()).slice(before);
    expect(sent.map((email) => [email.destination.to, email.subject])).toEqual([
      [['ada.lovelace@example.com'], 'Unusual sign-in to your Example App account'],
    ]);
    expect(sent[0]?.body.text).toContain('203.0.113.42');
  });
});
