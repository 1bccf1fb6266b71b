import { AppError } from '../errors.js';

/**
 * A person acting through the platform admin console (signed in with SSO to the platform's
 * own org, holding its admin role): the audit actor is this user, not a key.
 */
export interface ConsoleUser {
  id: string;
  orgId: string;
}

/**
 * Who is calling the admin API, from a verified API key. `platform` keys see every org;
 * `org` keys see exactly one. The admin console's principal is a platform one with `user`
 * set (keyId then `console:<user id>`).
 */
export type AdminPrincipal =
  | { scope: 'platform:admin'; keyId: string; user?: ConsoleUser }
  | {
      scope: 'org:admin';
      keyId: string;
      orgId: string;
      /**
       * Set when an org's own IT admin acts through a self-serve portal session (issue 18):
       * keyId is then the portal link's id, and the audit actor a portal_session.
       */
      via?: 'portal_session';
    };

/** The audit actor of a principal. */
export function actorOf(principal: AdminPrincipal): {
  type: 'api_key' | 'portal_session' | 'user';
  id: string;
} {
  if (principal.scope === 'platform:admin' && principal.user)
    return { type: 'user', id: principal.user.id };
  return {
    type: principal.scope === 'org:admin' && principal.via ? principal.via : 'api_key',
    id: principal.keyId,
  };
}

/** The same answer as for an id that does not exist: another tenant's ids are invisible. */
export const notFound = (what: string) =>
  new AppError('not_found', `No such ${what}.`, { status: 404 });

/** Tenant isolation: an org key reaching for another org's anything gets a plain 404. */
export function assertOrgAccess(principal: AdminPrincipal, orgId: string, what = 'org'): void {
  if (principal.scope === 'org:admin' && principal.orgId !== orgId) throw notFound(what);
}

export function assertPlatformAdmin(principal: AdminPrincipal): void {
  if (principal.scope !== 'platform:admin') {
    throw new AppError('insufficient_scope', 'This operation needs a platform:admin API key.', {
      status: 403,
    });
  }
}
