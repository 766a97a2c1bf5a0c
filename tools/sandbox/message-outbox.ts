import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEmailText } from '../../triggers/custom-message/email-text.js';

/** A message the CustomMessage trigger rendered, as the sandbox keeps it (`.sandbox/messages/*.json`). */
export interface CapturedMessage {
  readonly sequence: number;
  readonly triggerSource: string;
  /** The address Cognito would send it to (the user's `email` attribute). */
  readonly to: string | undefined;
  readonly locale: string | undefined;
  readonly emailSubject: string | undefined;
  /** HTML; Cognito replaces `{####}` with the code (and `{username}`) before sending. */
  readonly emailMessage: string | undefined;
  /** The plain-text part of the email, as a person would read it (`renderEmailText`). */
  readonly emailText: string | undefined;
  readonly smsMessage: string | undefined;
}

export interface MessageOutbox {
  readonly dir: string;
  /** Keeps one rendered message: `<n>-<triggerSource>.json`, and `.html` and `.txt` for the email body. */
  capture(event: unknown, answer: unknown): CapturedMessage | undefined;
  /** Every captured message, oldest first. */
  list(): CapturedMessage[];
}

/**
 * The sandbox's mail catcher: Cognito never sends from here, so what the CustomMessage trigger
 * rendered is written where a developer can open it (and where the demo and tests read it).
 */
export function createMessageOutbox(dir: string): MessageOutbox {
  mkdirSync(dir, { recursive: true });
  let sequence = readdirSync(dir).filter((name) => name.endsWith('.json')).length;
  return {
    dir,
    capture(event, answer) {
      const request =
        (event as { triggerSource?: string; request?: { userAttributes?: Record<string, string> } }) ?? {};
      const response = (answer as { response?: Record<string, string | undefined> } | null)?.response;
      if (!request.triggerSource?.startsWith('CustomMessage_') || response === undefined) return undefined;
      sequence += 1;
      const message: CapturedMessage = {
        sequence,
        triggerSource: request.triggerSource,
        to: request.request?.userAttributes?.email,
        locale: request.request?.userAttributes?.locale,
        emailSubject: response.emailSubject || undefined,
        emailMessage: response.emailMessage || undefined,
        emailText: response.emailMessage ? renderEmailText(response.emailMessage) : undefined,
        smsMessage: response.smsMessage || undefined,
      };
      const base = join(dir, `${String(sequence).padStart(4, '0')}-${request.triggerSource}`);
      writeFileSync(`${base}.json`, `${JSON.stringify(message, null, 2)}\n`);
      if (message.emailMessage) writeFileSync(`${base}.html`, message.emailMessage);
      if (message.emailText) writeFileSync(`${base}.txt`, `${message.emailText}\n`);
      return message;
    },
    list: () => readCapturedMessages(dir),
  };
}

/** The messages captured in `dir` (a running sandbox's `messagesDir`), oldest first. */
export function readCapturedMessages(dir: string): CapturedMessage[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as CapturedMessage);
}
