import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { fakeLambdaContext } from '../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../support/logs.js';

// Sentinels planted where a careless trigger would leak them. None may reach a log line.
const PASSWORD = 'Sentinel-Pa55word-7f3a';
const CODE = 'SENTINEL-CODE-918273';
const TEMP_PASSWORD = 'Sentinel-TempPw-44aa';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzZW50aW5lbCI6dHJ1ZX0.c2lnbmF0dXJlU2VudGluZWw';
const BCRYPT_HASH = '$2b$10$Sentinel0Hash0Value0000uQ4KQpzYxE3jvE7Gg4H3NEoUmB7vX0a';
const DJANGO_HASH = 'pbkdf2_sha256$600000$sentinelsalt$Q0sentinelhashvalueXXXXXXXXXXXXXXXXXXXXXXXXX=';
const SENTINELS = [PASSWORD, CODE, TEMP_PASSWORD, TOKEN, BCRYPT_HASH, DJANGO_HASH, 'sentinelsalt'];

function makeEvent() {
  return {
    version: '1',
    triggerSource: 'UserMigration_Authentication',
    region: 'us-east-1',
    userPoolId: 'us-east-1_TestPool1',
    userName: 'carol@example.com',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client-abc' },
    request: {
      password: PASSWORD,
      validationData: { code: CODE, note: PASSWORD },
      clientMetadata: { temporaryPassword: TEMP_PASSWORD, idToken: TOKEN },
      userAttributes: null,
    },
    response: { userAttributes: null, finalUserStatus: null, messageAction: null },
  };
}

