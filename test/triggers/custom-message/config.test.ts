import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { readCustomMessageConfig } from '../../../triggers/custom-message/config.js';

const LOCALES = ['en', 'fr'];

describe('readCustomMessageConfig', () => {
  it('reads a valid configuration into a frozen object', () => {
    // Act
    const config = readCustomMessageConfig(
      { APP_NAME: 'Acme', APP_URL: 'https://app.acme.test/', DEFAULT_LOCALE: 'fr' },
      LOCALES,
    );

    // Assess
    expect(config.message).toEqual({ appName: 'Acme', appUrl: 'https://app.acme.test', defaultLocale: 'fr' });
    expect(config.emailDomainSources).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.message)).toBe(true);
  });

  it('defaults DEFAULT_LOCALE to en and keeps a base path', () => {
    // Act
    const config = readCustomMessageConfig({ APP_NAME: 'Acme', APP_URL: 'https://acme.test/app//' }, LOCALES);

    // Assess
    expect(config.message).toMatchObject({ appUrl: 'https://acme.test/app', defaultLocale: 'en' });
  });

  it('names every bad variable in one error', () => {
    // Act
    const read = (): unknown =>
      readCustomMessageConfig({ APP_URL: 'javascript:alert(1)', DEFAULT_LOCALE: 'de' }, LOCALES);

    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      'Invalid configuration: APP_NAME: is required; ' +
        'APP_URL: must be an absolute http(s) URL without query, fragment or credentials; ' +
        'DEFAULT_LOCALE: must be one of the template locales (en, fr), got "de"',
    );
  });

  it.each([
    { label: 'a query', url: 'https://acme.test/?x=1' },
    { label: 'a fragment', url: 'https://acme.test/#x' },
    { label: 'credentials', url: 'https://user:pw@acme.test' },
    { label: 'no scheme', url: 'acme.test' },
  ])('refuses an APP_URL with $label', ({ url }) => {
    // Act
    const read = (): unknown => readCustomMessageConfig({ APP_NAME: 'Acme', APP_URL: url }, LOCALES);

    // Assess
    expect(read).toThrow(/APP_URL: must be an absolute http\(s\) URL/);
  });

  it.each([
    { label: 'a line break', name: 'Acme\r\nBcc: x@evil.test', problem: 'must hold only letters' },
    { label: 'a zero-width space', name: 'Ac\u200Bme', problem: 'must hold only letters' },
    { label: 'more than 48 characters', name: 'A'.repeat(49), problem: 'must be at most 48 characters' },
  ])('refuses an APP_NAME with $label', ({ name, problem }) => {
    // Act
    const read = (): unknown =>
      readCustomMessageConfig({ APP_NAME: name, APP_URL: 'https://acme.test' }, LOCALES);

    // Assess
    expect(read).toThrow(`APP_NAME: ${problem}`);
  });

  it('reads the email-domain policy when one is configured, in the same error', () => {
    // Act
    const withPolicy = readCustomMessageConfig(
      { APP_NAME: 'Acme', APP_URL: 'https://acme.test', ALLOWED_EMAIL_DOMAINS: 'example.com' },
      LOCALES,
    );
    const read = (): unknown =>
      readCustomMessageConfig(
        { APP_URL: 'https://acme.test', ALLOWED_EMAIL_DOMAINS: 'not a domain!' },
        LOCALES,
      );

    // Assess
    expect(withPolicy.emailDomainSources).toBeDefined();
    expect(read).toThrow(/APP_NAME: is required; ALLOWED_EMAIL_DOMAINS/);
  });
});
