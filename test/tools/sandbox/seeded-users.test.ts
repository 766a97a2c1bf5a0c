import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEEDED_USERS_DOCUMENTS } from '../../../tools/generate-seeded-users.js';
import { formatBanner } from '../../../tools/sandbox/banner.js';
import {
  describeSampleUsers,
  formatSeededUsersTable,
  SEEDED_USERS_BEGIN,
  SEEDED_USERS_END,
} from '../../../tools/sandbox/sample-users.js';
import type { Sandbox } from '../../../tools/sandbox/start-sandbox.js';

// The banner and the README's table are generated from the seed; these tests read the seed files
// themselves, so neither a hand edit of the README nor a drift in the generator goes unseen.

interface RawSeed {
  password: string;
  users: { email: string; password?: string; disabled: boolean }[];
}
const seed = JSON.parse(readFileSync('tools/sandbox/seed/legacy-users.json', 'utf8')) as RawSeed;
const passwordOf = (user: RawSeed['users'][number]): string => user.password ?? seed.password;

function tableOf(path: string): string {
  const text = readFileSync(path, 'utf8');
  const begin = text.indexOf(SEEDED_USERS_BEGIN);
  const end = text.indexOf(SEEDED_USERS_END);
  expect(begin, `${path} has the seeded-users markers`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  return text.slice(begin + SEEDED_USERS_BEGIN.length, end).trim();
}

describe.each(SEEDED_USERS_DOCUMENTS)('the seeded-users table of %s', (path) => {
  it('is what `npm run generate:seed-users` writes from the seed', () => {
    expect(tableOf(path)).toBe(formatSeededUsersTable());
  });

  it("lists every seeded user once, with that user's own password", () => {
    const rows = tableOf(path)
      .split('\n')
      .slice(2)
      .map((row) => row.split('|').map((cell) => cell.trim()));
    expect(rows.map((cells) => cells[1])).toEqual(seed.users.map((user) => `\`${user.email}\``));
    for (const user of seed.users) {
      const row = rows.find((cells) => cells[1] === `\`${user.email}\``)!;
      expect(row[2]).toBe(`\`${passwordOf(user)}\``);
    }
  });
});

describe('the banner of npm start', () => {
  it("prints every seeded user with that user's own password on the user's line", () => {
    // Prepare
    const sandbox = {
      cognitoEndpoint: 'http://127.0.0.1:9229',
      lambdaEndpoint: 'http://127.0.0.1:3001',
      dynamoDbEndpoint: 'http://127.0.0.1:8000',
      apiEndpoint: 'http://127.0.0.1:3002',
      legacyDbUrl: 'postgres://postgres@127.0.0.1:5433/postgres',
      region: 'us-east-1',
      userPoolId: 'local_Pool1234',
      clientId: 'client123',
      issuer: 'http://127.0.0.1:9229/local_Pool1234',
      jwksUrl: 'http://127.0.0.1:9229/local_Pool1234/.well-known/jwks.json',
      tenantTableName: 'TenantTable',
      stateDir: '/tmp/sandbox',
      messagesDir: '/tmp/sandbox/messages',
      sampleUsers: describeSampleUsers(),
    } as unknown as Sandbox;

    // Act
    const lines = formatBanner(sandbox).split('\n');

    // Assess
    for (const user of seed.users) {
      const line = lines.find((candidate) => candidate.trim().startsWith(`${user.email} `));
      expect(line, `a banner line for ${user.email}`).toBeDefined();
      expect(line).toContain(`"${passwordOf(user)}"`);
    }
    expect(lines.join('\n')).not.toMatch(/password for all/i);
    expect(lines.join('\n')).toContain('http://127.0.0.1:3002/claims');
  });
});
