// Hand-written UserMigration over PostgreSQL: pg only, one pool per container, one parameterised query.
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import pg from 'pg';
import { answerForgotPassword, handWritten } from './hand-written.js';

const pool = new pg.Pool({ connectionString: process.env.LEGACY_DB_URL, max: 2 });

export const handler = handWritten(async (event: UserMigrationTriggerEvent) => {
  const { rows } = await pool.query(process.env.LEGACY_USER_QUERY ?? '', [event.userName]);
  return answerForgotPassword(event, rows[0] as Record<string, unknown> | undefined);
});
