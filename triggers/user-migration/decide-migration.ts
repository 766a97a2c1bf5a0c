import type { LegacyUserStore } from './stores/legacy-user-store.js';
import { meetsPasswordPolicy, type PasswordPolicy } from './password/password-policy.js';

/** What the password module answers (see `password/verify-legacy-password.ts`). */
export type PasswordCheck =
  | { readonly ok: true; readonly scheme: string }
  | {
      readonly ok: false;
      readonly scheme?: string;
      readonly reason: 'mismatch' | 'unsupported' | 'malformed' | 'hostile' | 'password-too-long';
      /** Non-secret explanation for logs (e.g. "bcrypt cost 31 > 14"). */
      readonly detail?: string;
    };

/** The port to password verification, so the core is testable without real hashing. */
export interface PasswordVerifier {
  verify(password: string, storedHash: string): Promise<PasswordCheck>;
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
): Promise<MigrationDecision> {
  if (request.source === 'authentication') return decideAuthentication(request, deps, signal);
  const user = await deps.store.findUser(request.username, signal);
  if (user === undefined) return { kind: 'refuse', reason: 'unknown-user' };
  if (user.disabled) return { kind: 'refuse', reason: 'disabled' };
  const attributes = selectAttributes(user.attributes);
  if (!hasVerifiedContact(attributes)) return { kind: 'refuse', reason: 'no-verified-contact' };
  return { kind: 'migrate', attributes, messageAction: 'SUPPRESS' };
}

async function decideAuthentication(
  request: Extract<MigrationRequest, { source: 'authentication' }>,
  { store, verifier, policy }: MigrationDependencies,
  signal: AbortSignal,
): Promise<MigrationDecision> {
  // The dummy is fetched on every sign-in, not only for unknown users, so a broken dummy fails all
  // sign-ins alike instead of answering unknown users differently.
  const [user, dummyHash] = await Promise.all([
    store.findUser(request.username, signal),
    verifier.dummyHash(),
  ]);
  const storedHash = user?.passwordHash ?? dummyHash;
  const check = await verifier.verify(request.password, storedHash);
  if (user === undefined) return { kind: 'refuse', reason: 'unknown-user' };
  if (user.passwordHash === undefined) return { kind: 'refuse', reason: 'no-password' };
  if (user.disabled) return { kind: 'refuse', reason: 'disabled', scheme: check.scheme };
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
