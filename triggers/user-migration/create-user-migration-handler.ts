import type { Logger } from '@aws-lambda-powertools/logger';
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import { checkPort, type Env } from '../../shared/config.js';
import { raceDeadline, type Deadline } from '../../shared/deadline.js';
import { RejectionError } from '../../shared/errors.js';
import { getDefaultLogger } from '../../shared/observability.js';
import {
  createTriggerHandlerWithSettings,
  readTriggerConfigAndSettings,
  type TriggerHandler,
  type TriggerHandlerOptions,
} from '../../shared/trigger-handler.js';
import { readUserMigrationConfig, type UserMigrationConfig } from './config.js';
import { createLegacyStoreFromConfig } from './stores/create-legacy-store.js';
import {
  decideMigration,
  type MigrationDecision,
  type MigrationDependencies,
  type MigrationRequest,
  type PasswordVerifier,
} from './decide-migration.js';
import type { LegacyUserStore } from './stores/legacy-user-store.js';
import { createLegacyPasswordVerifier } from './password/password-verifier.js';
import { USER_MIGRATION_SOURCES } from '../../shared/trigger-sources.js';
import { MalformedMigrationEventError } from './errors.js';

/** What `createUserMigrationHandler` takes; everything is optional. */
export interface UserMigrationHandlerOptions extends TriggerHandlerOptions {
  /** A custom legacy store; when given, the LEGACY_STORE variables are not read. */
  readonly store?: LegacyUserStore;
  /** Replaces the bundled password verification (tests, or a scheme of your own). */
  readonly verifier?: PasswordVerifier;
}

// The record-back gets what is left of the budget minus this, so it can never cost the migration itself.
const RECORD_BACK_RESERVE_MS = 150;

/**
 * The UserMigration handler, fail-closed: lazy migration from a legacy store, with the legacy password
 * verified here. Configuration is read from `env` once, here (cold start); nothing happens at import.
 *
 * @example
 * ```ts
 * // my-handler.ts: a custom store, everything else as bundled
 * import { createUserMigrationHandler } from 'cognito-trigger-kit/user-migration';
 * export const handler = createUserMigrationHandler({ store: myLegacyStore });
 * ```
 */
export function createUserMigrationHandler(
  options: UserMigrationHandlerOptions = {},
): TriggerHandler<UserMigrationTriggerEvent> {
  const env: Env = options.env ?? process.env;
  checkPort('store', options.store, ['findUser']);
  checkPort('verifier', options.verifier, ['verify', 'dummyHash']);
  // The shared settings are read once, with the config, and handed to the handler below.
  const { config, settings } = readTriggerConfigAndSettings<UserMigrationConfig>(
    () => readUserMigrationConfig(env, { storeFromEnv: options.store === undefined }),
    env,
    options.deadlineSettings,
  );
  const logger = options.logger ?? getDefaultLogger();
  const store =
    options.store ?? createLegacyStoreFromConfig(config.store as NonNullable<UserMigrationConfig['store']>);
  const verifier = options.verifier ?? createLegacyPasswordVerifier(config.hashing);
  const deps: MigrationDependencies = { store, verifier, policy: config.passwordPolicy };
  // Made now, at cold start, so the first unknown user does not pay for it (and a bad scheme shows early).
  verifier
    .dummyHash()
    .catch((error: unknown) => logger.error('The dummy password hash cannot be made', { error }));

  return createTriggerHandlerWithSettings<UserMigrationTriggerEvent>(
    {
      name: 'user-migration',
      failMode: 'closed',
      triggerSources: USER_MIGRATION_SOURCES,
      handle: async (event, { deadline, logger: invocationLogger, hashUsername }) => {
        const request = readMigrationRequest(event);
        const decision = await decideMigration(request, deps, deadline.signal, () => deadline.remainingMs());
        const user = hashUsername(request.username);
        if (decision.kind === 'refuse') {
          const level = decision.reason === 'unverifiable-hash' ? 'warn' : 'info';
          invocationLogger[level]('user migration refused', {
            user,
            source: request.source,
            reason: decision.reason,
            detail: decision.detail,
            scheme: decision.scheme,
          });
          // One code and one sentence for every refusal: the answer must not tell them apart.
          throw new RejectionError('MIGRATION_FAILED');
        }
        applyMigrationDecision(event, decision);
        invocationLogger.info('user migrated', {
          user,
          source: request.source,
          scheme: decision.scheme,
          finalUserStatus: event.response.finalUserStatus ?? 'RESET_REQUIRED',
          meetsPolicy: decision.meetsPolicy,
        });
        await recordMigratedQuietly(store, request.username, deadline, invocationLogger, user);
        return event;
      },
    },
    { env, logger, tracer: options.tracer, metrics: options.metrics },
    settings,
  );
}

/** The migration request in an event; an unknown `UserMigration_*` source is a fault. */
export function readMigrationRequest(event: UserMigrationTriggerEvent): MigrationRequest {
  const username = event.userName;
  if (typeof username !== 'string' || username === '')
    throw new MalformedMigrationEventError('The event has no userName');
  const source: string = event.triggerSource;
  if (source === 'UserMigration_ForgotPassword') return { source: 'forgot-password', username };
  if (source === 'UserMigration_Authentication') {
    // Verified exactly as received; a missing password simply fails verification.
    const password = typeof event.request.password === 'string' ? event.request.password : '';
    return { source: 'authentication', username, password };
  }
  throw new MalformedMigrationEventError(`Unsupported triggerSource ${JSON.stringify(source.slice(0, 64))}`);
}

/**
 * Writes a migrate decision onto the event's response, every documented field set explicitly: nothing that
 * arrived in `event.response` survives. `null` is Cognito's own "not set" (what it sends in the request).
 */
export function applyMigrationDecision(
  event: UserMigrationTriggerEvent,
  decision: Extract<MigrationDecision, { kind: 'migrate' }>,
): void {
  const response: Record<keyof UserMigrationTriggerEvent['response'], unknown> = {
    userAttributes: { ...decision.attributes },
    // Not set for forgot-password: Cognito then creates the user RESET_REQUIRED and sends the code.
    finalUserStatus: decision.finalUserStatus ?? null,
    messageAction: decision.messageAction,
    // Only read for a welcome message, which SUPPRESS never sends.
    desiredDeliveryMediums: null,
    // Never true: it would move an alias (email, phone) away from the Cognito user who holds it.
    forceAliasCreation: false,
    // The legacy store's MFA state is not known here; the pool's own MFA settings apply.
    enableSMSMFA: false,
  };
  event.response = response as unknown as UserMigrationTriggerEvent['response'];
}

async function recordMigratedQuietly(
  store: LegacyUserStore,
  username: string,
  deadline: Deadline,
  logger: Logger,
  user: string,
): Promise<void> {
  if (store.recordMigrated === undefined) return;
  const budgetMs = deadline.remainingMs() - RECORD_BACK_RESERVE_MS;
  if (budgetMs <= 0) {
    logger.warn('record-back skipped: no time left; the migration stands', { user });
    return;
  }
  const signal = AbortSignal.any([deadline.signal, AbortSignal.timeout(budgetMs)]);
  try {
    await raceDeadline(store.recordMigrated(username, signal), signal);
  } catch (error) {
    // Cognito creates the user from our answer anyway; the record-back is idempotent and best effort.
    logger.warn('record-back failed; the migration stands', { user, error });
  }
}
