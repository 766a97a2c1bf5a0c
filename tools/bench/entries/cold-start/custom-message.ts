// Hand-written CustomMessage: a subject and an HTML body from template literals, the user's values
// HTML-escaped, Cognito's code placeholder kept. No SDK client.
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { handWritten, logger } from './hand-written.js';

const appName = process.env.APP_NAME ?? '';
const appUrl = process.env.APP_URL ?? '';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const handler = handWritten(async (event: CustomMessageTriggerEvent) => {
  const name = escapeHtml(event.request.userAttributes.given_name ?? '');
  const code = event.request.codeParameter;
  event.response.emailSubject = `Your ${appName} verification code`;
  event.response.emailMessage = `<!doctype html><html><body><p>Hello ${name},</p><p>Your code is <b>${code}</b>.</p><p><a href="${escapeHtml(appUrl)}">${escapeHtml(appName)}</a></p></body></html>`;
  event.response.smsMessage = `${appName}: your code is ${code}`;
  logger.info('Message rendered', { triggerSource: event.triggerSource });
  return event;
});
