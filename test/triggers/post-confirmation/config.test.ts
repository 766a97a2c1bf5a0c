import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { readPostConfirmationConfig } from '../../../triggers/post-confirmation/config.js';

describe('readPostConfirmationConfig', () => {
  it('reads the table, the groups in order without repeats, and the client defaults', () => {
    expect(
      readPostConfirmationConfig({
        TENANT_TABLE_NAME: 'tenants',
        POST_CONFIRMATION_GROUPS: 'customers, newsletter,customers',
      }),
    ).toEqual({
      tableName: 'tenants',
      groups: ['customers', 'newsletter'],
      clients: { requestTimeoutMs: 1_000, connectionTimeoutMs: 500, maxAttempts: 3 },
    });
  });

  it('names every bad variable at once', () => {
    // Act
    let error: unknown;
    try {
      readPostConfirmationConfig({
        POST_CONFIRMATION_GROUPS: 'customers',
        DYNAMODB_REQUEST_TIMEOUT_MS: '2000',
        DYNAMODB_MAX_ATTEMPTS: '3',
      });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'TENANT_TABLE_NAME: is required',
      'DYNAMODB_MAX_ATTEMPTS: × DYNAMODB_REQUEST_TIMEOUT_MS must fit the 4200 ms budget (COGNITO_BUDGET_MS - DEADLINE_MARGIN_MS), got 3 × 2000 ms',
    ]);
  });

  it.each([
    ['a control character', 'bad\u0007name'],
    ['a name over 128 characters', 'g'.repeat(129)],
  ])('refuses a group with %s', (_case, group) => {
    expect(() =>
      readPostConfirmationConfig({ TENANT_TABLE_NAME: 't', POST_CONFIRMATION_GROUPS: group }),
    ).toThrow(/POST_CONFIRMATION_GROUPS: ".*" is not a Cognito group name/);
  });

  it('does not require the table when a store is injected', () => {
    expect(readPostConfirmationConfig({}, { tableFromEnv: false }).tableName).toBeUndefined();
  });
});
