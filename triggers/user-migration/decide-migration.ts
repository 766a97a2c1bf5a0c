import { DeadlineExceededError } from '../../shared/errors.js';
import type { LegacyUserStore } from './stores/legacy-user-store.js';
import { VerificationBudgetError } from './password/verify-cost.js';
import { readDisabledFlag } from './stores/map-legacy-row.js';
import { meetsPasswordPolicy, type PasswordPolicy } from './password/password-policy.js';

/** What the password module answers (see `password/verify-legacy-password.ts`). */
export type PasswordCheck =
  | { readonly ok: true; readonly scheme: string }
  | {
      readonly ok: false;
      readonly scheme?: string;
      readonly reason:
        'mismatch' | 'unsupported' | 'malformed' | 'hostile' | 'password-too-long' | 'over-budget';
      /** Non-secret explanation for logs (e.g. "bcrypt cost 31 > 14"). */
      readonly detail?: string;
    };

/** The port to password verification, so the core is testable without real hashing. */
export interface PasswordVerifier {
  /**
   * Checks a password against a stored hash. With `budgetMs`, a verification estimated to take longer is
   * not started (answered `over-budget`): a synchronous hash cannot be interrupted once it runs.
   */
  verify(
    password: string,
    storedHash: string,
    options?: { readonly budgetMs?: number },
  ): Promise<PasswordCheck>;
  /** Optional: notes the verified hash of a real user, for a dummy that follows the store. */
  observe?(username: string, storedHash: string): void;
  /** A hash of a random secret in the configured scheme and cost: what an unknown user is checked against. */
  dummyHash(): Promise<string>;
}

/** The migration Cognito asks for: sign-in (a password arrives) or forgot-password (none does). */
export type MigrationRequest =
  | { readonly source: 'authentication'; readonly username: string; readonly password: string }
  | { readonly source: 'forgot-password'; readonly username: string };

export type RefusalReason =
  | 'unknown-user'
  | 'disabled'
  | 'no-password'
  | 'wrong-password'
  | 'unverifiable-hash'
  | 'no-verified-contact';

export type MigrationDecision =
  | {
      readonly kind: 'migrate';
      readonly attributes: Readonly<Record<string, string>>;
      /** Unset for forgot-password: Cognito then creates the user as RESET_REQUIRED and sends the code. */
      readonly finalUserStatus?: 'CONFIRMED' | 'RESET_REQUIRED';
      readonly messageAction: 'SUPPRESS';
      readonly scheme?: string;
      readonly meetsPolicy?: boolean;
    }
  | {
      readonly kind: 'refuse';
      readonly reason: RefusalReason;
      /** For `unverifiable-hash`: what the verifier objected to. */
      readonly detail?: string;
      readonly scheme?: string;
    };

export interface MigrationDependencies {
  readonly store: LegacyUserStore;
  readonly verifier: PasswordVerifier;
  readonly policy: PasswordPolicy;
}

/**
 * Decides whether and how a legacy user moves into Cognito. Unknown, disabled and password-less
 * users cost one password verification like everybody else, so timing does not tell them apart.
 */
