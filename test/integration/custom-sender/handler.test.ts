import { createHmac } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CustomSenderTriggerEvent } from '../../../triggers/custom-sender/create-custom-sender-handler.js';
import { startLocalSes } from '../../../tools/lib/local-ses.js';
import { startLocalSnsServer, type LocalSnsServer } from '../../../tools/lib/local-sns-server.js';
import { createLocalDynamoDbClient, startDynalite } from '../../support/dynalite.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';
import { startLocalKmsServer } from '../../../tools/lib/local-kms-server.js';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import {
  createIdempotencyTable,
  encryptWithTestKey,
  FIXTURE_CODES,
  startHungServer,
  TEST_RAW_AES_KEY_BASE64,
} from './sender-setup.js';

type Handler = (event: CustomSenderTriggerEvent, context: Context) => Promise<CustomSenderTriggerEvent>;

let ses: Awaited<ReturnType<typeof startLocalSes>>;
let sns: LocalSnsServer;
let db: Awaited<ReturnType<typeof startDynalite>>;
let tableCount = 0;
let logs: CapturedLogs | undefined;

beforeAll(async () => {
  [ses, sns, db] = await Promise.all([startLocalSes(), startLocalSnsServer(), startDynalite()]);
});
afterAll(async () => {
  await Promise.all([ses?.stop(), sns?.close(), db?.stop()]);
});
afterEach(() => {
  logs?.restore();
  logs = undefined;
  vi.unstubAllEnvs();
});

/** A cold start of the real factory with a fresh idempotency table, pointed at the local servers. */
async function coldStart(
  env: Record<string, string> = {},
  options: { readonly envOption?: Record<string, string> } = {},
): Promise<Handler> {
  tableCount += 1;
  const tableName = `custom-sender-idempotency-${tableCount}`;
  await createIdempotencyTable(createLocalDynamoDbClient(db.endpoint), tableName);
  const all: Record<string, string> = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    KEY_PROVIDER: 'raw-aes',
    RAW_AES_KEY_BASE64: TEST_RAW_AES_KEY_BASE64,
    EMAIL_FROM: 'Acme <no-reply@acme.test>',
    SES_CONFIGURATION_SET: 'auth-messages',
    APP_NAME: 'Acme',
    APP_URL: 'https://app.acme.test',
    DEFAULT_LOCALE: 'en',
    IDEMPOTENCY_TABLE_NAME: tableName,
    COGNITO_BUDGET_MS: '4000',
    ALLOWED_EMAIL_DOMAINS: '',
    DENIED_EMAIL_DOMAINS: '',
    ...env,
  };
  for (const [key, value] of Object.entries(all)) vi.stubEnv(key, value);
  vi.resetModules();
  const module = await import('../../../triggers/custom-sender/create-custom-sender-handler.js');
  return module.createCustomSenderHandler(
    options.envOption === undefined ? {} : { env: { ...all, ...options.envOption } },
  ) as Handler;
}

function fixture(name: string): CustomSenderTriggerEvent {
  return loadEvent<CustomSenderTriggerEvent>(`custom-sender/${name}.json`);
}

async function emailsTo(address: string, since: number): Promise<Awaited<ReturnType<typeof ses.emails>>> {
  return (await ses.emails()).slice(since).filter((email) => email.destination.to.includes(address));
}

function count(text: string | undefined, needle: string): number {
  return (text ?? '').split(needle).length - 1;
}

const EMAIL_FIXTURES = [
  { name: 'email-sign-up', subject: 'Ada, confirm your Acme account' },
  { name: 'email-resend-code', subject: 'Your Acme confirmation code' },
  { name: 'email-forgot-password', subject: 'Reset your Acme password' },
  { name: 'email-update-user-attribute', subject: 'Confirm your new Acme contact details' },
  { name: 'email-verify-user-attribute', subject: 'Verify your Acme contact details' },
  { name: 'email-admin-create-user', subject: 'Ada, your Acme account is ready' },
  { name: 'email-authentication', subject: 'Your Acme sign-in code' },
];
const SMS_FIXTURES = [
  { name: 'sms-sign-up', starts: 'Acme : votre code de confirmation est' },
  { name: 'sms-resend-code', starts: 'Acme : votre nouveau code de confirmation est' },
  { name: 'sms-forgot-password', starts: 'Acme : votre code de réinitialisation est' },
  { name: 'sms-update-user-attribute', starts: 'Acme : votre code de vérification est' },
  { name: 'sms-verify-user-attribute', starts: 'Acme : votre code de vérification est' },
  { name: 'sms-admin-create-user', starts: 'Acme : identifiant ada.lovelace, mot de passe temporaire' },
  { name: 'sms-authentication', starts: 'Acme : votre code de connexion est' },
];

