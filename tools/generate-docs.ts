/**
 * `npm run generate:docs`: writes the configuration tables of docs/*.md from the config readers
 * themselves (every variable a reader reads declares its kind, default, allowed values and meaning),
 * between `<!-- generated:config <id> -->` and `<!-- /generated:config -->`. A test fails when a table
 * is stale (test/tools/generate-docs.test.ts).
 *
 *   npm run generate:docs           # rewrite the tables
 *   npm run generate:docs -- --check  # exit 1 if a table is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeVariablesRead, type VariableDescription } from '../shared/config.js';
import { EMAIL_DOMAIN_VARIABLES } from '../shared/email-domain/email-domain-sources.js';
import { readLogHashKeyReference } from '../shared/log-hash-key.js';
import { createUsernameHasher } from '../shared/observability.js';
import { readDeadlineSettings } from '../shared/trigger-handler.js';
import { readCustomMessageConfig } from '../triggers/custom-message/config.js';
import { readCustomSenderConfig } from '../triggers/custom-sender/config.js';
import { readPreSignUpConfig } from '../triggers/pre-sign-up/config.js';
import { readTenantClaimsConfig } from '../triggers/pre-token-generation/config.js';
import { readUserMigrationConfig } from '../triggers/user-migration/config.js';
import { readPostConfirmationConfig } from '../triggers/post-confirmation/config.js';

/** One generated table: where it goes, and the reads (with sample environments) that declare its variables. */
export interface ConfigTable {
  readonly page: string;
  readonly id: string;
  /** Each runs a reader over a sample environment; together they reach every branch that reads a variable. */
  readonly samples: readonly (() => unknown)[];
  /** Keeps a variable in this table (default: all). */
  readonly include?: (name: string) => boolean;
}

const EMAIL_DOMAIN_NAMES: ReadonlySet<string> = new Set(Object.values(EMAIL_DOMAIN_VARIABLES));

// Adding a trigger's table is one entry here, and a marker pair in its page.
export const CONFIG_TABLES: readonly ConfigTable[] = [
  {
    page: 'docs/middleware.md',
    id: 'middleware',
    samples: [
      () => readDeadlineSettings({}),
      () => createUsernameHasher({}),
      () => readLogHashKeyReference({}),
    ],
  },
  {
    page: 'docs/pre-sign-up.md',
    id: 'email-domain',
    samples: [() => readPreSignUpConfig({ ALLOWED_EMAIL_DOMAINS: 'example.com' })],
    include: (name) => EMAIL_DOMAIN_NAMES.has(name),
  },
  {
    page: 'docs/pre-sign-up.md',
    id: 'pre-sign-up',
    samples: [() => readPreSignUpConfig({ ALLOWED_EMAIL_DOMAINS: 'example.com' })],
    include: (name) => !EMAIL_DOMAIN_NAMES.has(name),
  },
  {
    page: 'docs/user-migration.md',
    id: 'user-migration',
    samples: [
      () =>
        readUserMigrationConfig({
          LEGACY_STORE: 'postgres',
          LEGACY_DB_URL: 'postgres://user:pw@db.example.com:5432/app',
          LEGACY_USER_QUERY: 'SELECT password_hash FROM users WHERE username = $1',
        }),
      () => readUserMigrationConfig({ LEGACY_STORE: 'http', LEGACY_HTTP_URL: 'https://legacy.example.com' }),
    ],
  },
  {
    page: 'docs/pre-token-generation.md',
    id: 'pre-token-generation',
    samples: [() => readTenantClaimsConfig({ TENANT_TABLE_NAME: 'tenants' })],
  },
  {
    page: 'docs/custom-message.md',
    id: 'custom-message',
    samples: [
      () => readCustomMessageConfig({ APP_NAME: 'Acme', APP_URL: 'https://app.example.com' }, ['en']),
    ],
    include: (name) => !EMAIL_DOMAIN_NAMES.has(name),
  },
  {
    page: 'docs/post-confirmation.md',
    id: 'post-confirmation',
    samples: [() => readPostConfirmationConfig({ TENANT_TABLE_NAME: 'tenants' })],
  },
  {
    page: 'docs/custom-sender.md',
    id: 'custom-sender',
    samples: [
      () =>
        readCustomSenderConfig(
          {
            APP_NAME: 'Acme',
            APP_URL: 'https://app.example.com',
            EMAIL_FROM: 'no-reply@example.com',
            KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          },
          ['en'],
        ),
      () =>
        readCustomSenderConfig(
          {
            APP_NAME: 'Acme',
            APP_URL: 'https://app.example.com',
            EMAIL_FROM: 'no-reply@example.com',
            KEY_PROVIDER: 'raw-aes',
            RAW_AES_KEY_BASE64: Buffer.alloc(32).toString('base64'),
          },
          ['en'],
        ),
    ],
    // The CustomMessage and email-domain variables are documented on their own pages.
    include: (name) =>
      !EMAIL_DOMAIN_NAMES.has(name) && !['APP_NAME', 'APP_URL', 'DEFAULT_LOCALE'].includes(name),
  },
];

