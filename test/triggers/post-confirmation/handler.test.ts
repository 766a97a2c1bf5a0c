import { Logger } from '@aws-lambda-powertools/logger';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactLogValue } from '../../../shared/redact.js';
import { createPostConfirmationHandler } from '../../../triggers/post-confirmation/create-post-confirmation-handler.js';
import type { GroupTarget, UserGroups } from '../../../triggers/post-confirmation/groups/user-groups.js';
import { loadEvent } from '../../support/events.js';
import {
  createInMemoryProvisioningStore,
  type InMemoryProvisioningStore,
} from '../../support/in-memory-provisioning-store.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../../support/logs.js';

const RULES = [
  { domain: 'acme.example.com', tenantId: 'acme', role: 'member' },
  { domain: 'xn--bcher-kva.example.com', tenantId: 'buecher', role: 'editor' },
];
const SETTINGS = { cognitoBudgetMs: 1_000, marginMs: 200 };
const CLIENT_ENV = { DYNAMODB_MAX_ATTEMPTS: '1', DYNAMODB_REQUEST_TIMEOUT_MS: '500' };

const fixture = (name: string): PostConfirmationTriggerEvent =>
  loadEvent<PostConfirmationTriggerEvent>(`post-confirmation/${name}.json`);

interface RecordingGroups extends UserGroups {
  readonly added: { target: GroupTarget; group: string }[];
}

function recordingGroups(fail: ReadonlySet<string> = new Set()): RecordingGroups {
  const added: { target: GroupTarget; group: string }[] = [];
  return {
    added,
    addUserToGroup(target, group) {
      if (fail.has(group)) return Promise.reject(new Error(`ResourceNotFoundException: Group not found`));
      added.push({ target, group });
      return Promise.resolve();
    },
  };
}

function build(
  options: { store?: InMemoryProvisioningStore; groups?: UserGroups; env?: Record<string, string> } = {},
) {
  const store = options.store ?? createInMemoryProvisioningStore(RULES);
  const handler = createPostConfirmationHandler({
    // One short attempt, so the client settings fit the short test budget below.
    env: { ...CLIENT_ENV, ...options.env },
    provisioner: store,
    groups: options.groups,
    deadlineSettings: SETTINGS,
  });
  return { handler, store };
}

let logs: CapturedLogs | undefined;
afterEach(() => {
  logs?.restore();
  logs = undefined;
  vi.unstubAllEnvs();
});

