import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { readCustomSenderConfig } from '../../../triggers/custom-sender/config.js';

const LOCALES = ['en', 'fr'];
const KEY = Buffer.alloc(32, 1).toString('base64');
const BASE = {
  APP_NAME: 'Acme',
  APP_URL: 'https://app.acme.test',
  EMAIL_FROM: 'Acme <no-reply@acme.test>',
  KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readCustomSenderConfig(env, LOCALES);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('readCustomSenderConfig', () => {
  it('reads a KMS configuration with its defaults', () => {
    // Act
    const config = readCustomSenderConfig(BASE, LOCALES);

    // Assess
    expect(config.keyProvider).toEqual({ kind: 'kms', keyArn: BASE.KMS_KEY_ARN });
    expect(config.emailFrom).toBe('Acme <no-reply@acme.test>');
    expect(config.sesConfigurationSet).toBeUndefined();
    expect(config.idempotency).toBeUndefined();
    expect(config.message).toEqual({ appName: 'Acme', appUrl: 'https://app.acme.test', defaultLocale: 'en' });
  });

  it('reads the raw AES key, the configuration set and the idempotency table', () => {
    // Act
    const config = readCustomSenderConfig(
      {
        ...BASE,
        KEY_PROVIDER: 'raw-aes',
        RAW_AES_KEY_BASE64: KEY,
        SES_CONFIGURATION_SET: 'auth-messages',
        IDEMPOTENCY_TABLE_NAME: 'sender-idempotency',
      },
      LOCALES,
    );

    // Assess
    expect(config.keyProvider).toEqual({ kind: 'raw-aes', key: new Uint8Array(32).fill(1) });
    expect(config.sesConfigurationSet).toBe('auth-messages');
    expect(config.idempotency).toEqual({ tableName: 'sender-idempotency', expiresAfterSeconds: 86_400 });
  });

  it('names every bad variable at once, the CustomMessage ones included', () => {
    // Act
    const problems = problemsOf({
      APP_URL: 'ftp://x',
      KEY_PROVIDER: 'raw-aes',
      RAW_AES_KEY_BASE64: Buffer.alloc(16).toString('base64'),
      EMAIL_FROM: 'no-reply@acme.test\r\nBcc: x@evil.test',
      SES_CONFIGURATION_SET: 'bad name',
      IDEMPOTENCY_EXPIRES_SECONDS: '5',
    });

    // Assess
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'APP_NAME',
      'APP_URL',
      'RAW_AES_KEY_BASE64',
      'EMAIL_FROM',
      'SES_CONFIGURATION_SET',
      'IDEMPOTENCY_EXPIRES_SECONDS',
    ]);
  });

  it.each([
    ['an alias', 'alias/cognito-codes'],
    ['a key id', '1234abcd-12ab-34cd-56ef-1234567890ab'],
  ])('refuses %s as KMS_KEY_ARN', (_label, value) => {
    expect(problemsOf({ ...BASE, KMS_KEY_ARN: value })).toEqual([expect.stringMatching(/^KMS_KEY_ARN: /)]);
  });

  it('refuses a raw key next to KEY_PROVIDER=kms', () => {
    expect(problemsOf({ ...BASE, RAW_AES_KEY_BASE64: KEY })).toEqual([
      expect.stringMatching(/^RAW_AES_KEY_BASE64: must be empty/),
    ]);
  });

  it('requires KMS_KEY_ARN by default and EMAIL_FROM always', () => {
    expect(problemsOf({ APP_NAME: 'Acme', APP_URL: 'https://app.acme.test' })).toEqual([
      'KMS_KEY_ARN: is required',
      'EMAIL_FROM: is required',
    ]);
  });

  it('skips the key variables when the keyring is injected', () => {
    // Act
    const config = readCustomSenderConfig({ ...BASE, KMS_KEY_ARN: '' }, LOCALES, { keyFromEnv: false });

    // Assess
    expect(config.keyProvider).toBeUndefined();
  });

  it('never quotes the raw key in a problem', () => {
    // Prepare
    const secret = `${Buffer.alloc(31, 9).toString('base64')}`;

    // Act
    const problems = problemsOf({ ...BASE, KEY_PROVIDER: 'raw-aes', RAW_AES_KEY_BASE64: secret });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems.join(' ')).not.toContain(secret);
  });
});
