import { readLegacySeed, type LegacySeed } from './legacy-database.js';
import { readTenantSeed, type TenantSeed } from './tenant-table.js';

/** A legacy user of the seeded database and what the seed says about them. */
export interface SampleUser {
  readonly email: string;
  /** This user's own password: the seed's shared one unless the seed gives the user another. */
  readonly password: string;
  readonly scheme: string;
  readonly disabled: boolean;
  readonly emailVerified: boolean;
  /** `tenantId (role[, default]; status)` for each membership. */
  readonly tenants: readonly string[];
}

/** The seeded legacy users with their passwords and memberships, read from `seed/*.json`. */
export function describeSampleUsers(
  legacy: LegacySeed = readLegacySeed(),
  seed: TenantSeed = readTenantSeed(),
): SampleUser[] {
  const statusOf = new Map(seed.tenants.map((tenant) => [tenant.tenantId, tenant.status]));
  return legacy.users.map((user) => ({
    email: user.email,
    password: user.password ?? legacy.password,
    scheme: user.scheme,
    disabled: user.disabled,
    emailVerified: user.email_verified,
    tenants: seed.memberships
      .filter((member) => member.email === user.email)
      .map(
        (member) =>
          `${member.tenantId} (${member.role}${member.default ? ', default' : ''}; ${statusOf.get(member.tenantId)})`,
      ),
  }));
}

/** What the first USER_PASSWORD_AUTH sign-in of this user gives, under the sandbox's defaults. */
export function expectedOutcomeOf(user: SampleUser): string {
  if (user.disabled) return 'refused: `[MIGRATION_FAILED]` (disabled in the legacy database)';
  if (user.tenants.length === 0)
    return 'refused: `[TENANT_REQUIRED]` (no tenant, and no domain rule for `example.com`)';
  if (user.tenants.every((tenant) => tenant.endsWith('; suspended)')))
    return 'refused: `[TENANT_SUSPENDED]` (its only tenant is suspended)';
  const chosen = user.tenants.find((tenant) => tenant.includes(', default;')) ?? user.tenants[0]!;
  return `migrated; token claims \`tenant_id=${chosen.slice(0, chosen.indexOf(' '))}\``;
}

export const SEEDED_USERS_BEGIN =
  '<!-- seeded-users:begin (generated from tools/sandbox/seed by `npm run generate:seed-users`) -->';
export const SEEDED_USERS_END = '<!-- seeded-users:end -->';

/** The README's table of seeded users, generated from the seed so the two cannot drift. */
export function formatSeededUsersTable(users: readonly SampleUser[] = describeSampleUsers()): string {
  const rows = users.map((user) =>
    [
      `\`${user.email}\``,
      `\`${user.password}\``,
      user.scheme,
      user.tenants.join(', ') || 'none',
      expectedOutcomeOf(user),
    ].join(' | '),
  );
  return [
    '| user | password | legacy hash | tenants (role; status) | first sign-in |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

/** `text` with the block between the seeded-users markers replaced by `table`. */
export function replaceSeededUsersBlock(text: string, table: string): string {
  const begin = text.indexOf(SEEDED_USERS_BEGIN);
  const end = text.indexOf(SEEDED_USERS_END);
  if (begin < 0 || end < begin) return text;
  return `${text.slice(0, begin + SEEDED_USERS_BEGIN.length)}\n${table}\n${text.slice(end)}`;
}
