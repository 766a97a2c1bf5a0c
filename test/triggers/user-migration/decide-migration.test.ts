import { describe, expect, it } from 'vitest';
import { NO_DEADLINE } from '../../../shared/deadline.js';
import {
  decideMigration,
  selectAttributes,
  type MigrationDependencies,
} from '../../../triggers/user-migration/decide-migration.js';
import type { LegacyUser } from '../../../triggers/user-migration/stores/legacy-user-store.js';
import { COGNITO_DEFAULT_POLICY } from '../../../triggers/user-migration/password/password-policy.js';
import { createFakeVerifier, createInMemoryStore, FAKE_DUMMY_HASH } from './support/in-memory.js';

const PASSWORD = 'Correct-Horse-9!';

const USERS: Record<string, LegacyUser> = {
  alice: {
    passwordHash: `fake$${PASSWORD}`,
    disabled: false,
    attributes: {
      email: 'alice@example.com',
      email_verified: 'true',
      given_name: 'Alice',
      'custom:plan': 'gold',
    },
  },
  weak: {
    passwordHash: 'fake$password',
    disabled: false,
    attributes: { email: 'weak@example.com', email_verified: 'true' },
  },
  disabled: {
    passwordHash: `fake$${PASSWORD}`,
    disabled: true,
    attributes: { email: 'd@example.com', email_verified: 'true' },
  },
  socialOnly: { disabled: false, attributes: { email: 's@example.com', email_verified: 'true' } },
  unverified: {
    passwordHash: `fake$${PASSWORD}`,
    disabled: false,
    attributes: { email: 'u@example.com', email_verified: 'false' },
  },
  phoneOnly: {
    passwordHash: `fake$${PASSWORD}`,
    disabled: false,
    attributes: { phone_number: '+15555550100', phone_number_verified: 'true' },
  },
  oddHash: { passwordHash: '$unknown$scheme', disabled: false, attributes: { email: 'o@example.com' } },
};

function prepare(): MigrationDependencies & {
  store: ReturnType<typeof createInMemoryStore>;
  verifier: ReturnType<typeof createFakeVerifier>;
} {
  return {
    store: createInMemoryStore(USERS),
    verifier: createFakeVerifier(),
    policy: COGNITO_DEFAULT_POLICY,
  };
}

