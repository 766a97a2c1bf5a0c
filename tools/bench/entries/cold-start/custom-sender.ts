// Hand-written custom sender: the AWS Encryption SDK (raw AES keyring, as the bench's fixture is
// encrypted) and the SES v2 client, made at module scope, doing the same I/O as the trigger: decrypt the
// code, one SendEmail. No templates beyond a literal, no idempotency, no deadline.
import {
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { handWritten, logger } from './hand-written.js';

const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
const keyring = new RawAesKeyringNode({
  keyNamespace: 'cognito-trigger-kit',
  keyName: 'local',
  unencryptedMasterKey: new Uint8Array(Buffer.from(process.env.RAW_AES_KEY_BASE64 ?? '', 'base64')),
  wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
});
const ses = new SESv2Client({});

export const handler = handWritten(
  async (event: {
    request: { code: string; userAttributes: Record<string, string> };
    response: Record<string, unknown>;
  }) => {
    const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
    const code = plaintext.toString('utf8');
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: process.env.EMAIL_FROM,
        Destination: { ToAddresses: [event.request.userAttributes.email ?? ''] },
        Content: {
          Simple: {
            Subject: { Data: 'Confirm your account' },
            Body: { Html: { Data: `<p>Your code is ${code}</p>` }, Text: { Data: `Your code is ${code}` } },
          },
        },
      }),
    );
    logger.info('Code sent', { triggerSource: 'CustomEmailSender' });
    return event;
  },
);
