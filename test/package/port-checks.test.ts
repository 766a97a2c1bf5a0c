import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/errors.js';
import { createCustomMessageHandler } from '../../triggers/custom-message/create-custom-message-handler.js';
import { createPreSignUpHandler } from '../../triggers/pre-sign-up/create-pre-sign-up-handler.js';
import { createPreTokenGenerationHandler } from '../../triggers/pre-token-generation/create-pre-token-generation-handler.js';
import { createUserMigrationHandler } from '../../triggers/user-migration/create-user-migration-handler.js';

const MESSAGE_ENV = { APP_NAME: 'Acme', APP_URL: 'https://app.acme.test' };

// A user writing JavaScript (or casting) can pass anything: the factory names the option at cold start.
describe('ports passed in code are checked when the factory is called', () => {
  it.each([
    [
      'store without findUser',
      () => createUserMigrationHandler({ env: {}, store: {} as never }),
      'store: must implement findUser()',
    ],
    [
      'store that is not an object',
      () => createUserMigrationHandler({ env: {}, store: 'postgres' as never }),
      'store: must be an object',
    ],
    [
      'verifier without dummyHash',
      () =>
        createUserMigrationHandler({
          env: {},
          store: { findUser: async () => undefined },
          verifier: { verify: async () => ({}) } as never,
        }),
      'verifier: must implement dummyHash()',
    ],
    [
      'directory without lookupMemberships',
      () =>
        createPreTokenGenerationHandler({
          env: { TENANT_TABLE_NAME: 't' },
          directory: { lookup: () => undefined } as never,
        }),
      'directory: must implement lookupMemberships()',
    ],
    [
      'catalog without partials',
      () =>
        createCustomMessageHandler({
          env: MESSAGE_ENV,
          catalog: { locales: ['en'], template: () => undefined } as never,
        }),
      'catalog: must implement partials()',
    ],
    [
      'a list source without load',
      () =>
        createPreSignUpHandler({
          env: {},
          emailDomainSources: [{ load: async () => ({}) }, { current: () => undefined } as never],
        }),
      'emailDomainSources[1]: must implement load()',
    ],
  ])('refuses a %s', (_name, create, problem) => {
    let error: unknown;
    try {
      create();
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([problem]);
  });
});
