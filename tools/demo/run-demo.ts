import { randomBytes } from 'node:crypto';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { readConfirmationCode } from '../sandbox/confirmation-codes.js';
import type { InvocationRecord } from '../sandbox/lambda-invoke-server.js';
import { readCapturedMessages, type CapturedMessage } from '../sandbox/message-outbox.js';
import type { RunningSandbox } from '../sandbox/start-sandbox.js';
import { readTenantSeed, type TenantSeed } from '../sandbox/tenant-table.js';

/** One step of the walkthrough and how it went. */
export interface DemoStep {
  readonly title: string;
  readonly ok: boolean;
  /** What the step showed (printed under its title). */
  readonly details: readonly string[];
}

/** A step failed: its message says what was expected and what happened. */
export class DemoStepError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DemoStepError';
  }
}

/**
 * The scripted walkthrough of `npm run demo` against a running sandbox: a refused sign-up, an allowed
 * one and its rendered message, a legacy user migrated on sign-in then signing in without the trigger,
 * an ID token with tenant claims verified against the sandbox's JWKS, and a new user of a domain with a
 * rule who signs up, confirms and signs in with the tenant PostConfirmation gave them. Every step runs (a failed
 * step does not hide the next ones); `onStep` sees each as it finishes.
 */
export async function runDemo(
  sandbox: RunningSandbox,
  onStep: (step: DemoStep) => void = () => undefined,
): Promise<DemoStep[]> {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: sandbox.cognitoEndpoint,
    region: sandbox.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const steps: DemoStep[] = [];
  const step = async (title: string, body: (details: string[]) => Promise<void>): Promise<boolean> => {
    const details: string[] = [];
    let ok = true;
    try {
      await body(details);
    } catch (error) {
      ok = false;
      details.push(`FAILED: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    const done = { title, ok, details };
    steps.push(done);
    onStep(done);
    return ok;
  };
  const run = randomBytes(3).toString('hex');
  const password = 'a long sandbox password';

  try {
    await step('A sign-up with a refused email domain is refused with its code', async (details) => {
      const email = `someone.${run}@gmail.com`;
      details.push(`SignUp ${email}`);
      const error = await cognito
        .send(new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: password }))
        .then(
          () => undefined,
          (caught: unknown) => caught as Error,
        );
      if (error === undefined)
        throw new DemoStepError('the sign-up succeeded; expected PreSignUp to refuse it');
      details.push(`-> ${error.name}: ${error.message}`);
      if (!error.message.includes('[EMAIL_DOMAIN_NOT_ALLOWED]')) {
        throw new DemoStepError('expected the message to carry [EMAIL_DOMAIN_NOT_ALLOWED]');
      }
    });

    await step('An allowed sign-up succeeds and CustomMessage renders its email', async (details) => {
      const email = `new.user.${run}@example.com`;
      details.push(`SignUp ${email}`);
      const output = await cognito.send(
        new SignUpCommand({
          ClientId: sandbox.clientId,
          Username: email,
          Password: password,
          UserAttributes: [{ Name: 'locale', Value: 'en' }],
        }),
      );
      details.push(`-> user ${output.UserSub}, confirmed: ${output.UserConfirmed}`);
      const message = readCapturedMessages(sandbox.messagesDir).findLast(
        (captured) => captured.to === email && captured.triggerSource === 'CustomMessage_SignUp',
      );
      if (!message)
        throw new DemoStepError(
          `no rendered CustomMessage_SignUp message for ${email} in ${sandbox.messagesDir}`,
        );
      details.push(...describeMessage(message, sandbox.messagesDir));
    });

    const tenantSeed = readTenantSeed();
    const legacy = await pickUnmigratedLegacyUser(cognito, sandbox, tenantSeed);
    let idToken: string | undefined;
    const migrated = await step(
      'A legacy user signs in with USER_PASSWORD_AUTH and is migrated',
      async (details) => {
        if (!legacy)
          throw new DemoStepError(
            'every sample legacy user with a tenant is already migrated: restart the sandbox',
          );
        details.push(`${legacy.email} (legacy hash: ${legacy.scheme}) is not in the user pool yet`);
        const before = await migrationCount(sandbox);
        const auth = await signIn(cognito, sandbox.clientId, legacy.email, legacy.password);
        const after = await migrationCount(sandbox);
        if (after !== before + 1)
          throw new DemoStepError(`expected one UserMigration invocation, saw ${after - before}`);
        idToken = auth;
        const user = await cognito.send(
          new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: legacy.email }),
        );
        details.push(
          `-> tokens issued; UserMigration ran once; the pool now holds the user (${user.UserStatus})`,
        );
        const attributes = (user.UserAttributes ?? []).map(
          (attribute) => `${attribute.Name}=${attribute.Value}`,
        );
        details.push(`   attributes: ${attributes.join(', ')}`);
      },
    );

    await step('The migrated user signs in again, without the migration trigger', async (details) => {
      if (!legacy || !migrated) throw new DemoStepError('needs the migration step to have passed');
      const before = await migrationCount(sandbox);
      idToken = await signIn(cognito, sandbox.clientId, legacy.email, legacy.password);
      const after = await migrationCount(sandbox);
      if (after !== before) throw new DemoStepError(`UserMigration ran ${after - before} more time(s)`);
      details.push(
        `-> tokens issued from the pool's own copy; UserMigration invocations unchanged (${after})`,
      );
    });

    await step(
      "The ID token carries the tenant claims and verifies against the sandbox's JWKS",
      async (details) => {
        if (!legacy || idToken === undefined)
          throw new DemoStepError('needs an ID token from the sign-in steps');
        const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(sandbox.jwksUrl)), {
          issuer: sandbox.issuer,
          audience: sandbox.clientId,
        });
        details.push(`-> signature verified with ${sandbox.jwksUrl} (iss ${payload.iss})`);
        const expected = expectedClaimsOf(legacy.email, tenantSeed);
        details.push(`   ${describeClaims(payload)}`);
        for (const [claim, value] of Object.entries(expected)) {
          if (payload[claim] !== value)
            throw new DemoStepError(`expected ${claim}=${value}, got ${String(payload[claim])}`);
        }
      },
    );

    await step(
      'A new user of a domain with a rule signs up, confirms and signs in: PostConfirmation gave the tenant',
      async (details) => {
        const rule = tenantSeed.domainRules?.[0];
        if (!rule) throw new DemoStepError('the tenant seed has no domain rule');
        const email = `newcomer.${run}@${rule.domain}`;
        details.push(`SignUp ${email} (domain rule: ${rule.domain} -> ${rule.tenantId})`);
        await cognito.send(
          new SignUpCommand({ ClientId: sandbox.clientId, Username: email, Password: password }),
        );
        const code = await readConfirmationCode(sandbox, email);
        if (code === undefined)
          throw new DemoStepError(`cognito-local holds no confirmation code for ${email}`);
        const before = await invocationsOf(sandbox, 'PostConfirmationFunction');
        await cognito.send(
          new ConfirmSignUpCommand({ ClientId: sandbox.clientId, Username: email, ConfirmationCode: code }),
        );
        const confirmations = (await invocationsOf(sandbox, 'PostConfirmationFunction')).slice(before.length);
        if (confirmations.length !== 1 || !confirmations[0]!.ok)
          throw new DemoStepError(
            `expected one answered PostConfirmation invocation, saw ${JSON.stringify(confirmations)}`,
          );
        details.push('-> ConfirmSignUp with the emailed code; PostConfirmation answered');
        const token = await signIn(cognito, sandbox.clientId, email, password);
        const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(sandbox.jwksUrl)), {
          issuer: sandbox.issuer,
          audience: sandbox.clientId,
        });
        details.push(`   ${describeClaims(payload)}`);
        const tenant = tenantSeed.tenants.find((candidate) => candidate.tenantId === rule.tenantId);
        const expected = {
          tenant_id: rule.tenantId,
          tenant_role: rule.role ?? 'member',
          tenant_plan: tenant?.plan,
        };
        for (const [claim, value] of Object.entries(expected)) {
          if (payload[claim] !== value)
            throw new DemoStepError(`expected ${claim}=${String(value)}, got ${String(payload[claim])}`);
        }
      },
    );
  } finally {
    cognito.destroy();
  }
  return steps;
}

