import { describe, expect, it } from 'vitest';
import type {
  TenantDirectory,
  TenantPrincipal,
} from '../../../triggers/pre-token-generation/directory/tenant-directory.js';
import {
  createPreTokenGenerationHandler,
  type PreTokenGenerationEvent,
} from '../../../triggers/pre-token-generation/create-pre-token-generation-handler.js';
import { addedClaims } from '../../integration/pre-token-generation/handler-setup.js';
import { loadEvent } from '../../support/events.js';
import { fakeLambdaContext } from '../../support/lambda.js';
import { captureLogs } from '../../support/logs.js';

const DEADLINE = { cognitoBudgetMs: 1_500, marginMs: 300 };
// The table variables are still read and checked against the short budget, though no client is built.
const UNUSED_TABLE_ENV = { TENANT_TABLE_NAME: 'unused', DYNAMODB_REQUEST_TIMEOUT_MS: '300' };

describe('createPreTokenGenerationHandler', () => {
  it('issues the claims a tenant directory passed in code answers, without a DynamoDB client', async () => {
    // Prepare
    const asked: TenantPrincipal[] = [];
    const directory: TenantDirectory = {
      async lookupMemberships(principal) {
        asked.push(principal);
        return {
          memberships: [
            {
              tenantId: 'globex',
              role: 'owner',
              isDefault: true,
              tenant: { tenantId: 'globex', status: 'active', plan: 'team' },
            },
          ],
        };
      },
    };
    const handler = createPreTokenGenerationHandler({
      env: UNUSED_TABLE_ENV,
      directory,
      deadlineSettings: DEADLINE,
    });
    const logs = captureLogs();

    // Act
    const result = await handler(
      loadEvent<PreTokenGenerationEvent>('pre-token-generation/v2-authentication.json'),
      fakeLambdaContext(),
    );
    logs.restore();

    // Assess
    expect(asked).toEqual([{ kind: 'user', sub: '7c0a4e5e-2b1f-4d8e-9a53-0f6b1c2d3e4f' }]);
    expect(addedClaims(result).id).toMatchObject({
      tenant_id: 'globex',
      tenant_role: 'owner',
      tenant_plan: 'team',
    });
  });

  it('fails closed inside the deadline when the directory passed in never answers', async () => {
    const directory: TenantDirectory = { lookupMemberships: () => new Promise(() => undefined) };
    const handler = createPreTokenGenerationHandler({
      env: UNUSED_TABLE_ENV,
      directory,
      deadlineSettings: DEADLINE,
    });
    const logs = captureLogs();
    const startedAt = Date.now();

    await expect(
      handler(loadEvent('pre-token-generation/v2-authentication.json'), fakeLambdaContext()),
    ).rejects.toThrow(/^\[TEMPORARY_FAILURE\] /);
    logs.restore();
    // Generous: the point is "answers inside Cognito's wait", not speed.
    expect(Date.now() - startedAt).toBeLessThan(DEADLINE.cognitoBudgetMs + 1_000);
  });
});
