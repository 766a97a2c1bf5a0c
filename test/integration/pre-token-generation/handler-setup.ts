import { vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { createToolkitLogger } from '../../../shared/observability.js';
import {
  createPreTokenGenerationHandler,
  type PreTokenGenerationEvent,
} from '../../../triggers/pre-token-generation/create-pre-token-generation-handler.js';
import { LOCAL_AWS_CREDENTIALS } from '../../support/dynalite.js';

export type Handler = (event: PreTokenGenerationEvent, context: Context) => Promise<PreTokenGenerationEvent>;

/**
 * The real handler with `env` set, as a cold start builds it: the configuration, the SDK client, the
 * cache and the Logger are built anew by the factory.
 */
export async function coldStartHandler(endpoint: string, env: Record<string, string> = {}): Promise<Handler> {
  vi.unstubAllEnvs();
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  vi.stubEnv('TENANT_TABLE_NAME', 'tenants');
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  // The SDK client reads its endpoint and credentials from process.env, stubbed above.
  return createPreTokenGenerationHandler({ logger: createToolkitLogger() });
}

/** What a V1 or V2/V3 response adds to the tokens, read the way Cognito reads it. */
export function addedClaims(event: PreTokenGenerationEvent): {
  id: Record<string, unknown> | undefined;
  access: Record<string, unknown> | undefined;
  groups: unknown;
} {
  const response = event.response as unknown as Record<
    string,
    Record<string, Record<string, unknown> | undefined> | undefined
  >;
  const v1 = response.claimsOverrideDetails;
  if (v1 !== undefined) {
    return {
      id: v1.claimsToAddOrOverride as Record<string, unknown> | undefined,
      access: undefined,
      groups: v1.groupOverrideDetails,
    };
  }
  const v2 = response.claimsAndScopeOverrideDetails ?? {};
  return {
    id: (v2.idTokenGeneration as { claimsToAddOrOverride?: Record<string, unknown> } | undefined)
      ?.claimsToAddOrOverride,
    access: (v2.accessTokenGeneration as { claimsToAddOrOverride?: Record<string, unknown> } | undefined)
      ?.claimsToAddOrOverride,
    groups: v2.groupOverrideDetails,
  };
}