async function signIn(
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  email: string,
  password: string,
): Promise<string> {
  const output = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const idToken = output.AuthenticationResult?.IdToken;
  if (!idToken) throw new DemoStepError(`no ID token (challenge: ${output.ChallengeName ?? 'none'})`);
  return idToken;
}

async function pickUnmigratedLegacyUser(
  cognito: CognitoIdentityProviderClient,
  sandbox: RunningSandbox,
  seed: TenantSeed,
): Promise<RunningSandbox['sampleUsers'][number] | undefined> {
  // A user whose default tenant is active, so the token step has claims to show.
  const activeTenants = new Set(
    seed.tenants.filter((tenant) => tenant.status === 'active').map((tenant) => tenant.tenantId),
  );
  const candidates = sandbox.sampleUsers.filter((user) => {
    const tenantId = expectedClaimsOf(user.email, seed).tenant_id;
    return !user.disabled && tenantId !== undefined && activeTenants.has(tenantId);
  });
  for (const user of candidates) {
    const exists = await cognito
      .send(new AdminGetUserCommand({ UserPoolId: sandbox.userPoolId, Username: user.email }))
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof UserNotFoundException) return false;
          throw error;
        },
      );
    if (!exists) return user;
  }
  return undefined;
}

/** How many times the migration trigger has run, from the sandbox's Lambda endpoint. */
async function migrationCount(sandbox: RunningSandbox): Promise<number> {
  return (await invocationsOf(sandbox, 'UserMigrationFunction')).length;
}

