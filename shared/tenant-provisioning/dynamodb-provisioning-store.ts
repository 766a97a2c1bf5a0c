import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { abortReason, raceDeadline } from '../deadline.js';
import { GetItemCommand, PutItemCommand } from '../dynamodb.js';
import { DEFAULT_PROVISIONED_ROLE, type DomainRule, type MembershipGrant } from './decide-provisioning.js';
import { InvalidDomainRuleError, TenantProvisioningError } from './errors.js';
import type { GrantResult, TenantProvisioningStore } from './provisioning-store.js';
import { unicodePattern } from '../unicode-pattern.js';

type Item = Record<string, AttributeValue>;

const RULE_SORT_KEY = 'TENANT';
// A tenant id or role becomes part of a key or a claim: printable, no separator, no whitespace.
const SAFE_VALUE = unicodePattern(
  String.raw`^[^\s#\p{Cc}\p{Cf}]{1,128}$`,
  'u',
  // eslint-disable-next-line no-control-regex -- control characters are what this class is about
  /^[^\s#\x00-\x1f\x7f]{1,128}$/,
);

export interface DynamoDbProvisioningStoreConfig {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Recorded on each membership it writes (`provisionedBy`), e.g. `post-confirmation`. */
  readonly writer: string;
  /** ISO clock for `provisionedAt`; injectable for tests. */
  readonly now?: () => Date;
}

/**
 * A {@link TenantProvisioningStore} on the contract's table: one GetItem for the rule, one PutItem with
 * `attribute_not_exists(pk)` for the membership. A retried PutItem whose first attempt was written (a
 * lost response, a Cognito retry) fails its condition and is reported as `exists`: one write per user.
 *
 * @example
 * ```ts
 * const store = createDynamoDbProvisioningStore({ client, tableName: 'tenants', writer: 'post-confirmation' });
 * await store.grantMembershipIfAbsent({ sub, tenantId: 'acme', role: 'member' }, signal); // 'created'
 * ```
 */
export function createDynamoDbProvisioningStore(
  config: DynamoDbProvisioningStoreConfig,
): TenantProvisioningStore {
  const { client, tableName, writer } = config;
  const now = config.now ?? (() => new Date());
  return {
    async readDomainRule(domain, signal) {
      let output;
      try {
        output = await raceDeadline(
          client.send(
            new GetItemCommand({
              TableName: tableName,
              Key: { pk: { S: `DOMAIN#${domain}` }, sk: { S: RULE_SORT_KEY } },
              ExpressionAttributeNames: { '#role': 'role' },
              ProjectionExpression: 'tenantId, #role',
            }),
            { abortSignal: signal },
          ),
          signal,
        );
      } catch (error) {
        throw wrap('GetItem of the domain rule failed', error, signal);
      }
      return output.Item === undefined ? undefined : toDomainRule(domain, output.Item);
    },

    async grantMembershipIfAbsent(grant: MembershipGrant, signal): Promise<GrantResult> {
      try {
        await raceDeadline(
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                pk: { S: `USER#${grant.sub}` },
                sk: { S: `TENANT#${grant.tenantId}` },
                role: { S: grant.role },
                provisionedBy: { S: writer },
                provisionedAt: { S: now().toISOString() },
              },
              // Never overwrite: an existing membership (a role an admin set, a first write) stays as it is.
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
            { abortSignal: signal },
          ),
          signal,
        );
        return 'created';
      } catch (error) {
        // By name: a client of your own (another copy of the package) throws its own class.
        if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') return 'exists';
        throw wrap('Conditional PutItem of the membership failed', error, signal);
      }
    },
  };
}

/** A rule item; `role` defaults to `member`; an unusable tenant id or role is a fault of the data. */
export function toDomainRule(domain: string, item: Item): DomainRule {
  const tenantId = item.tenantId?.S;
  if (tenantId === undefined || !SAFE_VALUE.for(tenantId).test(tenantId))
    throw new InvalidDomainRuleError('The domain rule has no usable tenantId (a string without # or spaces)');
  const role = item.role?.S ?? DEFAULT_PROVISIONED_ROLE;
  if (!SAFE_VALUE.for(role).test(role))
    throw new InvalidDomainRuleError('The domain rule has an unusable role (a string without # or spaces)');
  return Object.freeze({ domain, tenantId, role });
}

function wrap(message: string, error: unknown, signal: AbortSignal): unknown {
  // Once the deadline has passed, the caller sees the deadline, not a store fault.
  if (signal.aborted) return abortReason(signal);
  return new TenantProvisioningError(message, { cause: error });
}
