import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { readPreSignUpConfig } from '../../../triggers/pre-sign-up/config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readPreSignUpConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('readPreSignUpConfig', () => {
  it('reads the defaults: nothing exempt, no auto-confirm, federated users without email refused', () => {
    // Act
    const config = readPreSignUpConfig({ ALLOWED_EMAIL_DOMAINS: 'example.com' });
    // Assess
    expect([...config.exemptTriggerSources]).toEqual([]);
    expect(config.autoConfirmFederatedUsers).toBe(false);
    expect(config.federatedWithoutEmail).toBe('deny');
  });

  it('reads the options', () => {
    // Act
    const config = readPreSignUpConfig({
      DENIED_EMAIL_DOMAINS: 'evil.test',
      EXEMPT_TRIGGER_SOURCES: 'PreSignUp_AdminCreateUser',
      AUTO_CONFIRM_FEDERATED_USERS: 'true',
      FEDERATED_WITHOUT_EMAIL: 'allow',
    });
    // Assess
    expect([...config.exemptTriggerSources]).toEqual(['PreSignUp_AdminCreateUser']);
    expect(config.autoConfirmFederatedUsers).toBe(true);
    expect(config.federatedWithoutEmail).toBe('allow');
  });

  it.each([
    ['ALLOWED_EMAIL_DOMAINS_FILE', { ALLOWED_EMAIL_DOMAINS_FILE: '/nonexistent/allowed.txt' }],
    ['DENIED_EMAIL_DOMAINS_SSM_PARAMETER', { DENIED_EMAIL_DOMAINS_SSM_PARAMETER: '/kit/denied' }],
    ['DENY_DISPOSABLE_EMAIL_DOMAINS', { DENY_DISPOSABLE_EMAIL_DOMAINS: 'true' }],
  ])('counts %s as a configured list', (_name, env) => {
    // Act
    const problems = problemsOf(env).filter((problem) => problem.includes('at least one'));
    // Assess
    expect(problems).toEqual([]);
  });

  it('fails once, naming every bad variable, including a missing list', () => {
    // Act
    const problems = problemsOf({
      EXEMPT_TRIGGER_SOURCES: 'PreSignUp_AdminCreateUser, PreSignUp_Admin',
      AUTO_CONFIRM_FEDERATED_USERS: 'sure',
      FEDERATED_WITHOUT_EMAIL: 'maybe',
    });
    // Assess
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^EXEMPT_TRIGGER_SOURCES: .*"PreSignUp_Admin"/m);
    expect(problems.join('\n')).toMatch(/^AUTO_CONFIRM_FEDERATED_USERS: /m);
    expect(problems.join('\n')).toMatch(/^FEDERATED_WITHOUT_EMAIL: /m);
    expect(problems.join('\n')).toMatch(
      /^ALLOWED_EMAIL_DOMAINS: at least one of ALLOWED_EMAIL_DOMAINS or DENIED_EMAIL_DOMAINS/m,
    );
  });
});
