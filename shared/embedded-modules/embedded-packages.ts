import type * as ClientSsm from '@aws-sdk/client-ssm';
import type * as ClientSecretsManager from '@aws-sdk/client-secrets-manager';
import type * as Pg from 'pg';
import type * as Mysql2Promise from 'mysql2/promise';
import type * as HashWasm from 'hash-wasm';
import { loadOnce } from '../load-once.js';
import { evaluateEmbeddedModule } from './evaluate-embedded-module.js';

/*
 * The SDK clients and drivers a configuration may not use, each loaded on first call, from its
 * embedded copy (see evaluateEmbeddedModule). The generated module is itself imported lazily, so a
 * function that never calls a loader neither evaluates nor parses the package: it only skips a comment.
 * Each loader is marked pure, so a bundle that never refers to it does not carry its comment at all.
 */

/** The SSM and Secrets Manager clients with the one command of each the toolkit sends, embedded together. */
type AwsConfigClients = Pick<typeof ClientSsm, 'SSMClient' | 'GetParameterCommand'> &
  Pick<typeof ClientSecretsManager, 'SecretsManagerClient' | 'GetSecretValueCommand'>;

const loadAwsConfigClients = /* @__PURE__ */ loadOnce(async () =>
  evaluateEmbeddedModule<AwsConfigClients>(
    (await import('./aws-config-clients.generated.js')).EMBEDDED_MODULE,
  ),
);

/** `@aws-sdk/client-ssm`'s client and `GetParameterCommand` (all the toolkit sends), for lists and keys kept in Parameter Store. */
export const loadSsmModule = async (): Promise<Pick<typeof ClientSsm, 'SSMClient' | 'GetParameterCommand'>> =>
  loadAwsConfigClients();

/** `@aws-sdk/client-secrets-manager`'s client and `GetSecretValueCommand`, for an RDS secret or a token secret. */
export const loadSecretsManagerModule = async (): Promise<
  Pick<typeof ClientSecretsManager, 'SecretsManagerClient' | 'GetSecretValueCommand'>
> => loadAwsConfigClients();

/** `pg`, for `LEGACY_STORE=postgres`. */
export const loadPgModule = /* @__PURE__ */ loadOnce(async () =>
  evaluateEmbeddedModule<typeof Pg>((await import('./pg.generated.js')).EMBEDDED_MODULE),
);

/** `mysql2/promise`, for `LEGACY_STORE=mysql`. */
export const loadMysqlModule = /* @__PURE__ */ loadOnce(async () =>
  evaluateEmbeddedModule<typeof Mysql2Promise>(
    (await import('./mysql2-promise.generated.js')).EMBEDDED_MODULE,
  ),
);

/** hash-wasm's `bcrypt` (WebAssembly), for bcrypt hashes and the schemes built on bcrypt. */
export const loadBcryptModule = /* @__PURE__ */ loadOnce(async () =>
  evaluateEmbeddedModule<Pick<typeof HashWasm, 'bcrypt'>>(
    (await import('./hash-wasm-bcrypt.generated.js')).EMBEDDED_MODULE,
  ),
);
