import type { KeyringNode } from '@aws-crypto/client-node';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { raceDeadline, type Deadline } from '../../shared/deadline.js';
import type { EmailDomainGuard } from '../../shared/email-domain/email-domain-guard.js';
import {
  toDomainPolicySource,
  type EmailDomainListSource,
} from '../../shared/email-domain/email-domain-list-source.js';
import type { EmailDomainSources } from '../../shared/email-domain/email-domain-sources.js';
import { getDefaultLogger } from '../../shared/observability.js';
import {
  createTriggerHandlerWithSettings,
  readTriggerConfigAndSettings,
  type TriggerHandler,
  type TriggerHandlerOptions,
} from '../../shared/trigger-handler.js';
import { CUSTOM_SENDER_SOURCES } from '../../shared/trigger-sources.js';
import { EMBEDDED_TEMPLATE_TOKENS } from '../custom-message/embedded-template-tokens.js';
import { EMBEDDED_TEMPLATES } from '../custom-message/embedded-templates.js';
import { createTemplateCatalog, type TemplateCatalog } from '../custom-message/template-catalog.js';
import { composeMessage, fillCode, type ComposedMessage } from './compose-message.js';
import { readCustomSenderConfig, type CustomSenderConfig } from './config.js';
import type { CodeDecrypter } from './decrypt/code-decrypter.js';
import {
  createEncryptionSdkDecrypter,
  createKmsKeyring,
  createRawAesKeyring,
} from './decrypt/encryption-sdk-decrypter.js';
import type { EmailSender, SmsSender } from './delivery/message-senders.js';
import { createSesEmailSender } from './delivery/ses-email-sender.js';
import { MalformedSenderEventError, MessageNotComposedError } from './errors.js';
import type { DeliverOnce, DeliveryKey, DeliveryReceipt } from './idempotency/deliver-once.js';

/** A custom email or SMS sender event as Cognito sends it (`request.type` is `customEmailSenderRequestV1` or `customSMSSenderRequestV1`). */
export interface CustomSenderTriggerEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName?: string;
  callerContext: { awsSdkVersion: string; clientId: string | null };
  request: {
    type: string;
    /** The code or temporary password, encrypted with the AWS Encryption SDK, base64; null for account takeover. */
    code: string | null;
    userAttributes: Record<string, string>;
    clientMetadata?: Record<string, string>;
  };
  response: Record<string, unknown>;
}

export interface CustomSenderHandlerOptions extends TriggerHandlerOptions {
  /** Templates of your own (default: the bundled CustomMessage templates, account takeover included). */
  readonly catalog?: TemplateCatalog;
  /**
   * Email-domain list sources of your own, checked on every email together with any the variables
   * configure; with one given the check runs even when no `*_EMAIL_DOMAINS` variable is set.
   */
  readonly emailDomainSources?: readonly EmailDomainListSource[];
  /** An Encryption SDK keyring of your own; when given, `KEY_PROVIDER` and its variables are not read. */
  readonly keyring?: KeyringNode;
  /** Replaces decryption altogether (tests, a decryption service of your own). */
  readonly decrypter?: CodeDecrypter;
  /** The email port (default: SES v2 `SendEmail` from `EMAIL_FROM`). */
  readonly email?: EmailSender;
  /** The SMS port (default: SNS `Publish`). */
  readonly sms?: SmsSender;
  /**
   * Once-only delivery: a Powertools persistence layer, or `false` for none. Default: the DynamoDB
   * layer on `IDEMPOTENCY_TABLE_NAME` when it is set, else none.
   */
  readonly idempotency?: BasePersistenceLayer | false;
}

/**
 * The custom email and SMS sender, fail-closed: every fault (a code that cannot be decrypted, SES or
 * SNS refusing, the deadline) throws, so Lambda's asynchronous retry applies; a retried invocation of
 * a delivered message sends nothing (Powertools Idempotency). Configuration is read once, here.
 *
 * @example
 * ```ts
 * export const handler = createCustomSenderHandler({ sms: mySmsProvider });
 * ```
 */
