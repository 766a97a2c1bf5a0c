import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/start-sandbox.js';
import type { CapturedEmail } from '../../tools/lib/local-ses.js';

// The sandbox with cognito-local's CustomEmailSender routed through the built CustomSenderFunction:
// cognito-local encrypts the code with its KMS keyring (local KMS), our bundle decrypts it and sends
// through SES v2 to aws-ses-v2-local.
let sandbox: Sandbox;
let stateDir: string;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-sender-e2e-'));
  sandbox = await startSandbox({
    stateDir,
    ports: { cognito: 0, lambda: 0, dynamodb: 0, postgres: 0 },
    logLevel: 'ERROR',
    customSender: { sesPort: 0, kmsPort: 0 },
  });
  cognito = new CognitoIdentityProviderClient({
    endpoint: sandbox.cognitoEndpoint,
    region: sandbox.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}, 90_000);

afterAll(async () => {
  cognito?.destroy();
  await sandbox?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

async function emailsTo(address: string): Promise<CapturedEmail[]> {
  const response = await fetch(`${sandbox.sesEndpoint}/store`);
  const { emails } = (await response.json()) as { emails: CapturedEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

describe('the sandbox with the custom sender', () => {
  it('delivers the sign-up email through our sender, and its code confirms the account', async () => {
    // Prepare
    const email = 'sender-journey@example.com';

    // Act
    await cognito.send(
      new SignUpCommand({
        ClientId: sandbox.clientId,
        Username: email,
        Password: 'a long sandbox password',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'locale', Value: 'fr' },
        ],
      }),
    );
    const sent = await emailsTo(email);
    const code = /(\d{6})/.exec(sent[0]?.body.text ?? '')?.[1] ?? '';
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email, ConfirmationCode: code }),
    );

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe('Confirmez votre compte Sandbox App');
    expect(sent[0]?.body.html).toContain(code);
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: email }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    const senderCalls = sandbox
      .invocations()
      .filter((record) => record.functionName === 'CustomSenderFunction');
    expect(senderCalls.map((record) => [record.triggerSource, record.ok])).toEqual([
      ['CustomEmailSender_SignUp', true],
    ]);
  });
});
