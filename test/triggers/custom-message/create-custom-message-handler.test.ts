import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createCustomMessageHandler } from '../../../triggers/custom-message/create-custom-message-handler.js';
import { createTemplateCatalog } from '../../../triggers/custom-message/template-catalog.js';
import { EMBEDDED_TEMPLATES } from '../../../triggers/custom-message/embedded-templates.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs } from '../../support/logs.js';

const ENV = { APP_NAME: 'Acme', APP_URL: 'https://app.acme.test', DEFAULT_LOCALE: 'en' };
const DEADLINE = { cognitoBudgetMs: 2_000, marginMs: 200 };

describe('createCustomMessageHandler', () => {
  it('renders from a template catalog passed in code', async () => {
    // Prepare: the shipped catalog with one subject of our own
    const catalog = createTemplateCatalog({
      ...EMBEDDED_TEMPLATES,
      'en/sign-up.subject.txt': 'Welcome aboard {{appName}}',
    });
    const handler = createCustomMessageHandler({ env: ENV, catalog, deadlineSettings: DEADLINE });
    const logs = captureLogs();

    // Act
    const result = await handler(loadEvent('custom-message/sign-up.json'), fakeLambdaContext());
    logs.restore();

    // Assess
    expect(result.response.emailSubject).toBe('Welcome aboard Acme');
  });

  it('checks the locales of the catalog passed in, not the shipped ones', () => {
    const catalog = createTemplateCatalog({ 'de/sign-up.html': '<p>{{code}}</p>' });

    expect(() => createCustomMessageHandler({ env: ENV, catalog })).toThrow(
      'DEFAULT_LOCALE: must be one of the template locales (de), got "en"',
    );
  });

  it('refuses an email change to a domain a list source in code denies, with no variable set', async () => {
    const source = { load: async () => ({ denied: ['example.com'] }) };
    const handler = createCustomMessageHandler({
      env: ENV,
      emailDomainSources: [source],
      deadlineSettings: DEADLINE,
    });
    const event = loadEvent<CustomMessageTriggerEvent>('custom-message/update-user-attribute.json');
    event.request.userAttributes.email = 'ada@example.com';
    const logs = captureLogs();

    await expect(handler(event, fakeLambdaContext())).rejects.toThrow(/^\[EMAIL_DOMAIN_NOT_ALLOWED\] /);
    logs.restore();
  });
});
