import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createLocalDynamoDbClient, queryUserItems } from '../support/dynalite.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfirmationCode } from '../../tools/sandbox/confirmation-codes.js';
import type { Sandbox } from '../../tools/sandbox/start-sandbox.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// The tenant lifecycle in the sandbox exactly as `npm start` configures it (no parameter pinned here):
// PostConfirmation provisions a confirmed sign-up from the seeded domain rules, and
// PreTokenGeneration (ON_MISSING_TENANT=provision) an admin-created user at first sign-in.
const PASSWORD = 'a long sandbox password';

let sandbox: Sandbox;
let running: TestSandbox | undefined;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  running = await startTestSandbox('sandbox-lifecycle-');
  ({ sandbox, cognito } = running);
}, 120_000);

afterAll(() => running?.stop());

async function verifiedClaims(idToken: string) {
  const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(sandbox.jwksUrl)), {
    issuer: sandbox.issuer,
    audience: sandbox.clientId,
  });
  return payload;
}

function signIn(email: string, password: string) {
  return cognito.send(
    new InitiateAuthCommand({
      ClientId: sandbox.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

/** Who wrote each membership of the user named by this ID token's sub (`provisionedBy`). */
async function provisionedBy(sub: unknown): Promise<string[]> {
  const dynamo = createLocalDynamoDbClient(sandbox.dynamoDbEndpoint);
  try {
    const items = await queryUserItems(dynamo, sandbox.tenantTableName, String(sub));
    return items.map((item) => item.provisionedBy?.S ?? '(seeded)');
  } finally {
    dynamo.destroy();
  }
}

async function signUpAndConfirm(email: string): Promise<void> {
  await cognito.send(new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: PASSWORD }));
  const code = await readConfirmationCode(sandbox, email);
  expect(code).toMatch(/^\d{6}$/);
  await cognito.send(
    new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email, ConfirmationCode: code! }),
  );
}

describe('the tenant lifecycle in the sandbox', () => {
  it('gives a user who signs up with a ruled domain, confirms and signs in tenant_id in the ID token', async () => {
    // Prepare
    const email = 'first.hire@acme.example.com';

    // Act
    await signUpAndConfirm(email);
    const auth = await signIn(email, PASSWORD);

    // Assess
    const claims = await verifiedClaims(auth.AuthenticationResult!.IdToken!);
    expect(claims).toMatchObject({ tenant_id: 'acme', tenant_role: 'member', tenant_plan: 'pro' });
    expect(await provisionedBy(claims.sub)).toEqual(['post-confirmation']);
    const confirmations = sandbox
      .invocations()
      .filter((record) => record.functionName === 'PostConfirmationFunction');
    expect(confirmations).toContainEqual({
      functionName: 'PostConfirmationFunction',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      ok: true,
    });
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: email }),
    );
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('gives an internationalised domain its punycode rule', async () => {
    // Act
    await signUpAndConfirm('anna@bücher.example.com');
    const auth = await signIn('anna@bücher.example.com', PASSWORD);

    // Assess
    expect(await verifiedClaims(auth.AuthenticationResult!.IdToken!)).toMatchObject({ tenant_id: 'initech' });
  });

  it('gives an admin-created user the tenant of their domain rule on first sign-in', async () => {
    // Prepare: PostConfirmation never runs for an admin-created user.
    const email = 'invited@initech.example.com';
    const temporary = 'a temporary sandbox password';
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: sandbox.userPoolId,
        Username: email,
        TemporaryPassword: temporary,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );

    // Act
    const challenge = await signIn(email, temporary);
    const auth = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: sandbox.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: PASSWORD },
      }),
    );

    // Assess
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const claims = await verifiedClaims(auth.AuthenticationResult!.IdToken!);
    expect(claims).toMatchObject({ tenant_id: 'initech', tenant_role: 'member', tenant_plan: 'free' });
    expect(await provisionedBy(claims.sub)).toEqual(['pre-token-generation']);
  });

  it.each([
    ['an admin-confirmed sign-up whose email was never verified', 'unverified@acme.example.com', true],
    ['a confirmed sign-up whose domain has no rule', 'no.rule@example.com', false],
  ])(
    'provisions nothing for %s: tokens are refused with TENANT_REQUIRED',
    async (_case, email, adminConfirm) => {
      // Prepare
      if (adminConfirm) {
        await cognito.send(
          new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: PASSWORD }),
        );
        await cognito.send(
          new AdminConfirmSignUpCommand({ UserPoolId: sandbox.userPoolId, Username: email }),
        );
      } else {
        await signUpAndConfirm(email);
      }

      // Act
      const failure = await signIn(email, PASSWORD).then(
        () => undefined,
        (error: unknown) => error as Error,
      );

      // Assess
      expect(failure?.name).toBe('UserLambdaValidationException');
      expect(failure?.message).toContain('[TENANT_REQUIRED]');
    },
  );
});
