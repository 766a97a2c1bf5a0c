import { expectedOutcomeOf } from './sample-users.js';
import { SANDBOX_ENDPOINTS_FILE, type Sandbox } from './start-sandbox.js';

/** The ready banner of `npm start`: endpoints, ids, sample users, and commands to paste. */
export function formatBanner(sandbox: Sandbox): string {
  const cli = `aws --endpoint-url ${sandbox.cognitoEndpoint} --region ${sandbox.region} cognito-idp`;
  const legacy =
    sandbox.sampleUsers.find((user) => !user.disabled && user.tenants.length > 0) ?? sandbox.sampleUsers[0];
  // Each user with their own password, straight from the seed (one user has a password of their own).
  const emailWidth = Math.max(...sandbox.sampleUsers.map((user) => user.email.length));
  const passwordWidth = Math.max(...sandbox.sampleUsers.map((user) => user.password.length + 2));
  const users = sandbox.sampleUsers.map(
    (user) =>
      `    ${user.email.padEnd(emailWidth)}  ${`"${user.password}"`.padEnd(passwordWidth)}  ${user.scheme.padEnd(22)} ${user.tenants.join(', ') || 'no tenant'}  ->  ${expectedOutcomeOf(user).replaceAll('`', '')}`,
  );
  return [
    '',
    'cognito-trigger-kit sandbox is ready (no AWS account involved). Ctrl-C stops everything.',
    '',
    'Endpoints',
    `  Cognito (cognito-local)   ${sandbox.cognitoEndpoint}`,
    `  Lambda Invoke API         ${sandbox.lambdaEndpoint}   (PreSignUpFunction, UserMigrationFunction, PreTokenGenerationFunction, CustomMessageFunction, PostConfirmationFunction, CustomSenderFunction)`,
    `  DynamoDB (dynalite)       ${sandbox.dynamoDbEndpoint}   table ${sandbox.tenantTableName}`,
    `  Legacy PostgreSQL (PGlite) ${sandbox.legacyDbUrl}`,
    `  JWKS                      ${sandbox.jwksUrl}`,
    `  Protected API             ${sandbox.apiEndpoint}/claims   (JWT authorizer: Authorization: Bearer <ID token>)`,
    `  For scripts               ${sandbox.stateDir}/${SANDBOX_ENDPOINTS_FILE}`,
    '',
    `User pool   ${sandbox.userPoolId}`,
    `App client  ${sandbox.clientId}   (USER_PASSWORD_AUTH, SRP, refresh)`,
    sandbox.sesEndpoint === undefined
      ? `Messages    ${sandbox.messagesDir}   (what the CustomMessage trigger rendered; codes appear in the cognito-local log)`
      : `Emails      ${sandbox.sesEndpoint}   (local SES: what CustomSenderFunction sent, codes decrypted; web UI)\n` +
        `            a pool without a CustomEmailSender: Cognito's own message, in the [sandbox] log (CustomMessage renders in ${sandbox.messagesDir})`,
    '',
    'Legacy users (migrated on their first USER_PASSWORD_AUTH sign-in)',
    ...users,
    '',
    'Try it',
    `  ${cli} sign-up --client-id ${sandbox.clientId} --username someone@gmail.com --password 'a long password'`,
    `      -> refused: PreSignUp failed with error [EMAIL_DOMAIN_NOT_ALLOWED] ...`,
    `  ${cli} sign-up --client-id ${sandbox.clientId} --username new.user@example.com --password 'a long password'`,
    `  ${cli} initiate-auth --client-id ${sandbox.clientId} --auth-flow USER_PASSWORD_AUTH \\`,
    `      --auth-parameters '{"USERNAME":"${legacy?.email ?? 'ada@example.com'}","PASSWORD":"${legacy?.password ?? ''}"}'`,
    `  ${cli} admin-get-user --user-pool-id ${sandbox.userPoolId} --username ${legacy?.email ?? 'ada@example.com'}`,
    '  (any credentials will do: export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)',
    '',
    'AWS SDK (JavaScript v3)',
    `  new CognitoIdentityProviderClient({ endpoint: '${sandbox.cognitoEndpoint}', region: '${sandbox.region}',`,
    "    credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })",
    `  ID tokens: issuer ${sandbox.issuer}, verify with createRemoteJWKSet(new URL('${sandbox.jwksUrl}'))`,
    '',
    'Your own pool (docs/tutorial.md): create it with the CLI, then attach the sandbox functions to it',
    `  npm run attach -- --sandbox --user-pool-id <your pool id>     (--detach removes them)`,
    '',
    'Or run the scripted walkthrough against this sandbox:  npm run demo -- --use-running',
    '',
  ].join('\n');
}
