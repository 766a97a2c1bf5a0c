/**
 * The tenant directory port: who belongs to which tenant, and what state each tenant is in.
 * The table model is the contract's (`shared/CONTRACT.md`, PreTokenGeneration); adapters map it here.
 */

/** Whose memberships to look up: a user (by `sub`) or a machine-to-machine app client (by client id). */
export type TenantPrincipal =
  { readonly kind: 'user'; readonly sub: string } | { readonly kind: 'client'; readonly clientId: string };

/** A tenant item (`pk = TENANT#<id>`, `sk = TENANT`). */
export interface Tenant {
  readonly tenantId: string;
  /** Only the exact value `active` lets the tenant into a token; anything else counts as suspended. */
  readonly status: string;
  readonly plan?: string;
  readonly name?: string;
}

/** A membership item (`pk = USER#<sub>` or `CLIENT#<clientId>`, `sk = TENANT#<id>`) with its tenant. */
export interface TenantMembership {
  readonly tenantId: string;
  readonly role: string;
  readonly isDefault: boolean;
  /** `undefined` when the membership points at a tenant item that does not exist. */
  readonly tenant: Tenant | undefined;
}

/** Everything the directory knows about one principal; no memberships is a valid answer. */
export interface TenantLookup {
  readonly memberships: readonly TenantMembership[];
}

/**
 * The tenant directory port: reads a principal's memberships and their tenants; rejects when the
 * store fails or `signal` aborts (the trigger then applies `ON_LOOKUP_FAILURE`). The bundled adapter
 * reads the contract's DynamoDB table; plug in another store with
 * `createPreTokenGenerationHandler({ directory })`. Answers are cached per container by the trigger.
 *
 * @example
 * ```ts
 * const directory: TenantDirectory = {
 *   async lookupMemberships(principal, signal) {
 *     if (principal.kind !== 'user') return { memberships: [] };
 *     const response = await fetch(`https://accounts.internal/users/${principal.sub}/tenants`, { signal });
 *     const rows: { id: string; role: string; status: string; plan: string }[] = await response.json();
 *     return {
 *       memberships: rows.map((row, index) => ({
 *         tenantId: row.id,
 *         role: row.role,
 *         isDefault: index === 0,
 *         tenant: { tenantId: row.id, status: row.status, plan: row.plan },
 *       })),
 *     };
 *   },
 * };
 * export const handler = createPreTokenGenerationHandler({ directory });
 * ```
 */
export interface TenantDirectory {
  lookupMemberships(principal: TenantPrincipal, signal: AbortSignal): Promise<TenantLookup>;
}

/** The partition key of a principal's membership items; also the cache key, so users never share an entry. */
export function toPrincipalKey(principal: TenantPrincipal): string {
  return principal.kind === 'user' ? `USER#${principal.sub}` : `CLIENT#${principal.clientId}`;
}