describe('the PostConfirmation handler on the recorded events', () => {
  it('provisions the membership of a verified sign-up whose domain has a rule, and returns the event unchanged', async () => {
    // Prepare
    const { handler, store } = build();
    const event = fixture('confirm-sign-up');

    // Act
    const result = await handler(event, fakeLambdaContext());

    // Assess
    expect(result).toEqual(fixture('confirm-sign-up'));
    expect([...store.memberships]).toEqual([
      ['USER#2f6c3a1e-8d4b-4f7a-9c2e-5b1d0e9a7c31|TENANT#acme', 'member'],
    ]);
  });

  it('matches an internationalised domain through its punycode rule', async () => {
    // Prepare
    const { handler, store } = build();

    // Act
    await handler(fixture('confirm-sign-up-idn'), fakeLambdaContext());

    // Assess
    expect(store.calls.readDomainRule).toEqual(['xn--bcher-kva.example.com']);
    expect([...store.memberships.values()]).toEqual(['editor']);
  });

  it.each([
    [
      'an admin-confirmed user whose email is not verified',
      'admin-confirm-sign-up-unverified',
      'email-unverified',
    ],
    ['a domain without a rule', 'confirm-sign-up-no-rule', 'no-rule'],
  ])('provisions nothing, and logs why, for %s', async (_case, name, reason) => {
    // Prepare
    const { handler, store } = build();
    logs = captureLogs();

    // Act
    const result = await handler(fixture(name), fakeLambdaContext());

    // Assess
    expect(result).toEqual(fixture(name));
    expect(store.memberships.size).toBe(0);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ provisioning: 'skipped', reason }));
  });

  it('provisions nothing and joins no group on a confirmed password reset', async () => {
    // Prepare
    const groups = recordingGroups();
    const { handler, store } = build({ groups, env: { POST_CONFIRMATION_GROUPS: 'customers' } });

    // Act
    const result = await handler(fixture('confirm-forgot-password'), fakeLambdaContext());

    // Assess
    expect(result).toEqual(fixture('confirm-forgot-password'));
    expect(store.calls.readDomainRule).toEqual([]);
    expect(groups.added).toEqual([]);
  });

  it('writes one membership however often Cognito retries the same confirmation', async () => {
    // Prepare
    const { handler, store } = build();

    // Act
    for (let attempt = 0; attempt < 3; attempt += 1)
      await handler(fixture('confirm-sign-up'), fakeLambdaContext());

    // Assess
    expect(store.memberships.size).toBe(1);
    expect(store.calls.grantMembershipIfAbsent).toHaveLength(3);
  });

  it('adds the user to every POST_CONFIRMATION_GROUPS group, by the event pool and username', async () => {
    // Prepare
    const groups = recordingGroups();
    const { handler } = build({ groups, env: { POST_CONFIRMATION_GROUPS: 'customers, newsletter' } });

    // Act
    await handler(fixture('confirm-sign-up'), fakeLambdaContext());

    // Assess
    const target = { userPoolId: 'us-east-1_EXAMPLE', username: '2f6c3a1e-8d4b-4f7a-9c2e-5b1d0e9a7c31' };
    expect(groups.added).toEqual([
      { target, group: 'customers' },
      { target, group: 'newsletter' },
    ]);
  });

  it('keeps the membership and the other groups when one group fails, and returns the event', async () => {
    // Prepare
    const groups = recordingGroups(new Set(['missing']));
    const { handler, store } = build({ groups, env: { POST_CONFIRMATION_GROUPS: 'missing customers' } });
    logs = captureLogs();

    // Act
    const result = await handler(fixture('confirm-sign-up'), fakeLambdaContext());

    // Assess
    expect(result).toEqual(fixture('confirm-sign-up'));
    expect(store.memberships.size).toBe(1);
    expect(groups.added.map((added) => added.group)).toEqual(['customers']);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ level: 'ERROR', group: 'missing' }));
  });

  it('fails open when the store fails: the event comes back and the fault is logged', async () => {
    // Prepare
    const store = createInMemoryProvisioningStore(RULES);
    store.readDomainRule = () => Promise.reject(new Error('ProvisionedThroughputExceededException'));
    const { handler } = build({ store });
    logs = captureLogs();

    // Act
    const result = await handler(fixture('confirm-sign-up'), fakeLambdaContext());

    // Assess
    expect(result).toEqual(fixture('confirm-sign-up'));
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', outcome: 'provisioning-failed' }),
    );
  });

  it('fails open inside the deadline when the store never answers', async () => {
    // Prepare
    const store = createInMemoryProvisioningStore(RULES);
    store.readDomainRule = () => new Promise(() => undefined);
    const { handler } = build({ store });
    const startedAt = Date.now();

    // Act
    const result = await handler(fixture('confirm-sign-up'), fakeLambdaContext({ remainingMs: 5_000 }));

    // Assess: the 1 s budget minus the margin, with room for a loaded machine, well inside Cognito's 5 s.
    expect(result).toEqual(fixture('confirm-sign-up'));
    expect(Date.now() - startedAt).toBeLessThan(3_000);
  });

  it('answers a malformed event with the event itself (fail-open), provisioning nothing', async () => {
    // Prepare
    const { handler, store } = build();
    const event = { ...fixture('confirm-sign-up'), triggerSource: 'PostConfirmation_Bogus' };

    // Act
    const result = await handler(event as PostConfirmationTriggerEvent, fakeLambdaContext());

    // Assess
    expect(result).toEqual(event);
    expect(store.calls.readDomainRule).toEqual([]);
  });

  it('refuses a bad POST_CONFIRMATION_GROUPS at cold start, naming it', () => {
    expect(() => build({ env: { POST_CONFIRMATION_GROUPS: 'ok,bad\u0000name' } })).toThrow(
      /POST_CONFIRMATION_GROUPS/,
    );
  });

  it('refuses a store or groups port without its methods at cold start, naming the option', () => {
    expect(() =>
      createPostConfirmationHandler({ env: {}, provisioner: { readDomainRule: () => undefined } as never }),
    ).toThrow(/provisioner: must implement grantMembershipIfAbsent\(\)/);
    expect(() =>
      createPostConfirmationHandler({
        env: {},
        provisioner: createInMemoryProvisioningStore(),
        groups: {} as never,
      }),
    ).toThrow(/groups: must implement addUserToGroup\(\)/);
  });

  it('requires TENANT_TABLE_NAME when no store is given', () => {
    expect(() => createPostConfirmationHandler({ env: {} })).toThrow(/TENANT_TABLE_NAME: is required/);
  });

  it('logs no personal data, even with the event logged and DEBUG on', async () => {
    // Prepare: a Logger built as POWERTOOLS_LOGGER_LOG_EVENT=true and DEBUG make it, with the toolkit's redaction.
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const logger = new Logger({ jsonReplacerFn: redactLogValue });
    const store = createInMemoryProvisioningStore(RULES);
    const groups = recordingGroups(new Set(['missing']));
    const handler = createPostConfirmationHandler({
      env: { ...CLIENT_ENV, POST_CONFIRMATION_GROUPS: 'missing customers' },
      provisioner: store,
      groups,
      logger,
      deadlineSettings: SETTINGS,
    });
    const event = fixture('confirm-sign-up');
    const email = 'Sentinel.Person+pii@acme.example.com';
    event.userName = 'sentinel-username-4711';
    event.request.userAttributes = {
      ...event.request.userAttributes,
      email,
      'cognito:email_alias': email,
      phone_number: '+15555550123',
      given_name: 'SentinelGiven',
      family_name: 'SentinelFamily',
      name: 'Sentinel Fullname',
    };
    logs = captureLogs();

    // Act
    await handler(event, fakeLambdaContext());
    await handler({ ...event, triggerSource: 'PostConfirmation_ConfirmForgotPassword' }, fakeLambdaContext());

    // Assess
    const text = logs.text();
    expect(text).toContain('"provisioning":"created"');
    expect(text).toContain('PostConfirmation_ConfirmSignUp');
    for (const sentinel of [
      'Sentinel.Person',
      'sentinel-username-4711',
      '5555550123',
      'SentinelGiven',
      'SentinelFamily',
      'Sentinel Fullname',
    ]) {
      expect(text).not.toContain(sentinel);
    }
  });
});