export function createCustomSenderHandler(
  options: CustomSenderHandlerOptions = {},
): TriggerHandler<CustomSenderTriggerEvent> {
  const env = options.env ?? process.env;
  // The shipped templates with mustache's parse stored ahead of time, as CustomMessage renders them.
  const catalog = options.catalog ?? createTemplateCatalog(EMBEDDED_TEMPLATES, EMBEDDED_TEMPLATE_TOKENS);
  const keyFromEnv = options.keyring === undefined && options.decrypter === undefined;
  // The shared settings are read once, with the config, and handed to the handler below.
  const { config, settings } = readTriggerConfigAndSettings<CustomSenderConfig>(
    () => readCustomSenderConfig(env, catalog.locales, { keyFromEnv }),
    env,
    options.deadlineSettings,
  );
  // Built once per container: the keyring, its KMS client and the SDK clients live as long as it does.
  const decrypter = options.decrypter ?? createEncryptionSdkDecrypter(options.keyring ?? keyringFor(config));
  const email =
    options.email ??
    createSesEmailSender({ from: config.emailFrom, configurationSet: config.sesConfigurationSet });
  // Loaded on first use, so a configuration that does not use them never pays their import: the SNS
  // client (email-only pools), Powertools Idempotency and DynamoDB (no table), the domain guard (no policy).
  const sms = lazily(
    async () => options.sms ?? (await import('./delivery/sns-sms-sender.js')).createSnsSmsSender(),
  );
  const deliverOnce = lazily(() => deliveryFor(options.idempotency, config));
  const listSources = (options.emailDomainSources ?? []).map(toDomainPolicySource);
  const sources = config.emailDomainSources;
  const emailGuard =
    sources !== undefined || listSources.length > 0
      ? lazily(async (): Promise<EmailDomainGuard> =>
          (await import('../../shared/email-domain/email-domain-guard.js')).createEmailDomainGuardFromSources(
            sources ?? NO_CONFIGURED_SOURCES,
            { logger: options.logger ?? getDefaultLogger(), listSources },
          ),
        )
      : undefined;

  return createTriggerHandlerWithSettings<CustomSenderTriggerEvent>(
    {
      name: 'custom-sender',
      failMode: 'closed',
      triggerSources: CUSTOM_SENDER_SOURCES,
      handle: async (event, { deadline, logger, lambdaContext, hashUsername }) => {
        const source = event.triggerSource;
        const userName = typeof event.userName === 'string' ? event.userName : '';
        // The handler's own hasher: the key read by reference (LOG_HASH_KEY_PARAMETER), as the correlation keys.
        const user = hashUsername(userName);
        const attributes = event.request?.userAttributes ?? {};
        const composed = composeMessage(
          { source, userName, userAttributes: attributes },
          catalog,
          config.message,
        );
        if (!composed.ok) throw new MessageNotComposedError(composed.reason, composed.detail);
        const message = composed.message;

        if (message.channel === 'email' && emailGuard) {
          const guard = await raceDeadline(emailGuard(), deadline.signal);
          const decision = await guard.check(message.to, deadline);
          if (!decision.allowed) {
            // A decision, not a fault: a retry would refuse again, so nothing is thrown.
            logger.warn('Message not sent: the email domain is not allowed', {
              user,
              source,
              rejectionCode: decision.code,
            });
            return event;
          }
        }

        const key = deliveryKey(event, source, userName, message);
        let delivered = false;
        const once = await raceDeadline(deliverOnce(), deadline.signal);
        const receipt = await once(key, lambdaContext, async () => {
          delivered = true;
          const smsSender = message.channel === 'sms' ? await sms() : undefined;
          return deliver(message, event.request.code, decrypter, { email, sms: smsSender }, deadline);
        });
        logger.info(delivered ? 'Message sent' : 'Message already sent; the retry sends nothing', {
          user,
          source,
          channel: receipt.channel,
          locale: message.locale,
        });
        return event;
      },
    },
    {
      env,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    },
    settings,
  );
}

// The plaintext exists from here to the end of the send, then its bytes are wiped.
async function deliver(
  message: ComposedMessage,
  ciphertext: string | null,
  decrypter: CodeDecrypter,
  senders: { readonly email: EmailSender; readonly sms: SmsSender | undefined },
  deadline: Deadline,
): Promise<DeliveryReceipt> {
  let plaintext: Uint8Array | undefined;
  try {
    let final = message;
    if (message.needsCode) {
      if (typeof ciphertext !== 'string' || ciphertext === '') {
        throw new MalformedSenderEventError('The event has no request.code');
      }
      plaintext = await decrypter.decrypt(ciphertext, deadline.signal);
      const filled = fillCode(message, Buffer.from(plaintext).toString('utf8'));
      if (!filled.ok) throw new MessageNotComposedError(filled.reason, filled.detail);
      final = filled.message;
    }
    const messageId =
      final.channel === 'email'
        ? await senders.email.send(
            { to: final.to, subject: final.subject, html: final.html, text: final.text },
            deadline.signal,
          )
        : await (senders.sms as SmsSender).send({ to: final.to, text: final.text }, deadline.signal);
    return { channel: final.channel, messageId };
  } finally {
    plaintext?.fill(0);
  }
}

function deliveryKey(
  event: CustomSenderTriggerEvent,
  source: string,
  userName: string,
  message: ComposedMessage,
): DeliveryKey {
  const eventId = event.request?.userAttributes?.EVENT_ID;
  const code = typeof event.request?.code === 'string' ? event.request.code : null;
  if (!message.needsCode && (typeof eventId !== 'string' || eventId === '')) {
    throw new MalformedSenderEventError('The account-takeover event has no EVENT_ID');
  }
  return { source, user: userName, code, eventId: typeof eventId === 'string' ? eventId : null };
}

function keyringFor(config: CustomSenderConfig): KeyringNode {
  const provider = config.keyProvider;
  if (provider === undefined) throw new MalformedSenderEventError('No key provider is configured');
  return provider.kind === 'kms' ? createKmsKeyring(provider.keyArn) : createRawAesKeyring(provider.key);
}

async function deliveryFor(
  choice: BasePersistenceLayer | false | undefined,
  config: CustomSenderConfig,
): Promise<DeliverOnce> {
  if (choice === false || (choice === undefined && config.idempotency === undefined)) {
    return (_key: DeliveryKey, _context: Context, work) => work();
  }
  const { createDynamoDbIdempotencyStore, createIdempotentDelivery } =
    await import('./idempotency/deliver-once.js');
  const persistenceStore =
    choice ?? (await createDynamoDbIdempotencyStore((config.idempotency as { tableName: string }).tableName));
  return createIdempotentDelivery({
    persistenceStore,
    expiresAfterSeconds: config.idempotency?.expiresAfterSeconds,
  });
}

/** `make()` once, on first call; a failed attempt is made again on the next call. */
function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

// The guard with list sources of the caller's only: an empty static policy that allows all, no SSM.
const NO_CONFIGURED_SOURCES: EmailDomainSources = Object.freeze({
  staticPolicy: Object.freeze({ allow: null, deny: Object.freeze([]) }),
  ssm: undefined,
  denyDisposable: false,
  configured: false,
});
