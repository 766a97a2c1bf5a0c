// Cold-start baseline for UserMigration: a hand-written handler with only what that trigger imports
// for its stores (pg, mysql2, and Secrets Manager for RDS secrets), each made as the trigger makes it:
// the Secrets Manager client only for a secret, the pool once per container. It answers a
// forgot-password migration from one query. No password check, no validation, no logging.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import mysql from 'mysql2/promise';
import pg from 'pg';

const secretArn = process.env.LEGACY_DB_SECRET_ARN;
const secrets = secretArn ? new SecretsManagerClient({}) : undefined;
const userQuery = process.env.LEGACY_USER_QUERY ?? '';

type Query = (username: string) => Promise<Record<string, unknown>[]>;
let query: Query | undefined;

async function connect(): Promise<Query> {
  let url = process.env.LEGACY_DB_URL ?? '';
  if (secrets !== undefined) {
    const output = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const secret = JSON.parse(output.SecretString ?? '{}') as Record<string, string>;
    url = `${process.env.LEGACY_STORE}://${secret.username}:${secret.password}@${secret.host}:${secret.port}/${secret.dbname}`;
  }
  if (process.env.LEGACY_STORE === 'mysql') {
    const pool = mysql.createPool({ uri: url, connectionLimit: 2 });
    return async (username) => (await pool.execute(userQuery, [username]))[0] as Record<string, unknown>[];
  }
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return async (username) => (await pool.query(userQuery, [username])).rows as Record<string, unknown>[];
}

export const handler = async (event: { userName: string; response: Record<string, unknown> }) => {
  query ??= await connect();
  const [row] = await query(event.userName);
  if (row === undefined || row.disabled === true) throw new Error('User not found');
  event.response = {
    ...event.response,
    userAttributes: { email: String(row.email), email_verified: String(row.email_verified === true) },
    messageAction: 'SUPPRESS',
  };
  return event;
};
