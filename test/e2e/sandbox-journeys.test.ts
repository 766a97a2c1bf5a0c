import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, membershipItem, seedTenantItems } from '../support/dynalite.js';
import { runDemo } from '../../tools/demo/run-demo.js';
import { sandboxLambdaConfig } from '../../tools/sandbox/pool-triggers.js';
import type { Sandbox } from '../../tools/sandbox/start-sandbox.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.js';

// The whole toolkit offline, as `npm start` runs it: the four built triggers behind the sandbox's
// Lambda Invoke API, called by cognito-local, with dynalite and PGlite seeded from tools/sandbox/seed.
// The seeded legacy users all have the password below (reference hash vectors).
const LEGACY_PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a long sandbox password';

let sandbox: Sandbox;
let running: TestSandbox | undefined;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  running = await startTestSandbox('sandbox-e2e-', {
    // Pinned here so the journeys below do not depend on the template's current defaults.
    parameters: { OnMissingTenant: 'deny', OnLookupFailure: 'deny' },
  });
  ({ sandbox, cognito } = running);
}, 90_000);

afterAll(() => running?.stop());

function signIn(email: string, password: string) {
  return cognito.send(
    new InitiateAuthCommand({
      ClientId: sandbox.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as Error,
  );
}

function invocationsOf(functionName: string, triggerSource?: string) {
  return sandbox
    .invocations()
    .filter(
      (record) =>
        record.functionName === functionName &&
        (triggerSource === undefined || record.triggerSource === triggerSource),
    );
}

/** Makes the user a member of acme (the token trigger denies users of no tenant), then signs in. */
async function accessTokenOf(
  clientId: string,
  email: string,
  password: string,
  user: AdminGetUserCommandOutput,
): Promise<string> {
  const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  const dynamo = createLocalDynamoDbClient(sandbox.dynamoDbEndpoint);
  try {
    await seedTenantItems(dynamo, sandbox.tenantTableName, [membershipItem(sub!, 'acme', 'member', true)]);
  } finally {
    dynamo.destroy();
  }
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  return auth.AuthenticationResult!.AccessToken!;
}

async function attributesOf(email: string): Promise<Record<string, string>> {
  const user = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: email }),
  );
  return Object.fromEntries(
    (user.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value ?? '']),
  );
}

