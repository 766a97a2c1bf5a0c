/**
 * Every toolkit factory reads the shared variables (deadline, log hash key) once at cold start, with its
 * own config, and hands them to the middleware (readTriggerConfigAndSettings); they were read twice.
 * (PreSignUp's own test counts them too.)
 */
import { describe, expect, it } from 'vitest';
import { createCustomMessageHandler } from '../../triggers/custom-message/create-custom-message-handler.js';
import { createCustomSenderHandler } from '../../triggers/custom-sender/create-custom-sender-handler.js';
import { createPostConfirmationHandler } from '../../triggers/post-confirmation/create-post-confirmation-handler.js';
import { createPreTokenGenerationHandler } from '../../triggers/pre-token-generation/create-pre-token-generation-handler.js';
import { createUserMigrationHandler } from '../../triggers/user-migration/create-user-migration-handler.js';

const SHARED = [
  'COGNITO_BUDGET_MS',
  'DEADLINE_MARGIN_MS',
  'LOG_HASH_KEY_PARAMETER',
  'LOG_HASH_KEY_SECRET_ARN',
];

/** An environment that counts the look-ups of every variable, set or not. */
function countingEnv(values: Record<string, string>): {
  env: Record<string, string>;
  reads: Map<string, number>;
} {
  const reads = new Map<string, number>();
  const env = new Proxy<Record<string, string>>(values, {
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  return { env, reads };
}

const FACTORIES: ReadonlyArray<[string, (env: Record<string, string>) => unknown, Record<string, string>]> = [
  [
    'UserMigration',
    (env) => createUserMigrationHandler({ env, store: { findUser: async () => undefined } }),
    {},
  ],
  ['PreTokenGeneration', (env) => createPreTokenGenerationHandler({ env }), { TENANT_TABLE_NAME: 'tenants' }],
  ['PostConfirmation', (env) => createPostConfirmationHandler({ env }), { TENANT_TABLE_NAME: 'tenants' }],
  [
    'CustomMessage',
    (env) => createCustomMessageHandler({ env }),
    { APP_NAME: 'Acme', APP_URL: 'https://app.acme.test' },
  ],
  [
    'the custom sender',
    (env) =>
      createCustomSenderHandler({
        env,
        decrypter: { decrypt: async () => '' } as never,
        idempotency: false,
      }),
    { APP_NAME: 'Acme', APP_URL: 'https://app.acme.test', EMAIL_FROM: 'no-reply@acme.test' },
  ],
];

describe('the shared variables at cold start', () => {
  it.each(FACTORIES)('%s reads each one once', (_name, create, own) => {
    // Prepare
    const { env, reads } = countingEnv({ ...own, LOG_HASH_KEY_PARAMETER: '/app/log-hash-key' });
    // Act
    create(env);
    // Assess
    expect(SHARED.map((name) => [name, reads.get(name)])).toEqual(SHARED.map((name) => [name, 1]));
  });
});
