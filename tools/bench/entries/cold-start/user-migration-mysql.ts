// Hand-written UserMigration over MySQL/MariaDB: mysql2 only, one pool per container, one prepared statement.
import type { UserMigrationTriggerEvent } from 'aws-lambda';
import mysql from 'mysql2/promise';
import { answerForgotPassword, handWritten } from './hand-written.js';

const pool = mysql.createPool({ uri: process.env.LEGACY_DB_URL, connectionLimit: 2 });

export const handler = handWritten(async (event: UserMigrationTriggerEvent) => {
  const [rows] = await pool.execute(process.env.LEGACY_USER_QUERY ?? '', [event.userName]);
  return answerForgotPassword(event, (rows as Record<string, unknown>[])[0]);
});
