import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMAIL_DOMAIN_VARIABLES } from '../../shared/email-domain/email-domain-sources.js';
import { CONFIG_TABLES, generatePages, renderTable, variablesOf } from '../../tools/generate-docs.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every variable name the runtime code hands to an EnvReader as a literal (or through EMAIL_DOMAIN_VARIABLES). */
function variablesNamedInSource(): Set<string> {
  const names = new Set<string>(Object.values(EMAIL_DOMAIN_VARIABLES));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(/\.(?:string|number|boolean|oneOf|list)\(\s*'([A-Z][A-Z0-9_]+)'/g))
          names.add(match[1]!);
      }
    }
  };
  walk(join(ROOT, 'shared'));
  walk(join(ROOT, 'triggers'));
  return names;
}

describe('npm run generate:docs', () => {
  it('has left every configuration table in docs/ as the readers declare it (run it when this fails)', () => {
    const stale = [...generatePages(ROOT)].filter(([, { current, generated }]) => current !== generated);

    expect(stale.map(([page]) => page)).toEqual([]);
  });

  it('documents every variable a reader reads, each with a meaning', () => {
    const documented = CONFIG_TABLES.flatMap((table) => variablesOf(table));
    const undocumented = documented.filter((variable) => (variable.doc ?? '').trim() === '');

    expect(undocumented.map((variable) => variable.name)).toEqual([]);
    const inTables = new Set(documented.map((variable) => variable.name));
    const missing = [...variablesNamedInSource()].filter((name) => !inTables.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it('finds the variables it checks in the source', () => {
    const named = variablesNamedInSource();

    expect(named).toContain('TENANT_TABLE_NAME');
    expect(named).toContain('LEGACY_HTTP_TOKEN_SECRET_ARN');
    expect(named).toContain('ALLOWED_EMAIL_DOMAINS_FILE');
  });

  it('renders the default, the allowed values and the meaning of a variable', () => {
    const table = renderTable([
      {
        name: 'ON_X',
        kind: 'oneOf',
        required: false,
        default: 'deny',
        allowed: ['deny', 'omit'],
        doc: 'a | b',
      },
      { name: 'N', kind: 'number', required: true, min: 1, max: 9, integer: true, doc: 'n' },
    ]);

    expect(table.split('\n')).toEqual([
      '| variable | default | values | meaning |',
      '|---|---|---|---|',
      '| `ON_X` | `deny` | `deny`, `omit` | a \\| b |',
      '| `N` | (required) | whole number, 1–9 | n |',
    ]);
  });

  it('lists the table of every trigger page that has a reader', () => {
    expect(CONFIG_TABLES.map((table) => relative('docs', table.page))).toEqual(
      expect.arrayContaining([
        'pre-sign-up.md',
        'user-migration.md',
        'pre-token-generation.md',
        'custom-message.md',
        'custom-sender.md',
      ]),
    );
  });
});