let logs: CapturedLogs | undefined;
afterEach(() => {
  logs?.restore();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe.each([
  ['defaults', {}],
  ['event logging on', { POWERTOOLS_LOGGER_LOG_EVENT: 'true' }],
  ['DEBUG and event logging on', { POWERTOOLS_LOGGER_LOG_EVENT: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' }],
])('redaction with %s', (_name, env: Record<string, string>) => {
  it('keeps every sentinel secret out of the logs, whatever the handler logs or throws', async () => {
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    vi.resetModules();
    const { createTriggerHandler } = await import('../../shared/trigger-handler.js');
    logs = captureLogs();
    const handler = createTriggerHandler<ReturnType<typeof makeEvent>>(
      {
        name: 'user-migration',
        failMode: 'closed',
        triggerSources: ['UserMigration_Authentication'],
        handle: async (event, { logger }) => {
          logger.debug('careless debug line', { request: event.request, passwordHash: BCRYPT_HASH });
          logger.info('careless info line', {
            row: { password_hash: DJANGO_HASH, email: 'carol@example.com' },
          });
          throw new Error(`verification failed for hash ${BCRYPT_HASH} and ${DJANGO_HASH}`);
        },
      },
      { deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 100 } },
    );

    const error = await handler(makeEvent(), fakeLambdaContext()).catch((e: Error) => e);

    const text = logs.text();
    expect((error as Error).message).toMatch(/^\[TEMPORARY_FAILURE\] /);
    expect(text).toContain('verification failed for hash');
    for (const sentinel of SENTINELS) expect(text).not.toContain(sentinel);
    expect(text).not.toContain('carol@example.com');
    if (env.POWERTOOLS_LOGGER_LOG_EVENT) expect(text).toContain('UserMigration_Authentication');
  });
});

// The standard attributes as AWS documents them, written here by hand from
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html ("Standard
// attributes"), with the two verification flags Cognito keeps beside them; and the `cognito:` attributes and
// `identities` that Cognito sends in trigger events' userAttributes (the event examples of the trigger pages,
// e.g. https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html).
const DOCUMENTED_STANDARD_ATTRIBUTES = [
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'updated_at',
  'website',
  'zoneinfo',
  'email_verified',
  'phone_number_verified',
];
const DOCUMENTED_COGNITO_ATTRIBUTES = [
  'cognito:username',
  'cognito:user_status',
  'cognito:email_alias',
  'cognito:phone_number_alias',
  'cognito:mfa_enabled',
  'identities',
];
// The ones that identify a person, decided here independently of the code's list.
const IDENTIFYING = new Set([
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'website',
  'cognito:username',
  'cognito:email_alias',
  'cognito:phone_number_alias',
  'identities',
]);

describe('the personal-attribute list', () => {
  it('classifies every documented standard and cognito: attribute, as this test does', async () => {
    const { PERSONAL_ATTRIBUTES, NON_PERSONAL_ATTRIBUTES } =
      await import('../../shared/personal-attributes.js');

    for (const attribute of [...DOCUMENTED_STANDARD_ATTRIBUTES, ...DOCUMENTED_COGNITO_ATTRIBUTES]) {
      expect({ attribute, personal: PERSONAL_ATTRIBUTES.has(attribute) }).toEqual({
        attribute,
        personal: IDENTIFYING.has(attribute),
      });
      expect(PERSONAL_ATTRIBUTES.has(attribute) !== NON_PERSONAL_ATTRIBUTES.has(attribute)).toBe(true);
    }
  });

  it.each([
    ['defaults', {}],
    ['DEBUG and event logging on', { POWERTOOLS_LOGGER_LOG_EVENT: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' }],
  ])(
    'keeps every identifying attribute out of the logs with %s, and the rest readable',
    async (_name, env: Record<string, string>) => {
      // Prepare: one sentinel per identifying attribute, in an event's userAttributes.
      for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
      vi.resetModules();
      const { createTriggerHandler } = await import('../../shared/trigger-handler.js');
      const sentinels = Object.fromEntries(
        [...IDENTIFYING].map((attribute, index) => [
          attribute,
          `Sentinel-Person-${index}-${attribute.replace(':', '_')}`,
        ]),
      );
      const event = {
        ...makeEvent(),
        request: {
          userAttributes: {
            ...sentinels,
            identities: JSON.stringify([{ providerName: 'Google', userId: sentinels.identities }]),
            locale: 'fr-CA',
            'cognito:user_status': 'CONFIRMED',
          },
        },
      };
      logs = captureLogs();
      const handler = createTriggerHandler<typeof event>(
        {
          name: 'user-migration',
          failMode: 'closed',
          triggerSources: ['UserMigration_Authentication'],
          handle: async (received, { logger }) => {
            logger.info('careless attributes line', { attributes: received.request.userAttributes });
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
              code: 'ECONNREFUSED',
              errno: -111,
              syscall: 'connect',
            });
          },
        },
        { deadlineSettings: { cognitoBudgetMs: 2_000, marginMs: 100 } },
      );

      // Act
      await handler(event, fakeLambdaContext()).catch(() => undefined);

      // Assess
      const text = logs.text();
      for (const sentinel of Object.values(sentinels)) expect(text).not.toContain(sentinel);
      expect(text).toContain('fr-CA');
      expect(text).toContain('"code":"ECONNREFUSED"');
      expect(text).toContain('"errno":-111');
      expect(text).toContain('"syscall":"connect"');
      expect(text).toContain('"name":"Error"');
    },
  );

  it.each([
    ['a six-digit verification code', '123456'],
    ['an encrypted code', 'AYADeHx0aGlzIGlzIG5vdCBhIHJlYWwgY2lwaGVydGV4dA=='],
  ])('still redacts %s under a code key', async (_case, code) => {
    const { redactLogValue } = await import('../../shared/redact.js');

    expect(JSON.stringify({ request: { code } }, redactLogValue)).toBe('{"request":{"code":"[REDACTED]"}}');
  });
});

describe('the key patterns, matched on the lower-cased key', () => {
  // The patterns as they were written with the `i` flag, matched on the key as it arrives: every key they
  // redacted must still be redacted, and no key they kept readable as a diagnosis may become readable now.
  const SECRET_ANY_CASE =
    /pass(word|wd|phrase)?$|password|secret|token|^code$|codeparameter|^otp$|hash|salt|authorization|cookie|credential|session|private.?key|api.?key|one_click_link/i;
  const OPAQUE_ANY_CASE = /^(validationdata|clientmetadata)$/i;
  const DIAGNOSTIC_ANY_CASE = /^(code|errno|syscall|sqlstate)$/i;
  const SECRET_VALUE = 'value-kept-out';
  // Pieces of the patterns in any case, and the characters whose lower case is not themselves or not one
  // code unit (İ, the Kelvin sign, ẞ, Σ), so the random keys often come close to a pattern.
  const piece = fc.constantFrom(
    'pass',
    'word',
    'wd',
    'phrase',
    'secret',
    'token',
    'code',
    'parameter',
    'otp',
    'hash',
    'salt',
    'authorization',
    'cookie',
    'credential',
    'session',
    'private',
    'api',
    'key',
    'one_click_link',
    'validationdata',
    'clientmetadata',
    'errno',
    'syscall',
    'sqlstate',
    '_',
    '-',
    '.',
    'İ',
    '\u212A',
    'ẞ',
    'Σ',
    'x',
  );
  const anyCase = (text: string, upper: readonly boolean[]) =>
    [...text].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
  const key = fc
    .tuple(
      fc.array(piece, { minLength: 1, maxLength: 4 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    )
    .map(([pieces, upper]) => anyCase(pieces.join(''), upper));

  it('redacts every key the case-insensitive patterns redacted', async () => {
    const { redactLogValue } = await import('../../shared/redact.js');
    fc.assert(
      fc.property(fc.oneof(key, fc.string()), (name) => {
        const redactedBefore =
          (SECRET_ANY_CASE.test(name) || OPAQUE_ANY_CASE.test(name)) && !DIAGNOSTIC_ANY_CASE.test(name);
        if (redactedBefore) expect(redactLogValue(name, SECRET_VALUE)).not.toBe(SECRET_VALUE);
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps a diagnosis readable only under a key the case-insensitive pattern named', async () => {
    const { redactLogValue } = await import('../../shared/redact.js');
    fc.assert(
      fc.property(fc.oneof(key, fc.string()), (name) => {
        if (redactLogValue(name, 'ECONNREFUSED') === 'ECONNREFUSED' && !/^(trigger|level)$/.test(name))
          expect(
            DIAGNOSTIC_ANY_CASE.test(name) || !(SECRET_ANY_CASE.test(name) || OPAQUE_ANY_CASE.test(name)),
          ).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('redacts exactly the keys the lower-case patterns named, line breaks and all', async () => {
    // The regexes as redact.ts used to run them on every first log line; it now tests strings instead.
    const SECRET_LOWER =
      /pass(word|wd|phrase)?$|password|secret|token|^code$|codeparameter|^otp$|hash|salt|authorization|cookie|credential|session|private.?key|api.?key|one_click_link/;
    const OPAQUE_LOWER = /^(validationdata|clientmetadata)$/;
    const brokenPiece = fc.constantFrom(
      'pass',
      'word',
      'wd',
      'phrase',
      'private',
      'api',
      'key',
      'code',
      'otp',
      '\n',
      '\r',
      '\u2028',
      '\u2029',
      ' ',
      'x',
    );
    const nearMiss = fc
      .tuple(
        fc.array(fc.oneof(piece, brokenPiece), { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      )
      .map(([pieces, upper]) => anyCase(pieces.join(''), upper));
    const { redactLogValue } = await import('../../shared/redact.js');
    fc.assert(
      fc.property(fc.oneof(nearMiss, key, fc.string()), (name) => {
        const lower = name.toLowerCase();
        const secret =
          SECRET_LOWER.test(lower) ||
          OPAQUE_LOWER.test(lower) ||
          (lower.length !== name.length && (SECRET_ANY_CASE.test(name) || OPAQUE_ANY_CASE.test(name)));
        expect(redactLogValue(name, SECRET_VALUE) === '[REDACTED]').toBe(secret);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['privatekey', true],
    ['private_key', true],
    ['private\nkey', false],
    ['private\u2028key', false],
    ['api__key', false],
    ['mypasswd', true],
    ['passwdhint', false],
    ['encode', false],
    ['otp', true],
    ['otpcode', false],
  ])('treats %j as a secret key: %s', async (name, secret) => {
    const { redactLogValue } = await import('../../shared/redact.js');

    expect(redactLogValue(name, SECRET_VALUE) === '[REDACTED]').toBe(secret);
  });

  it.each(['privateİkey', 'PRIVATE\u212AEY', 'apİkey', 'Temporary_PASSWORD', 'ValidationData'])(
    'redacts %s',
    async (name) => {
      const { redactLogValue } = await import('../../shared/redact.js');

      expect(redactLogValue(name, SECRET_VALUE)).toBe('[REDACTED]');
    },
  );
});
