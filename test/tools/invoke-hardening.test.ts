import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInvoke } from '../support/invoke.js';

const invoke = (args: string[]) => runInvoke(args, {}, 90_000);

// The hardening fixtures of issue 12, each through its bundle, with the answer the bundle must give.
describe('npm run invoke on the hardening fixtures', () => {
  it.each([
    [
      'a PreTokenGeneration event with the bogus source TokenGeneration_Bogus: a malformed event, fail-closed',
      ['PreTokenGenerationFunction', '-e', 'events/pre-token-generation/v2-bogus-source.json'],
      /^\[TEMPORARY_FAILURE\]/,
    ],
    [
      'a sign-up whose domain holds ẞ (UTS #46 reads ss, lower-casing reads ß): refused as unreadable',
      [
        'PreSignUpFunction',
        '-e',
        'events/pre-sign-up/sign-up-sharp-s-invalid.json',
        '--env-vars',
        'events/pre-sign-up/env.json',
      ],
      /^\[EMAIL_INVALID\]/,
    ],
    [
      'a forgot-password migration of a legacy user whose disabled column is 2',
      [
        'UserMigrationFunction',
        '-e',
        'events/user-migration/forgot-password-disabled-2.json',
        '--env-vars',
        'events/user-migration/env-disabled-2.json',
      ],
      /^\[MIGRATION_FAILED\]/,
    ],
    [
      'an email change whose domain lists cannot be loaded: fail-closed on that source',
      [
        'CustomMessageFunction',
        '-e',
        'events/custom-message/update-user-attribute.json',
        '--env-vars',
        'events/custom-message/env-ssm-unreachable.json',
      ],
      /^\[TEMPORARY_FAILURE\]/,
    ],
  ])('refuses %s', async (_case, args, message) => {
    const run = await invoke(args);

    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { errorMessage: string }).errorMessage).toMatch(message);
  });

  it('migrates the same legacy user when disabled is 0 (the fixture refuses for the flag, not the setup)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-hardening-'));
    const envVars = join(dir, 'env.json');
    writeFileSync(
      envVars,
      readFileSync('events/user-migration/env-disabled-2.json', 'utf8').replace(
        '2 AS disabled',
        '0 AS disabled',
      ),
    );

    const run = await invoke([
      'UserMigrationFunction',
      '-e',
      'events/user-migration/forgot-password-disabled-2.json',
      '--env-vars',
      envVars,
    ]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).response).toEqual({
      userAttributes: { email: 'locked.legacy@example.com', email_verified: 'true' },
      finalUserStatus: null,
      messageAction: 'SUPPRESS',
      desiredDeliveryMediums: null,
      forceAliasCreation: false,
      enableSMSMFA: false,
    });
  });

  it('still renders the sign-up message when the same lists cannot be loaded (the rest stays fail-open)', async () => {
    const run = await invoke([
      'CustomMessageFunction',
      '-e',
      'events/custom-message/sign-up.json',
      '--env-vars',
      'events/custom-message/env-ssm-unreachable.json',
    ]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).response.emailMessage).toContain('{####}');
  });
});
