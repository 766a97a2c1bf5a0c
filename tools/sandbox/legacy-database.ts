import { startPglite } from '../lib/local-postgres.js';
import { readFileSync } from 'node:fs';
import pg from 'pg';

export interface LegacyUserSeed {
  readonly email: string;
  readonly given_name: string;
  readonly family_name: string;
  readonly locale: string | null;
  readonly email_verified: boolean;
  readonly disabled: boolean;
  readonly scheme: string;
  readonly generator: string;
  readonly password_hash: string;
  /** This user's password when it is not the seed's shared one. */
  readonly password?: string;
}

export interface LegacySeed {
  readonly password: string;
  readonly users: readonly LegacyUserSeed[];
}

export const LEGACY_SEED_FILE = new URL('./seed/legacy-users.json', import.meta.url);

/** The query the sandbox gives the migration trigger (`LEGACY_USER_QUERY`): the seeded columns. */
export const SANDBOX_LEGACY_USER_QUERY =
  'SELECT password_hash, email, email_verified, given_name, family_name, locale, disabled FROM users WHERE lower(email) = lower($1)';

export interface LegacyDatabase {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (plaintext: the trigger runs with LEGACY_DB_TLS=off). */
  readonly url: string;
  /** Stops the server: the legacy database goes down (used to show the trigger failing closed). */
  stop(): Promise<void>;
}

export function readLegacySeed(): LegacySeed {
  return JSON.parse(readFileSync(LEGACY_SEED_FILE, 'utf8')) as LegacySeed;
}

/**
 * Starts PGlite behind its PostgreSQL wire-protocol server (so the trigger's real `pg` adapter talks
 * to it) and seeds the `users` table from `seed/legacy-users.json`. PGlite runs synchronously, so it
 * lives in a worker thread and never stalls the sandbox's own servers.
 */
export async function startLegacyDatabase(options: { port: number; host?: string }): Promise<LegacyDatabase> {
  const database = await startPglite({ host: options.host, port: options.port });
  try {
    await seedLegacyUsers(database.url, readLegacySeed());
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

async function seedLegacyUsers(url: string, seed: LegacySeed): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS users (
      id serial PRIMARY KEY,
      email text NOT NULL UNIQUE,
      password_hash text,
      email_verified boolean NOT NULL DEFAULT false,
      given_name text,
      family_name text,
      locale text,
      disabled boolean NOT NULL DEFAULT false
    )`);
    for (const user of seed.users) {
      await client.query(
        `INSERT INTO users (email, password_hash, email_verified, given_name, family_name, locale, disabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING`,
        [
          user.email,
          user.password_hash,
          user.email_verified,
          user.given_name,
          user.family_name,
          user.locale,
          user.disabled,
        ],
      );
    }
  } finally {
    await client.end();
  }
}
