import { describe, expect, it } from 'vitest';
import { NO_DEADLINE } from '../../../shared/deadline.js';
import { DeadlineExceededError } from '../../../shared/errors.js';
import { VerificationBudgetError } from '../../../triggers/user-migration/password/verify-cost.js';
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

describe('decideMigration, hardening', () => {
  it.each([
    ['unsupported', 'unsupported'],
    ['malformed', 'malformed'],
    ['over the limits', 'hostile'],
  ] as const)(
    'pays for a dummy verification when the stored hash is %s, as a wrong password does',
    async (_case, reason) => {
      // Prepare
      const deps = prepare();
      const verify = deps.verifier.verify.bind(deps.verifier);
      deps.verifier.verify = async (password, storedHash, options) =>
        storedHash === '$unknown$scheme'
          ? (await verify(password, storedHash, options), { ok: false, reason })
          : verify(password, storedHash, options);

      // Act
      const decision = await decideMigration(
        { source: 'authentication', username: 'oddHash', password: PASSWORD },
        deps,
        NO_DEADLINE.signal,
      );

      // Assess
      expect(decision).toMatchObject({ kind: 'refuse', reason: 'unverifiable-hash' });
      expect(deps.verifier.calls).toEqual([
        [PASSWORD, '$unknown$scheme'],
        [PASSWORD, FAKE_DUMMY_HASH],
      ]);
    },
  );

  it('does not pay twice for a plain wrong password', async () => {
    const deps = prepare();

    await decideMigration(
      { source: 'authentication', username: 'alice', password: 'nope-nope-1' },
      deps,
      NO_DEADLINE.signal,
    );

    expect(deps.verifier.calls).toHaveLength(1);
  });

  it('hands the verifier what is left of the budget, less a reserve for the answer', async () => {
    const deps = prepare();
    const budgets: (number | undefined)[] = [];
    const verify = deps.verifier.verify.bind(deps.verifier);
    deps.verifier.verify = (password, storedHash, options) => (
      budgets.push(options?.budgetMs),
      verify(password, storedHash, options)
    );

    await decideMigration(
      { source: 'authentication', username: 'alice', password: PASSWORD },
      deps,
      NO_DEADLINE.signal,
      () => 1000,
    );

    expect(budgets).toHaveLength(1);
    expect(budgets[0]).toBeLessThan(1000);
    expect(budgets[0]).toBeGreaterThan(900);
  });

  it.each([
    ['a known user', 'alice'],
    ['an unknown user', 'nobody'],
  ])(
    'fails with a fault, not an answer, when the verification for %s would not fit the budget',
    async (_case, username) => {
      const deps = prepare();
      deps.verifier.verify = async () => ({
        ok: false,
        reason: 'over-budget',
        detail: 'estimated 2700 ms > 900 ms left',
      });

      const outcome = decideMigration(
        { source: 'authentication', username, password: PASSWORD },
        deps,
        NO_DEADLINE.signal,
        () => 1000,
      );

      await expect(outcome).rejects.toBeInstanceOf(VerificationBudgetError);
    },
  );

  it('drops an answer that a blocking verification produced after the deadline', async () => {
    // Prepare: a verifier that blocks the event loop (as WASM bcrypt does) past the deadline, then succeeds.
    const deps = prepare();
    const endsAt = Date.now() + 100;
    deps.verifier.verify = async () => {
      while (Date.now() < endsAt + 20) {
        // busy: no timer can fire meanwhile
      }
      return { ok: true, scheme: 'fake' };
    };

    // Act
    const outcome = decideMigration(
      { source: 'authentication', username: 'alice', password: PASSWORD },
      deps,
      NO_DEADLINE.signal,
      () => Math.max(0, endsAt - Date.now()),
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('tells the verifier about real users only, so the dummy can follow the store', async () => {
    const deps = prepare();
    const observed: [string, string][] = [];
    deps.verifier.observe = (username, storedHash) => observed.push([username, storedHash]);

    for (const username of ['alice', 'nobody', 'socialOnly', 'disabled']) {
      await decideMigration(
        { source: 'authentication', username, password: 'whatever-1A' },
        deps,
        NO_DEADLINE.signal,
      );
    }

    expect(observed).toEqual([
      ['alice', `fake$${PASSWORD}`],
      ['disabled', `fake$${PASSWORD}`],
    ]);
  });

  it.each([
    ['2', 2],
    ["'locked'", 'locked'],
    ["'on'", 'on'],
  ])('refuses a custom store user whose disabled is %s', async (_case, disabled) => {
    const deps = prepare();
    deps.store = createInMemoryStore({
      odd: { ...USERS.alice!, disabled: disabled as unknown as boolean },
    });

    const signIn = await decideMigration(
      { source: 'authentication', username: 'odd', password: PASSWORD },
      deps,
      NO_DEADLINE.signal,
    );
    const forgot = await decideMigration(
      { source: 'forgot-password', username: 'odd' },
      deps,
      NO_DEADLINE.signal,
    );

    expect(signIn).toMatchObject({ kind: 'refuse', reason: 'disabled' });
    expect(forgot).toMatchObject({ kind: 'refuse', reason: 'disabled' });
  });
});