describe('the sandbox, end to end through cognito-local', () => {
  it('passes every step of the demo walkthrough', async () => {
    // Prepare / Act
    const steps = await runDemo(sandbox);

    // Assess
    expect(steps.filter((step) => !step.ok)).toEqual([]);
    expect(steps).toHaveLength(6);
  });

  it.each([
    ['a domain outside the allow list', 'someone@gmail.com'],
    ['a denied subdomain of an allowed wildcard', 'someone@blocked.example.com'],
    ['a domain that only ends with an allowed one', 'someone@notexample.com'],
  ])('refuses a sign-up from %s with EMAIL_DOMAIN_NOT_ALLOWED', async (_case, email) => {
    // Act
    const error = await failureOf(
      cognito.send(
        new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: NEW_PASSWORD }),
      ),
    );

    // Assess
    expect(error.name).toBe('UserLambdaValidationException');
    expect(error.message).toContain('[EMAIL_DOMAIN_NOT_ALLOWED]');
  });

  it('accepts a sign-up from an allowed subdomain and renders its message in the user locale', async () => {
    // Prepare
    const email = 'new.member@team.example.com';

    // Act
    const output = await cognito.send(
      new SignUpCommand({
        ClientId: sandbox.clientId,
        Username: email,
        Password: NEW_PASSWORD,
        UserAttributes: [{ Name: 'locale', Value: 'fr' }],
      }),
    );

    // Assess
    expect(output.UserConfirmed).toBe(false);
    const message = sandbox.messages().find((captured) => captured.to === email);
    expect(message?.triggerSource).toBe('CustomMessage_SignUp');
    expect(message?.locale).toBe('fr');
    expect(message?.emailMessage).toContain('{####}');
    expect(message?.emailMessage).toContain('lang="fr"');
    // The text part reads as a letter: the app's name once, then the greeting.
    expect(message?.emailText).toMatch(
      /^Sandbox App\n\nBonjour,\n\nMerci de votre inscription à Sandbox App\./,
    );
  });

  it("migrates a legacy user with the legacy row's attributes and a Cognito sub", async () => {
    // Act
    const auth = await signIn('grace@example.com', LEGACY_PASSWORD);

    // Assess
    expect(auth.AuthenticationResult?.IdToken).toBeTypeOf('string');
    const attributes = await attributesOf('grace@example.com');
    expect(attributes).toMatchObject({
      email: 'grace@example.com',
      email_verified: 'true',
      given_name: 'Grace',
      family_name: 'Hopper',
      locale: 'en',
    });
    expect(attributes.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(attributes).not.toHaveProperty('password_hash');
    expect(attributes).not.toHaveProperty('disabled');
  });

  it("gives a user of several tenants the default tenant's claims and the list of tenants", async () => {
    // Act
    const auth = await signIn('grace@example.com', LEGACY_PASSWORD);

    // Assess
    const { payload } = await jwtVerify(
      auth.AuthenticationResult!.IdToken!,
      createRemoteJWKSet(new URL(sandbox.jwksUrl)),
      {
        issuer: sandbox.issuer,
        audience: sandbox.clientId,
      },
    );
    expect(payload).toMatchObject({ tenant_id: 'initech', tenant_role: 'admin', tenant_plan: 'free' });
    expect(String(payload.tenant_ids)).toContain('acme');
    expect(String(payload.tenant_ids)).toContain('initech');
  });

  it('refuses tokens to a user of no tenant with TENANT_REQUIRED (ON_MISSING_TENANT=deny)', async () => {
    // Act
    const error = await failureOf(signIn('linus@example.com', LEGACY_PASSWORD));

    // Assess
    expect(error.name).toBe('UserLambdaValidationException');
    expect(error.message).toContain('[TENANT_REQUIRED]');
  });

  it.each([
    ['a wrong password', 'alan@example.com', 'correct horse battery stapler'],
    ['a user disabled in the legacy store', 'edsger@example.com', LEGACY_PASSWORD],
    ['a user unknown to the legacy store', 'nobody@example.com', LEGACY_PASSWORD],
  ])('refuses to migrate %s with MIGRATION_FAILED and creates no user', async (_case, email, password) => {
    // Prepare
    const before = invocationsOf('UserMigrationFunction').length;

    // Act
    const error = await failureOf(signIn(email, password));

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
    const migrations = invocationsOf('UserMigrationFunction').slice(before);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]).toMatchObject({
      ok: false,
      errorMessage: expect.stringMatching(/^\[MIGRATION_FAILED\] /),
    });
    const lookup = await failureOf(
      cognito.send(new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: email })),
    );
    expect(lookup.name).toBe('UserNotFoundException');
  });

  it('refuses tokens to a member of a suspended tenant with TENANT_SUSPENDED', async () => {
    // Act
    const error = await failureOf(signIn('margaret@example.com', LEGACY_PASSWORD));

    // Assess
    expect(error.name).toBe('UserLambdaValidationException');
    expect(error.message).toContain('[TENANT_SUSPENDED]');
  });

  it('renders the verification message of an email change to an allowed domain', async () => {
    // Prepare
    const auth = await signIn('ada@example.com', LEGACY_PASSWORD);

    // Act
    await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: auth.AuthenticationResult!.AccessToken!,
        UserAttributes: [{ Name: 'email', Value: 'ada.lovelace@example.com' }],
      }),
    );

    // Assess
    const rendered = invocationsOf('CustomMessageFunction', 'CustomMessage_UpdateUserAttribute');
    expect(rendered.at(-1)).toMatchObject({ ok: true });
  });

  it('has the CustomMessage trigger refuse the code for an email change to a disallowed domain', async () => {
    // Prepare: cognito-local hands CustomMessage_UpdateUserAttribute the *current* address while a
    // change awaits verification (the template's AttributesRequireVerificationBeforeUpdate), where
    // Cognito hands it the new one. A pool that applies the change at once shows the trigger the
    // new address, as Cognito does.
    const pool = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'immediate-email-updates',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        // A pool runs only the triggers attached to it.
        LambdaConfig: sandboxLambdaConfig(),
      }),
    );
    const client = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.UserPool!.Id!,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    const email = 'member.of.acme@example.com';
    await cognito.send(
      new SignUpCommand({
        ClientId: client.UserPoolClient!.ClientId!,
        Username: email,
        Password: NEW_PASSWORD,
      }),
    );
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.UserPool!.Id!, Username: email }));
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.UserPool!.Id!, Username: email }),
    );
    const accessToken = await accessTokenOf(client.UserPoolClient!.ClientId!, email, NEW_PASSWORD, user);
    const before = invocationsOf('CustomMessageFunction', 'CustomMessage_UpdateUserAttribute').length;

    // Act: cognito-local swallows a CustomMessage error and answers the call anyway, so the refusal
    // is read from the trigger's own answer.
    await cognito
      .send(
        new UpdateUserAttributesCommand({
          AccessToken: accessToken,
          UserAttributes: [{ Name: 'email', Value: 'member@mailinator.com' }],
        }),
      )
      .catch(() => undefined);

    // Assess
    const attempts = invocationsOf('CustomMessageFunction', 'CustomMessage_UpdateUserAttribute').slice(
      before,
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      ok: false,
      errorMessage: expect.stringMatching(/^\[EMAIL_DOMAIN_NOT_ALLOWED\] /),
    });
    expect(sandbox.messages().filter((message) => message.to === 'member@mailinator.com')).toEqual([]);
  });
});

describe('the sandbox when the legacy database goes down', () => {
  it('fails closed: the migration answers TEMPORARY_FAILURE and no user is created', async () => {
    // Prepare: a migration that works proves the database was up before.
    await signIn('alan@example.com', LEGACY_PASSWORD);
    const before = invocationsOf('UserMigrationFunction').length;
    await sandbox.stopLegacyDatabase();

    // Act
    const error = await failureOf(signIn('margaret.other@example.com', LEGACY_PASSWORD));

    // Assess
    expect(error.name).toBe('NotAuthorizedException');
    const migrations = invocationsOf('UserMigrationFunction').slice(before);
    expect(migrations).toHaveLength(1);
    expect(migrations[0]).toMatchObject({
      ok: false,
      errorMessage: expect.stringMatching(/^\[TEMPORARY_FAILURE\] /),
    });
  });

  it('still signs in a user migrated before the outage, without the legacy database', async () => {
    // Act
    const auth = await signIn('alan@example.com', LEGACY_PASSWORD);

    // Assess
    expect(decodeJwt(auth.AuthenticationResult!.IdToken!)).toMatchObject({
      tenant_id: 'initech',
      tenant_role: 'member',
    });
  });
});
