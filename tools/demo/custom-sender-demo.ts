import { randomBytes } from 'node:crypto';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CapturedEmail } from '../lib/local-ses.js';
import type { RunningSandbox } from '../sandbox/start-sandbox.js';
import { DemoStepError, type DemoStep } from './run-demo.js';

/**
 * The custom sender's step of `npm run demo`, against a sandbox started with `customSender`: a sign-up
 * whose confirmation email cognito-local hands to CustomSenderFunction (code encrypted under the local
 * KMS), which decrypts it and sends it through SES v2 to the local SES; the code read from that email
 * then confirms the account.
 */
export async function runCustomSenderDemo(
  sandbox: RunningSandbox & { readonly sesEndpoint: string },
  onStep: (step: DemoStep) => void = () => undefined,
): Promise<DemoStep> {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: sandbox.cognitoEndpoint,
    region: sandbox.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const details: string[] = [];
  let ok = true;
  try {
    const email = `sender.${randomBytes(3).toString('hex')}@example.com`;
    details.push(`SignUp ${email} (the pool's CustomEmailSender is CustomSenderFunction)`);
    await cognito.send(
      new SignUpCommand({
        ClientId: sandbox.clientId,
        Username: email,
        Password: 'a long sandbox password',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const response = await fetch(`${sandbox.sesEndpoint}/store`);
    const { emails } = (await response.json()) as { emails: CapturedEmail[] };
    const sent = emails.filter((candidate) => candidate.destination.to.includes(email));
    if (sent.length !== 1)
      throw new DemoStepError(`expected one email to ${email} in the local SES, found ${sent.length}`);
    const message = sent[0] as CapturedEmail;
    const code = /\b(\d{6})\b/.exec(message.body.text ?? '')?.[1];
    details.push(`-> delivered by SES v2 SendEmail to the local SES (${sandbox.sesEndpoint}, web UI there)`);
    details.push(`   from: ${message.from}`, `   subject: ${message.subject}`);
    details.push(
      `   text part: ${(message.body.text ?? '').split('\n').find((line) => /\d{6}/.test(line)) ?? '(no code)'}`,
    );
    if (code === undefined) throw new DemoStepError('the email carries no 6-digit code');
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email, ConfirmationCode: code }),
    );
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: email }),
    );
    details.push(`-> ConfirmSignUp with the decrypted code: ${user.UserStatus ?? 'unknown'}`);
    if (user.UserStatus !== 'CONFIRMED')
      throw new DemoStepError('the code from the email did not confirm the account');
  } catch (error) {
    ok = false;
    details.push(`FAILED: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  } finally {
    cognito.destroy();
  }
  const step = {
    title: 'The custom sender delivers the sign-up email (KMS-encrypted code, SES v2)',
    ok,
    details,
  };
  onStep(step);
  return step;
}
