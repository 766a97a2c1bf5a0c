import type * as ClientCognitoIdentityProvider from '@aws-sdk/client-cognito-identity-provider';
import type * as ClientSns from '@aws-sdk/client-sns';
import type * as Idempotency from '@aws-lambda-powertools/idempotency';
import type * as IdempotencyDynamoDb from '@aws-lambda-powertools/idempotency/dynamodb';
import { requireBuiltin } from '../builtins.js';
import { loadOnce } from '../load-once.js';
import { EmbeddedModuleError } from './errors.js';
import { evaluateEmbeddedModule, type EmbeddedModule } from './evaluate-embedded-module.js';

/*
 * Packages embedded without the SDK stack they run on (HOSTED_PACKAGES in tools/generate-embedded-modules.ts):
 * the generated code is a factory taking a `require` that this module answers with the bundle's own
 * modules. Each loader, and the host modules it imports, is loaded on first call only; each is marked
 * pure, so a bundle that never refers to it does not carry its string.
 */

type HostedFactory<T> = (require: (specifier: string) => unknown) => T;

function evaluateHosted<T>(embedded: EmbeddedModule, host: Readonly<Record<string, unknown>>): T {
  const factory = evaluateEmbeddedModule<HostedFactory<T>>(embedded);
  return factory((specifier) => {
    if (Object.hasOwn(host, specifier)) return host[specifier];
    if (specifier.startsWith('node:')) return requireBuiltin(specifier as `node:${string}`);
    throw new EmbeddedModuleError(`${embedded.name} requires ${specifier}, which its host does not give`);
  });
}

/** `@aws-sdk/client-cognito-identity-provider`'s client and `AdminAddUserToGroupCommand`, for POST_CONFIRMATION_GROUPS. */
export const loadCognitoIdentityProviderModule = /* @__PURE__ */ loadOnce(async () =>
  evaluateHosted<
    Pick<typeof ClientCognitoIdentityProvider, 'CognitoIdentityProviderClient' | 'AdminAddUserToGroupCommand'>
  >(
    (await import('./client-cognito-identity-provider.generated.js')).EMBEDDED_MODULE,
    (await import('./aws-sdk-host-modules.js')).AWS_SDK_HOST_MODULES,
  ),
);

/** `@aws-sdk/client-sns`'s client and `PublishCommand`, for the custom sender's SMS. */
export const loadSnsModule = /* @__PURE__ */ loadOnce(async () =>
  evaluateHosted<Pick<typeof ClientSns, 'SNSClient' | 'PublishCommand'>>(
    (await import('./client-sns.generated.js')).EMBEDDED_MODULE,
    (await import('./aws-sdk-host-modules.js')).AWS_SDK_HOST_MODULES,
  ),
);

/** Powertools Idempotency with its DynamoDB persistence layer, for the custom sender's IDEMPOTENCY_TABLE_NAME. */
export const loadIdempotencyModule = /* @__PURE__ */ loadOnce(async () =>
  evaluateHosted<
    Pick<typeof Idempotency, 'IdempotencyConfig' | 'makeIdempotent'> &
      Pick<typeof IdempotencyDynamoDb, 'DynamoDBPersistenceLayer'>
  >(
    (await import('./idempotency.generated.js')).EMBEDDED_MODULE,
    (await import('./idempotency-host-modules.js')).IDEMPOTENCY_HOST_MODULES,
  ),
);
