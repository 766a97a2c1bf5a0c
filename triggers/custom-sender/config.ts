import { createEnvReader, type Env } from '../../shared/config.js';
import { ConfigError } from '../../shared/errors.js';
import { readCustomMessageConfig, type CustomMessageConfig } from '../custom-message/config.js';

/** Where the data key that wraps each code comes from. */
export type KeyProviderConfig =
  { readonly kind: 'kms'; readonly keyArn: string } | { readonly kind: 'raw-aes'; readonly key: Uint8Array };

export interface CustomSenderConfig extends CustomMessageConfig {
  /** Undefined when the caller injects a keyring or a decrypter of its own. */
  readonly keyProvider: KeyProviderConfig | undefined;
  /** `EMAIL_FROM`: the SES `FromEmailAddress` (`Name <address>` or a bare address). */
  readonly emailFrom: string;
  readonly sesConfigurationSet: string | undefined;
  /** The Powertools Idempotency table; undefined: every invocation sends (no DynamoDB). */
  readonly idempotency: { readonly tableName: string; readonly expiresAfterSeconds: number } | undefined;
}

const RAW_KEY_DOC =
  'with `raw-aes`: 32 bytes in base64 (namespace `cognito-trigger-kit`, key name `local`); must be empty with `kms`';
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
// One address, optionally with a display name; no line break can reach an SES header.
const FROM_ADDRESS = /^(?:[^<>\r\n]{1,64} )?<?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?$/;

/**
 * Reads the sender's variables (`KEY_PROVIDER`, `KMS_KEY_ARN` or `RAW_AES_KEY_BASE64`, `EMAIL_FROM`,
 * `SES_CONFIGURATION_SET`, `IDEMPOTENCY_TABLE_NAME`, `IDEMPOTENCY_EXPIRES_SECONDS`) and the
 * CustomMessage ones (`APP_NAME`, `APP_URL`, `DEFAULT_LOCALE`, the email-domain policy) once; fails
 * with one error naming every bad variable. `keyFromEnv: false` skips the key variables.
 */
export function readCustomSenderConfig(
  env: Env,
  locales: readonly string[],
  options: { readonly keyFromEnv: boolean } = { keyFromEnv: true },
): CustomSenderConfig {
  const problems: string[] = [];
  let messageConfig: CustomMessageConfig | undefined;
  try {
    messageConfig = readCustomMessageConfig(env, locales);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }

  const reader = createEnvReader(env);
  const keyProvider = options.keyFromEnv ? readKeyProvider(reader) : undefined;
  const emailFrom = reader.string('EMAIL_FROM', {
    required: true,
    doc: 'SES `FromEmailAddress`: `no-reply@example.com` or `Example <no-reply@example.com>`, of a verified identity',
  });
  if (emailFrom !== undefined && !FROM_ADDRESS.test(emailFrom)) {
    reader.problem('EMAIL_FROM', 'must be one address, optionally as "Name <address>"');
  }
  const sesConfigurationSet = reader.string('SES_CONFIGURATION_SET', {
    doc: 'SES configuration set for every email (event publishing: bounces, complaints)',
  });
  if (sesConfigurationSet !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(sesConfigurationSet)) {
    reader.problem(
      'SES_CONFIGURATION_SET',
      'must be an SES configuration set name (letters, digits, _ and -)',
    );
  }
  const tableName = reader.string('IDEMPOTENCY_TABLE_NAME', {
    doc: 'Powertools Idempotency table (partition key `id`, TTL `expiration`); unset: every invocation sends',
  });
  // A retry comes within Lambda's maximum event age (6 h by default); a day covers it with room.
  const expiresAfterSeconds = reader.number('IDEMPOTENCY_EXPIRES_SECONDS', {
    default: 86_400,
    min: 60,
    max: 7 * 86_400,
    integer: true,
    doc: 'how long a delivered message is remembered, so a retry sends nothing',
  });
  try {
    reader.done();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || messageConfig === undefined) throw new ConfigError(problems);
  return Object.freeze({
    ...messageConfig,
    keyProvider,
    emailFrom: emailFrom as string,
    sesConfigurationSet,
    idempotency: tableName === undefined ? undefined : Object.freeze({ tableName, expiresAfterSeconds }),
  });
}

function readKeyProvider(reader: ReturnType<typeof createEnvReader>): KeyProviderConfig | undefined {
  const kind = reader.oneOf('KEY_PROVIDER', ['kms', 'raw-aes'] as const, {
    default: 'kms',
    doc: '`kms`: the Encryption SDK KMS keyring on `KMS_KEY_ARN`; `raw-aes`: a raw AES keyring, local use only',
  });
  if (kind === 'kms') {
    // A raw key has no business in a KMS deployment: refuse it rather than ignore it.
    if (reader.string('RAW_AES_KEY_BASE64', { doc: RAW_KEY_DOC }) !== undefined) {
      reader.problem(
        'RAW_AES_KEY_BASE64',
        'must be empty with KEY_PROVIDER=kms (the raw AES keyring is for local use)',
      );
    }
    const keyArn = reader.string('KMS_KEY_ARN', {
      required: true,
      doc: 'with `kms`: the key ARN the pool encrypts codes with (`LambdaConfig.KMSKeyID`), not an alias',
    });
    if (keyArn === undefined) return undefined;
    if (!KMS_KEY_ARN.test(keyArn)) {
      reader.problem(
        'KMS_KEY_ARN',
        'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias',
      );
      return undefined;
    }
    return Object.freeze({ kind, keyArn });
  }
  const text = reader.string('RAW_AES_KEY_BASE64', { required: true, doc: RAW_KEY_DOC });
  if (text === undefined) return undefined;
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    reader.problem('RAW_AES_KEY_BASE64', 'must be 32 bytes in base64 (an AES-256 key)');
    return undefined;
  }
  return Object.freeze({ kind, key: new Uint8Array(key) });
}