export async function decideMigration(
  request: MigrationRequest,
  deps: MigrationDependencies,
  signal: AbortSignal,
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<MigrationDecision> {
  if (request.source === 'authentication') return decideAuthentication(request, deps, signal, remainingMs);
  const user = await deps.store.findUser(request.username, signal);
  if (user === undefined) return { kind: 'refuse', reason: 'unknown-user' };
  if (readDisabledFlag(user.disabled)) return { kind: 'refuse', reason: 'disabled' };
  const attributes = selectAttributes(user.attributes);
  if (!hasVerifiedContact(attributes)) return { kind: 'refuse', reason: 'no-verified-contact' };
  return { kind: 'migrate', attributes, messageAction: 'SUPPRESS' };
}

// Time kept back after a verification for building and returning the answer.
const ANSWER_RESERVE_MS = 25;

/** Failures that say nothing about the password: they cost a dummy verification, like a wrong password. */
const UNVERIFIABLE: ReadonlySet<string> = new Set(['unsupported', 'malformed', 'hostile']);

async function decideAuthentication(
  request: Extract<MigrationRequest, { source: 'authentication' }>,
  { store, verifier, policy }: MigrationDependencies,
  signal: AbortSignal,
  remainingMs: () => number,
): Promise<MigrationDecision> {
  // The dummy is fetched on every sign-in, not only for unknown users, so a broken dummy fails all
  // sign-ins alike instead of answering unknown users differently.
  const [user, dummyHash] = await Promise.all([
    store.findUser(request.username, signal),
    verifier.dummyHash(),
  ]);
  const verifyInBudget = async (storedHash: string): Promise<PasswordCheck> => {
    const check = await verifier.verify(request.password, storedHash, {
      budgetMs: remainingMs() - ANSWER_RESERVE_MS,
    });
    if (!check.ok && check.reason === 'over-budget') {
      throw new VerificationBudgetError(
        `The password verification was not started: ${check.detail ?? 'it cannot finish in time'}`,
      );
    }
    return check;
  };
  const storedHash = user?.passwordHash ?? dummyHash;
  const check = await verifyInBudget(storedHash);
  // A hash refused before any hashing would answer at once: pay for the dummy, as a wrong password does.
  if (!check.ok && UNVERIFIABLE.has(check.reason)) await verifyInBudget(dummyHash);
  // A synchronous hash blocks the deadline's timer: an answer that ended after the deadline is dropped.
  if (remainingMs() <= 0)
    throw new DeadlineExceededError('The password verification ended after the deadline');
  if (user === undefined) return { kind: 'refuse', reason: 'unknown-user' };
  if (user.passwordHash === undefined) return { kind: 'refuse', reason: 'no-password' };
  if (check.ok || check.reason === 'mismatch') verifier.observe?.(request.username, user.passwordHash);
  // A custom store may hand over what its source had (2, 'locked'): read as strictly as a SQL column.
  if (readDisabledFlag(user.disabled)) return { kind: 'refuse', reason: 'disabled', scheme: check.scheme };
  if (!check.ok) {
    return check.reason === 'mismatch'
      ? { kind: 'refuse', reason: 'wrong-password', scheme: check.scheme }
      : {
          kind: 'refuse',
          reason: 'unverifiable-hash',
          detail: check.detail === undefined ? check.reason : `${check.reason}: ${check.detail}`,
          scheme: check.scheme,
        };
  }
  const meetsPolicy = meetsPasswordPolicy(request.password, policy);
  return {
    kind: 'migrate',
    attributes: selectAttributes(user.attributes),
    finalUserStatus: meetsPolicy ? 'CONFIRMED' : 'RESET_REQUIRED',
    messageAction: 'SUPPRESS',
    scheme: check.scheme,
    meetsPolicy,
  };
}

// Attributes Cognito owns or refuses on create; a custom store might still hand them over.
const RESERVED_ATTRIBUTES = new Set([
  'sub',
  'username',
  'identities',
  'cognito:username',
  'cognito:user_status',
]);

/**
 * The attributes Cognito receives: empty values and reserved names dropped, and a `*_verified`
 * flag kept only when it is exactly 'true' and the address it vouches for is present.
 */
export function selectAttributes(attributes: Readonly<Record<string, string>>): Record<string, string> {
  const selected: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value !== 'string' || value === '' || RESERVED_ATTRIBUTES.has(name)) continue;
    selected[name] = value;
  }
  for (const [flag, address] of [
    ['email_verified', 'email'],
    ['phone_number_verified', 'phone_number'],
  ] as const) {
    if (selected[flag] !== 'true' || selected[address] === undefined) delete selected[flag];
  }
  return selected;
}

function hasVerifiedContact(attributes: Readonly<Record<string, string>>): boolean {
  return attributes.email_verified === 'true' || attributes.phone_number_verified === 'true';
}
