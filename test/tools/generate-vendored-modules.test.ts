import { readFileSync } from 'node:fs';
import { GetItemCommand as PackageGetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '../../shared/dynamodb.js';
import {
  VENDORED_PACKAGES,
  bundleVendoredPackage,
  installedVersion,
  type VendoredName,
} from '../../tools/generate-embedded-modules.js';

const NAMES = Object.keys(VENDORED_PACKAGES) as VendoredName[];

describe('the vendored packages (npm run generate:embedded)', () => {
  it.each(NAMES)(
    '%s is the pinned version, generated exactly as the generator generates it today',
    async (name) => {
      // Act
      const source = await bundleVendoredPackage(name);
      // Assess: a dependency bump without `npm run generate:embedded` fails here.
      expect(readFileSync(`shared/vendor/${name}.generated.ts`, 'utf8')).toBe(source);
      expect(source).toContain(
        `${VENDORED_PACKAGES[name].specifier} ${installedVersion(VENDORED_PACKAGES[name].specifier)}`,
      );
    },
  );

  it.each(NAMES)(
    '%s imports only packages the toolkit depends on itself (a strict installer finds them)',
    (name) => {
      // Prepare
      const source = readFileSync(`shared/vendor/${name}.generated.ts`, 'utf8');
      const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8')) as {
        dependencies: Record<string, string>;
      };
      // Act
      const imported = new Set(
        [...source.matchAll(/\bfrom "([^"]+)"/g)].map(([, specifier]) =>
          specifier!
            .split('/')
            .slice(0, specifier!.startsWith('@') ? 2 : 1)
            .join('/'),
        ),
      );
      // Assess
      expect(imported.size).toBeGreaterThan(0);
      expect([...imported].filter((pkg) => !(pkg in dependencies))).toEqual([]);
    },
  );

  it('gives the DynamoDB commands the package defines: same input, same command name in the middleware stack', () => {
    // Act
    const vendored = new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } });
    const original = new PackageGetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } });
    // Assess: another copy of the class, the same command.
    expect(GetItemCommand).not.toBe(PackageGetItemCommand);
    expect(vendored.input).toEqual(original.input);
    expect(vendored.constructor.name).toBe(original.constructor.name);
    expect(
      [DynamoDBClient, QueryCommand, BatchGetItemCommand, PutItemCommand].map((value) => typeof value),
    ).toEqual(['function', 'function', 'function', 'function']);
  });
});