describe('decideMigration, sign-in', () => {
  it('migrates a user whose password verifies as CONFIRMED with their attributes and no welcome message', async () => {
    // Prepare
    const deps = prepare();

    // Act
    const decision = await decideMigration(
      { source: 'authentication', username: 'alice', password: PASSWORD },
      deps,
      NO_DEADLINE.signal,
    );

    // Assess
    expect(decision).toEqual({
      kind: 'migrate',
      attributes: {
        email: 'alice@example.com',
        email_verified: 'true',
        given_name: 'Alice',
        'custom:plan': 'gold',
      },
      finalUserStatus: 'CONFIRMED',
      messageAction: 'SUPPRESS',
      scheme: 'fake',
      meetsPolicy: true,
    });
  });

  it('migrates a verified password that fails the pool policy as RESET_REQUIRED', async () => {
    const deps = prepare();

    const decision = await decideMigration(
      { source: 'authentication', username: 'weak', password: 'password' },
      deps,
      NO_DEADLINE.signal,
    );

    expect(decision).toMatchObject({
      kind: 'migrate',
      finalUserStatus: 'RESET_REQUIRED',
      meetsPolicy: false,
      messageAction: 'SUPPRESS',
    });
  });

  it.each([
    ['an unknown user', 'nobody', PASSWORD, 'unknown-user'],
    ['a wrong password', 'alice', 'Wrong-Horse-9!', 'wrong-password'],
    ['a disabled user with the right password', 'disabled', PASSWORD, 'disabled'],
    ['a user without a password', 'socialOnly', PASSWORD, 'no-password'],
    ['a hash the verifier cannot check', 'oddHash', PASSWORD, 'unverifiable-hash'],
  ])('refuses %s', async (_case, username, password, reason) => {
    const deps = prepare();

    const decision = await decideMigration(
      { source: 'authentication', username, password },
      deps,
      NO_DEADLINE.signal,
    );

    expect(decision).toMatchObject({ kind: 'refuse', reason });
  });

  it.each([
    ['an unknown user', 'nobody', FAKE_DUMMY_HASH],
    ['a user without a password', 'socialOnly', FAKE_DUMMY_HASH],
    ['a disabled user', 'disabled', `fake$${PASSWORD}`],
    ['a known user with a wrong password', 'alice', `fake$${PASSWORD}`],
  ])(
    'verifies the password exactly once for %s, so each refusal costs one verification',
    async (_case, username, expectedHash) => {
      const deps = prepare();

      await decideMigration(
        { source: 'authentication', username, password: ' Typed As Is ' },
        deps,
        NO_DEADLINE.signal,
      );

      expect(deps.verifier.calls).toEqual([[' Typed As Is ', expectedHash]]);
    },
  );

  it('looks the user up by the username exactly as Cognito sent it', async () => {
    const deps = prepare();

    await decideMigration(
      { source: 'authentication', username: "  Alice' OR 1=1 --", password: PASSWORD },
      deps,
      NO_DEADLINE.signal,
    );

    expect(deps.store.lookups).toEqual(["  Alice' OR 1=1 --"]);
  });

  it('passes the abort signal to the store', async () => {
    const seen: AbortSignal[] = [];
    const controller = new AbortController();
    const deps = {
      ...prepare(),
      store: { findUser: async (_u: string, signal: AbortSignal) => (seen.push(signal), undefined) },
    };

    await decideMigration(
      { source: 'authentication', username: 'x', password: 'y' },
      deps,
      controller.signal,
    );

    expect(seen).toEqual([controller.signal]);
  });
});

describe('decideMigration, forgot password', () => {
  it.each([
    [
      'a verified email',
      'alice',
      { email: 'alice@example.com', email_verified: 'true', given_name: 'Alice', 'custom:plan': 'gold' },
    ],
    ['a verified phone number', 'phoneOnly', { phone_number: '+15555550100', phone_number_verified: 'true' }],
  ])(
    'migrates a user with %s without a password and leaves the status to Cognito',
    async (_case, username, attributes) => {
      const deps = prepare();

      const decision = await decideMigration(
        { source: 'forgot-password', username },
        deps,
        NO_DEADLINE.signal,
      );

      expect(decision).toEqual({ kind: 'migrate', attributes, messageAction: 'SUPPRESS' });
      expect(deps.verifier.calls).toEqual([]);
    },
  );

  it.each([
    ['an unknown user', 'nobody', 'unknown-user'],
    ['a disabled user', 'disabled', 'disabled'],
    ['a user whose email the legacy store never verified', 'unverified', 'no-verified-contact'],
  ])('refuses %s', async (_case, username, reason) => {
    const deps = prepare();

    const decision = await decideMigration({ source: 'forgot-password', username }, deps, NO_DEADLINE.signal);

    expect(decision).toEqual({ kind: 'refuse', reason });
  });
});

describe('selectAttributes', () => {
  it.each([
    [
      'keeps email_verified=true with an email',
      { email: 'a@example.com', email_verified: 'true' },
      { email: 'a@example.com', email_verified: 'true' },
    ],
    [
      'drops email_verified=false',
      { email: 'a@example.com', email_verified: 'false' },
      { email: 'a@example.com' },
    ],
    ['drops email_verified without an email', { email_verified: 'true' }, {}],
    [
      'drops a verified flag that is not exactly true',
      { phone_number: '+1555', phone_number_verified: 'yes' },
      { phone_number: '+1555' },
    ],
    [
      'drops reserved and empty attributes',
      { sub: 'abc', username: 'u', name: '', locale: 'fr' },
      { locale: 'fr' },
    ],
  ])('%s', (_case, input: Record<string, string>, expected) => {
    expect(selectAttributes(input)).toEqual(expected);
  });
});
