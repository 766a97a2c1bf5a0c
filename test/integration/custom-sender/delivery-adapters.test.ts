import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSes } from '../../../tools/lib/local-ses.js';
import { startLocalSnsServer, type LocalSnsServer } from '../../../tools/lib/local-sns-server.js';
import { createSesEmailSender } from '../../../triggers/custom-sender/delivery/ses-email-sender.js';
import { createSnsSmsSender } from '../../../triggers/custom-sender/delivery/sns-sms-sender.js';
import { DeliveryError } from '../../../triggers/custom-sender/errors.js';
import { startHungServer } from './sender-setup.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const open = (): AbortSignal => new AbortController().signal;

let ses: Awaited<ReturnType<typeof startLocalSes>>;
let sns: LocalSnsServer;
beforeAll(async () => {
  [ses, sns] = await Promise.all([startLocalSes(), startLocalSnsServer()]);
});
afterAll(async () => {
  await Promise.all([ses?.stop(), sns?.close()]);
});

const sesClient = (endpoint: string): SESv2Client =>
  new SESv2Client({ endpoint, region: 'eu-west-1', credentials, maxAttempts: 1 });
const snsClient = (endpoint: string): SNSClient =>
  new SNSClient({ endpoint, region: 'eu-west-1', credentials, maxAttempts: 1 });

describe('createSesEmailSender (real SESv2 client, aws-ses-v2-local)', () => {
  it('sends one email with the HTML and the text part, from EMAIL_FROM', async () => {
    // Prepare
    const sender = createSesEmailSender({
      from: 'Acme <no-reply@acme.test>',
      configurationSet: 'auth-messages',
      client: sesClient(ses.endpoint),
    });
    const before = (await ses.emails()).length;

    // Act
    const messageId = await sender.send(
      { to: 'grace@example.com', subject: 'Ünïcode ✓', html: '<p>1 &amp; 2</p>', text: '1 & 2' },
      open(),
    );

    // Assess
    const sent = (await ses.emails()).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      messageId,
      from: 'Acme <no-reply@acme.test>',
      destination: { to: ['grace@example.com'] },
      subject: 'Ünïcode ✓',
      body: { html: '<p>1 &amp; 2</p>', text: '1 & 2' },
    });
  });

  it('fails with a DeliveryError that names the SES error, not the addresses SES quotes', async () => {
    // Prepare: SES's own answer for an unverified identity (REST-JSON error, as the SES v2 API sends it)
    const rejecting = createServer((_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' });
      response.end(
        JSON.stringify({
          message:
            'Email address is not verified. The following identities failed the check in region EU-WEST-1: no-reply@acme.test, grace@example.com',
        }),
      );
    });
    await new Promise<void>((resolve) => rejecting.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(rejecting.address() as AddressInfo).port}`;
    const sender = createSesEmailSender({ from: 'no-reply@acme.test', client: sesClient(endpoint) });

    try {
      // Act
      const outcome = sender.send(
        { to: 'grace@example.com', subject: 's', html: '<p>h</p>', text: 't' },
        open(),
      );

      // Assess
      const error = await outcome.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).errorName).toBe('MessageRejected');
      expect((error as DeliveryError).httpStatusCode).toBe(400);
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
        'grace@',
      );
      expect((error as Error).cause).toBeUndefined();
    } finally {
      rejecting.closeAllConnections();
      rejecting.close();
    }
  });

  it('gives up when the signal aborts on a hung SES', async () => {
    // Prepare
    const hung = await startHungServer();
    const sender = createSesEmailSender({ from: 'no-reply@acme.test', client: sesClient(hung.endpoint) });
    const signal = AbortSignal.timeout(300);

    try {
      // Act
      const outcome = sender.send(
        { to: 'grace@example.com', subject: 's', html: '<p>h</p>', text: 't' },
        signal,
      );

      // Assess
      await expect(outcome).rejects.toThrow();
      expect(signal.aborted).toBe(true);
    } finally {
      await hung.close();
    }
  });
});

describe('createSnsSmsSender (real SNS client, local SNS Publish server)', () => {
  it('publishes one transactional SMS to the phone number', async () => {
    // Prepare
    const sender = createSnsSmsSender({ client: snsClient(sns.endpoint) });
    const before = sns.published.length;

    // Act
    const messageId = await sender.send({ to: '+14155550123', text: 'Acme: your code is 123456' }, open());

    // Assess
    expect(sns.published.slice(before)).toEqual([
      {
        messageId,
        phoneNumber: '+14155550123',
        message: 'Acme: your code is 123456',
        smsType: 'Transactional',
      },
    ]);
  });

  it('fails with a DeliveryError naming the SNS error', async () => {
    // Prepare
    const sender = createSnsSmsSender({ client: snsClient(sns.endpoint) });
    sns.mode = 'fail';

    try {
      // Act
      const outcome = sender.send({ to: '+14155550123', text: 'Acme: your code is 123456' }, open());

      // Assess
      await expect(outcome).rejects.toThrow(/^The SNS Publish call failed: Throttled/);
    } finally {
      sns.mode = 'ok';
    }
  });

  it('gives up when the signal aborts on a hung SNS', async () => {
    // Prepare
    const sender = createSnsSmsSender({ client: snsClient(sns.endpoint) });
    sns.mode = 'hang';
    const signal = AbortSignal.timeout(300);

    try {
      // Act
      const outcome = sender.send({ to: '+14155550123', text: 'Acme: your code is 123456' }, signal);

      // Assess
      await expect(outcome).rejects.toThrow();
      expect(signal.aborted).toBe(true);
    } finally {
      sns.mode = 'ok';
    }
  });
});
