import type { Queryable } from '../db/index.js';
import { assertOrgAccess, notFound, type AdminPrincipal } from './principal.js';

/**
 * The one answer to "may this caller see this org, and does it exist?", asked by every
 * admin resource that hangs off an org. Tenant isolation first, then existence: another
 * org's id and an id that does not exist get the same 404. Pass the transaction when the
 * write that follows must not outlive the org (a concurrent delete then waits or fails).
 * The orgs table is the tenancy root every domain's rows point at, so this one query
 * lives with the rest of the admin plumbing rather than in a domain.
 */
export async function assertOrgVisible(
  q: Queryable,
  principal: AdminPrincipal,
  orgId: string,
): Promise<void> {
  assertOrgAccess(principal, orgId);
  await assertOrgExists(q, orgId);
}

/** The existence half alone, for callers with no admin principal (the CLI): else 404. */
export async function assertOrgExists(q: Queryable, orgId: string): Promise<void> {
  const { rows } = await q.query('SELECT 1 AS one FROM orgs WHERE id = $1', [orgId]);
  if (rows.length === 0) throw notFound('org');
}