/** The variables of one table, in the order the readers declare them. */
export function variablesOf(table: ConfigTable): VariableDescription[] {
  const byName = new Map<string, VariableDescription>();
  for (const sample of table.samples) {
    for (const variable of describeVariablesRead(sample)) {
      if (!byName.has(variable.name) && (table.include?.(variable.name) ?? true))
        byName.set(variable.name, variable);
    }
  }
  return [...byName.values()];
}

function allowedOf(variable: VariableDescription): string {
  if (variable.allowed !== undefined) return variable.allowed.map((value) => `\`${value}\``).join(', ');
  if (variable.kind === 'boolean') return '`true`, `false`';
  if (variable.kind === 'list') return 'comma- or space-separated list';
  if (variable.kind === 'number') {
    const what = variable.integer ? 'whole number' : 'number';
    if (variable.min !== undefined && variable.max !== undefined)
      return `${what}, ${variable.min}–${variable.max}`;
    if (variable.min !== undefined) return `${what}, ≥ ${variable.min}`;
    return what;
  }
  return 'text';
}

/** The Markdown table of `variables`. */
export function renderTable(variables: readonly VariableDescription[]): string {
  const rows = variables.map((variable) => {
    const fallback = variable.required
      ? '(required)'
      : variable.default === undefined
        ? '–'
        : `\`${variable.default}\``;
    const doc = (variable.doc ?? '').replaceAll('|', '\\|');
    return `| \`${variable.name}\` | ${fallback} | ${allowedOf(variable)} | ${doc} |`;
  });
  return ['| variable | default | values | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

const markerPattern = (id: string): RegExp =>
  new RegExp(`(<!-- generated:config ${id} -->\\n)[\\s\\S]*?(\\n<!-- /generated:config -->)`);

/** `text` with the table `id` rewritten; throws when the page has no marker pair for it. */
export function replaceTable(text: string, table: ConfigTable): string {
  const pattern = markerPattern(table.id);
  if (!pattern.test(text))
    throw new Error(`${table.page} has no <!-- generated:config ${table.id} --> block`);
  return text.replace(
    pattern,
    (_match, start: string, end: string) => `${start}${renderTable(variablesOf(table))}${end}`,
  );
}

/** Every page with its tables regenerated: `{ page: [current, generated] }`. */
export function generatePages(root: string): Map<string, { current: string; generated: string }> {
  const pages = new Map<string, { current: string; generated: string }>();
  for (const table of CONFIG_TABLES) {
    const entry = pages.get(table.page) ?? {
      current: readFileSync(join(root, table.page), 'utf8'),
      generated: readFileSync(join(root, table.page), 'utf8'),
    };
    entry.generated = replaceTable(entry.generated, table);
    pages.set(table.page, entry);
  }
  return pages;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [page, { current, generated }] of generatePages(process.cwd())) {
    if (current === generated) continue;
    stale += 1;
    if (check) console.error(`${page}: configuration table is stale (run npm run generate:docs)`);
    else {
      writeFileSync(page, generated);
      console.log(`wrote ${page}`);
    }
  }
  process.exitCode = check && stale > 0 ? 1 : 0;
}
