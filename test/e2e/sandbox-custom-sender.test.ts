import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../tools/sandbox/start-sandbox.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';
import type { CapturedEmail } from '../../tools/lib/local-ses.js';

// The sandbox with cognito-local's CustomEmailSender routed through the built CustomSenderFunction:
// cognito-local encrypts the code with its KMS keyring (local KMS), our bundle decrypts it and sends
// through SES v2 to aws-ses-v2-local.
let sandbox: Sandbox;
let running: TestSandbox | undefined;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  running = await startTestSandbox('sandbox-sender-e2e-', {
    customSender: { sesPort: 0, kmsPort: 0 },
  });
  ({ sandbox, cognito } = running);
}, 90_000);

afterAll(() => running?.stop());

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