describe('custom-sender handler (raw AES keyring, aws-ses-v2-local, local SNS, dynalite)', () => {
  it.each(EMAIL_FIXTURES)(
    'sends the $name email through SES with the decrypted code',
    async ({ name, subject }) => {
      // Prepare
      const handler = await coldStart();
      const before = (await ses.emails()).length;
      const code = FIXTURE_CODES[name] as string;
      const escaped = code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

      // Act
      await handler(fixture(name), fakeLambdaContext());

      // Assess
      const sent = await emailsTo('ada.lovelace@example.com', before);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.from).toBe('Acme <no-reply@acme.test>');
      expect(sent[0]?.subject).toBe(subject);
      expect(count(sent[0]?.body.html, escaped)).toBe(1);
      expect(count(sent[0]?.body.text, code)).toBe(1);
      expect(sent[0]?.body.html).not.toContain('{####}');
      expect(sent[0]?.body.text).not.toMatch(/<\/?(p|a|br|td|tr|strong)\b/);
    },
  );

  it.each(SMS_FIXTURES)(
    'publishes the $name SMS through SNS with the decrypted code',
    async ({ name, starts }) => {
      // Prepare
      const handler = await coldStart();
      const before = sns.published.length;
      const code = FIXTURE_CODES[name] as string;

      // Act
      await handler(fixture(name), fakeLambdaContext());

      // Assess
      const sent = sns.published.slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.phoneNumber).toBe('+447700900123');
      expect(sent[0]?.message.startsWith(starts)).toBe(true);
      expect(count(sent[0]?.message, code)).toBe(1);
      expect(sent[0]?.smsType).toBe('Transactional');
    },
  );

  it('sends the account-takeover notification with where, when and both one-click links', async () => {
    // Prepare
    const handler = await coldStart();
    const before = (await ses.emails()).length;
    const event = fixture('email-account-takeover');
    const attributes = event.request.userAttributes;

    // Act
    await handler(event, fakeLambdaContext());

    // Assess
    const sent = await emailsTo('ada.lovelace@example.com', before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe('Unusual sign-in to your Acme account');
    const html = sent[0]?.body.html ?? '';
    expect(html).toContain('Lisbon, Portugal, 203.0.113.42');
    expect(html).toContain('2026-11-30T08:15:04Z');
    expect(html).toContain('Firefox on Linux');
    expect(html).toContain('and we blocked it');
    const asAttribute = (url: string | undefined): string =>
      (url ?? '').replace(/&/g, '&amp;').replace(/\//g, '&#x2F;').replace(/=/g, '&#x3D;');
    expect(html).toContain(`href="${asAttribute(attributes.ONE_CLICK_LINK_VALID)}"`);
    expect(html).toContain(`href="${asAttribute(attributes.ONE_CLICK_LINK_INVALID)}"`);
    expect(sent[0]?.body.text).toContain(`Yes, it was me: ${attributes.ONE_CLICK_LINK_VALID}`);
    expect(sent[0]?.body.text).toContain(`No, it was not me: ${attributes.ONE_CLICK_LINK_INVALID}`);
  });

  it('decrypts with the KMS keyring when KEY_PROVIDER=kms (AWS_ENDPOINT_URL_KMS at a local KMS)', async () => {
    // Prepare
    const kms = await startLocalKmsServer('eu-west-1');
    try {
      const keyArn = kms.createKey();
      const client = kms.client();
      const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
      const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => client });
      const event = fixture('sms-authentication');
      event.request.code = (await encrypt(keyring, '583920')).result.toString('base64');
      const handler = await coldStart({
        KEY_PROVIDER: 'kms',
        KMS_KEY_ARN: keyArn,
        RAW_AES_KEY_BASE64: '',
        AWS_ENDPOINT_URL_KMS: kms.endpoint,
      });
      const before = sns.published.length;

      // Act
      await handler(event, fakeLambdaContext());

      // Assess
      expect(sns.published.slice(before).map((sms) => count(sms.message, '583920'))).toEqual([1]);
      expect(kms.calls.map((call) => call.operation)).toEqual(['GenerateDataKey', 'Decrypt']);
    } finally {
      await kms.close();
    }
  });

  it('sends a retried invocation once, and a second code for the same user too', async () => {
    // Prepare
    const handler = await coldStart();
    const before = (await ses.emails()).length;
    const first = fixture('email-forgot-password');
    const second = fixture('email-forgot-password');
    second.request.code = await encryptWithTestKey('246810');

    // Act
    await handler(first, fakeLambdaContext());
    await handler(fixture('email-forgot-password'), fakeLambdaContext());
    await handler(second, fakeLambdaContext());
    await handler(structuredClone(second), fakeLambdaContext());

    // Assess
    const sent = await emailsTo('ada.lovelace@example.com', before);
    expect(sent).toHaveLength(2);
    expect(
      sent.map((email) => count(email.body.text, FIXTURE_CODES['email-forgot-password'] as string)),
    ).toEqual([1, 0]);
    expect(count(sent[1]?.body.text, '246810')).toBe(1);
  });

  it('sends a retried account-takeover notification once', async () => {
    // Prepare
    const handler = await coldStart();
    const before = (await ses.emails()).length;

    // Act
    await handler(fixture('email-account-takeover'), fakeLambdaContext());
    await handler(fixture('email-account-takeover'), fakeLambdaContext());

    // Assess
    expect(await emailsTo('ada.lovelace@example.com', before)).toHaveLength(1);
  });

  it('sends nothing and throws for a code that cannot be decrypted, without logging the ciphertext', async () => {
    // Prepare
    const handler = await coldStart();
    const beforeEmails = (await ses.emails()).length;
    const event = fixture('email-sign-up');
    const bytes = Buffer.from(event.request.code as string, 'base64');
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 0xff;
    event.request.code = bytes.toString('base64');
    logs = captureLogs();

    // Act
    const outcome = handler(event, fakeLambdaContext());

    // Assess
    await expect(outcome).rejects.toThrow(/^\[TEMPORARY_FAILURE\] /);
    logs.restore();
    expect(await emailsTo('ada.lovelace@example.com', beforeEmails)).toHaveLength(0);
    const fault = logs.lines().find((line) => line.level === 'ERROR');
    expect(JSON.stringify(fault)).toContain('CodeDecryptionError');
    expect(logs.text()).not.toContain(event.request.code.slice(0, 24));
  });

  it('sends nothing for an address the email-domain policy refuses, and does not throw', async () => {
    // Prepare
    const handler = await coldStart({ ALLOWED_EMAIL_DOMAINS: 'example.org' });
    const before = (await ses.emails()).length;

    // Act
    const result = await handler(fixture('email-sign-up'), fakeLambdaContext());

    // Assess
    expect(result.triggerSource).toBe('CustomEmailSender_SignUp');
    expect(await emailsTo('ada.lovelace@example.com', before)).toHaveLength(0);
  });

  it('checks every email against list sources given in code, and sends nothing to a denied domain', async () => {
    // Prepare
    await coldStart();
    const { createCustomSenderHandler } =
      await import('../../../triggers/custom-sender/create-custom-sender-handler.js');
    let lists: { denied: string[] } = { denied: ['example.com'] };
    const handler = createCustomSenderHandler({
      emailDomainSources: [{ load: async () => lists }],
      idempotency: false,
    }) as Handler;
    const before = (await ses.emails()).length;

    // Act
    await handler(fixture('email-forgot-password'), fakeLambdaContext());
    lists = { denied: ['example.org'] };
    await handler(fixture('email-forgot-password'), fakeLambdaContext());

    // Assess
    expect(await emailsTo('ada.lovelace@example.com', before)).toHaveLength(1);
  });

  it('throws when SNS refuses, and the retry after recovery sends once', async () => {
    // Prepare
    const handler = await coldStart();
    const before = sns.published.length;
    sns.mode = 'fail';

    // Act
    const failed = handler(fixture('sms-authentication'), fakeLambdaContext());
    await expect(failed).rejects.toThrow(/^\[TEMPORARY_FAILURE\] /);
    sns.mode = 'ok';
    await handler(fixture('sms-authentication'), fakeLambdaContext());
    await handler(fixture('sms-authentication'), fakeLambdaContext());

    // Assess
    expect(sns.published.slice(before)).toHaveLength(1);
  });

  it('throws for an SMS event without a phone number, sending nothing', async () => {
    // Prepare
    const handler = await coldStart();
    const before = sns.published.length;
    const event = fixture('sms-sign-up');
    delete event.request.userAttributes.phone_number;

    // Act
    const outcome = handler(event, fakeLambdaContext());

    // Assess
    await expect(outcome).rejects.toThrow(/^\[TEMPORARY_FAILURE\] /);
    expect(sns.published.slice(before)).toHaveLength(0);
  });

  it('answers with a failure inside the deadline when SES hangs', async () => {
    // Prepare
    const hung = await startHungServer();
    try {
      const handler = await coldStart({ AWS_ENDPOINT_URL_SESV2: hung.endpoint, COGNITO_BUDGET_MS: '1000' });
      const startedAt = Date.now();

      // Act
      const outcome = await handler(fixture('email-sign-up'), fakeLambdaContext()).then(
        () => 'answered',
        (error: Error) => error.message,
      );

      // Assess
      expect(outcome).toMatch(/^\[TEMPORARY_FAILURE\] /);
      expect(Date.now() - startedAt).toBeLessThan(3_000);
      expect(hung.requests()).toBeGreaterThan(0);
    } finally {
      await hung.close();
    }
  });

  it('logs no code, ciphertext, address, phone number or link, even with the event logged at DEBUG', async () => {
    // Prepare
    const handler = await coldStart({ POWERTOOLS_LOGGER_LOG_EVENT: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    const email = fixture('email-admin-create-user');
    const sms = fixture('sms-authentication');
    const takeover = fixture('email-account-takeover');
    logs = captureLogs();

    // Act
    await handler(email, fakeLambdaContext());
    await handler(sms, fakeLambdaContext());
    await handler(takeover, fakeLambdaContext());

    // Assess
    logs.restore();
    const text = logs.text();
    expect(logs.lines().filter((line) => line.message === 'Message sent')).toHaveLength(3);
    for (const sentinel of [
      FIXTURE_CODES['email-admin-create-user'] as string,
      FIXTURE_CODES['sms-authentication'] as string,
      (email.request.code as string).slice(0, 24),
      (sms.request.code as string).slice(0, 24),
      'ada.lovelace@example.com',
      '+447700900123',
      'sample-valid-token',
      'sample-invalid-token',
      'sample-feedback-token',
      '203.0.113.42',
    ]) {
      expect(text).not.toContain(sentinel);
    }
  });

  it('reads the shared variables from its env option, not from process.env', async () => {
    // Prepare: a bad key reference in process.env only, then in the env option.
    const good = () =>
      coldStart(
        { LOG_HASH_KEY_PARAMETER: 'not a parameter name!' },
        { envOption: { LOG_HASH_KEY_PARAMETER: '' } },
      );
    const bad = () => coldStart({}, { envOption: { LOG_HASH_KEY_PARAMETER: 'not a parameter name!' } });

    // Act / Assess
    await expect(good()).resolves.toBeTypeOf('function');
    await expect(bad()).rejects.toThrow(/LOG_HASH_KEY_PARAMETER: must be an SSM parameter name/);
  });

  it('logs the user of a sent message under the hash keyed by its env option, as the correlation key', async () => {
    // Prepare
    const handler = await coldStart(
      { LOG_HASH_KEY: 'process-env-key' },
      { envOption: { LOG_HASH_KEY: 'option-key' } },
    );
    const event = fixture('email-sign-up');
    const expected = `u_${createHmac('sha256', 'option-key')
      .update(event.userName as string, 'utf8')
      .digest('hex')
      .slice(0, 16)}`;
    logs = captureLogs();

    // Act
    await handler(event, fakeLambdaContext());

    // Assess
    logs.restore();
    const sent = logs.lines().find((line) => line.message === 'Message sent');
    expect(sent?.user).toBe(expected);
  });
});
