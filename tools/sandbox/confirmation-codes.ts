import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunningSandbox } from './start-sandbox.js';

/**
 * The sign-up code cognito-local would have emailed to `email`, read from its data file
 * (`<state dir>/cognito/.cognito/db/<pool id>.json`), so the demo and the tests can confirm a sign-up
 * with `ConfirmSignUp` as a user does. `undefined` when the user has no pending code. Sandbox only:
 * Cognito never lets anyone read a code.
 *
 * @example
 * ```ts
 * const code = await readConfirmationCode(sandbox, 'new.user@acme.example.com');
 * await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code }));
 * ```
 */
export async function readConfirmationCode(
  sandbox: Pick<RunningSandbox, 'messagesDir' | 'userPoolId'>,
  email: string,
): Promise<string | undefined> {
  // The state folder holds messages/ and cognito/ side by side (see startSandbox).
  const file = join(dirname(sandbox.messagesDir), 'cognito', '.cognito', 'db', `${sandbox.userPoolId}.json`);
  const data = JSON.parse(await readFile(file, 'utf8')) as {
    Users?: Record<string, { ConfirmationCode?: string; Attributes?: { Name: string; Value?: string }[] }>;
  };
  const wanted = email.toLowerCase();
  const user = Object.values(data.Users ?? {}).find((candidate) =>
    candidate.Attributes?.some(
      (attribute) => attribute.Name === 'email' && attribute.Value?.toLowerCase() === wanted,
    ),
  );
  return user?.ConfirmationCode;
}