/** A function's invocations so far, from the sandbox's Lambda endpoint. */
async function invocationsOf(sandbox: RunningSandbox, functionName: string): Promise<InvocationRecord[]> {
  const response = await fetch(`${sandbox.lambdaEndpoint}/sandbox/invocations`);
  if (!response.ok) throw new DemoStepError(`the sandbox's invocation log answered ${response.status}`);
  const records = (await response.json()) as InvocationRecord[];
  return records.filter((record) => record.functionName === functionName);
}

/** The claims the seeded tenant table gives this user: their default (or only) tenant. */
export function expectedClaimsOf(email: string, seed: TenantSeed): Record<string, string> {
  const memberships = seed.memberships.filter((member) => member.email === email);
  const chosen = memberships.find((member) => member.default) ?? memberships[0];
  if (!chosen) return {};
  const tenant = seed.tenants.find((candidate) => candidate.tenantId === chosen.tenantId);
  return { tenant_id: chosen.tenantId, tenant_role: chosen.role, tenant_plan: tenant?.plan ?? '' };
}

function describeClaims(payload: JWTPayload): string {
  const tenantClaims = Object.entries(payload).filter(([claim]) => claim.startsWith('tenant_'));
  return `claims: sub=${payload.sub}, email=${String(payload.email)}, ${tenantClaims.map(([claim, value]) => `${claim}=${String(value)}`).join(', ')}`;
}

function describeMessage(message: CapturedMessage, dir: string): string[] {
  // One line of the text part, as a person would read it (the sandbox keeps it whole in the .txt file).
  const text = (message.emailText ?? '').replace(/\s+/g, ' ');
  return [
    `-> rendered by CustomMessage (${message.triggerSource}, locale ${message.locale ?? 'default'}), kept in ${dir}`,
    `   subject: ${message.emailSubject ?? '(none)'}`,
    `   text:    ${text.length > 300 ? `${text.slice(0, 300)}...` : text}`,
    `   sms:     ${message.smsMessage ?? '(none)'}`,
    '   ({####} is where Cognito puts the code; cognito-local prints the delivered message with it)',
  ];
}
