import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REJECTION_MESSAGES,
  RejectionError,
  TriggerKitError,
  isRejection,
  type RejectionCode,
} from '../../shared/errors.js';

const CODES = Object.keys(REJECTION_MESSAGES) as RejectionCode[];

// What Cognito shows the user for a thrown message (AWS docs: "<Trigger> failed with error <message>.").
function shownByCognito(message: string): string {
  return `PreSignUp failed with error ${message}.`;
}

describe('rejection messages', () => {
  it.each([
    ['EMAIL_INVALID', '[EMAIL_INVALID] The email address is not valid'],
    [
      'EMAIL_DOMAIN_NOT_ALLOWED',
      '[EMAIL_DOMAIN_NOT_ALLOWED] Email addresses from this domain are not allowed',
    ],
    ['MIGRATION_FAILED', '[MIGRATION_FAILED] Incorrect username or password'],
    ['TENANT_SUSPENDED', '[TENANT_SUSPENDED] Your organisation’s account is suspended'],
    ['TENANT_REQUIRED', '[TENANT_REQUIRED] Your account is not a member of any organisation'],
    ['TEMPORARY_FAILURE', '[TEMPORARY_FAILURE] The service is temporarily unavailable, please try again'],
  ] as const)('gives %s the contract text, one sentence with no final period', (code, expected) => {
    const error = new RejectionError(code);

    expect(error.message).toBe(expected);
    expect(shownByCognito(error.message)).not.toMatch(/\.\.$/);
  });

  it('covers every code with one short sentence', () => {
    expect(CODES.sort()).toEqual(
      [
        'EMAIL_DOMAIN_NOT_ALLOWED',
        'EMAIL_INVALID',
        'MIGRATION_FAILED',
        'TEMPORARY_FAILURE',
        'TENANT_REQUIRED',
        'TENANT_SUSPENDED',
      ].sort(),
    );
    for (const sentence of Object.values(REJECTION_MESSAGES)) {
      expect(sentence).not.toMatch(/[.!?]\s/);
      expect(sentence).not.toMatch(/[\s.]$/);
    }
  });

  it('drops the final periods of a message a caller gives, so Cognito shows exactly one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CODES),
        fc.stringMatching(/^[A-Za-z][A-Za-z ,’]{0,40}[A-Za-z]$/),
        fc.stringMatching(/^[. ]{0,4}$/),
        (code, sentence, ending) => {
          const error = new RejectionError(code, { message: `${sentence}${ending}` });

          expect(error.message).toBe(`[${code}] ${sentence}`);
          expect(shownByCognito(error.message)).toMatch(/[A-Za-z]\.$/);
          expect(isRejection(error)).toBe(true);
        },
      ),
    );
  });

  it('is a TriggerKitError that keeps its cause', () => {
    const cause = new Error('socket hang up');
    const error = new RejectionError('TEMPORARY_FAILURE', { cause });

    expect(error).toBeInstanceOf(TriggerKitError);
    expect(error.name).toBe('RejectionError');
    expect(error.cause).toBe(cause);
  });
});
