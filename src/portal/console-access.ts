import type { AdminPrincipal } from '../platform/admin/index.js';

/**
 * Who may use the platform admin console (issue 18): a live Latchkey session of the
 * platform's own org (config console.platformOrg, signed in with SSO like any org), whose
 * user is active and holds the admin role (config console.adminRole, from the connection's
 * group → role mapping), in an active org. Everything is read afresh on every request, so
 * an ended session, a deactivated user or a role taken away loses the console at once.
 */
export interface ConsoleAccessDeps {
  /** The platform org's slug; '' turns the console off. */
  platformOrgSlug: string;
  adminRole: string;
  /** The live browser session a Latchkey session cookie stands for, or null. */
  validateSession(token: string): Promise<{ id: string; orgId: string; userId: string } | null>;
  orgBySlug(slug: string): Promise<{ id: string; status: 'active' | 'disabled' } | null>;
  user(userId: string): Promise<{
    id: string;
    orgId: string;
    email: string;
    name: string | null;
    roles: string[];
    status: 'active' | 'deactivated';
  } | null>;
}

/** Why a signed-in browser is refused: each answers 403 with its own honest sentence. */
export type ConsoleRefusal = 'console_off' | 'not_platform_org' | 'missing_role' | 'inactive';

export interface ConsoleAdmin {
  sessionId: string;
  user: { id: string; orgId: string; email: string; name: string | null };
  /** What the admin services see: a platform admin whose audit actor is this user. */
  principal: AdminPrincipal;
}

export type ConsoleAccess =
  | { kind: 'signed_out' }
  | { kind: 'refused'; reason: ConsoleRefusal }
  | { kind: 'admin'; admin: ConsoleAdmin };

/** The console admin a session token stands for, or why not (signed out, or refused). */
export function consoleAccess(deps: ConsoleAccessDeps) {
  return async (token: string | undefined): Promise<ConsoleAccess> => {
    const session = token ? await deps.validateSession(token) : null;
    if (!session) return { kind: 'signed_out' };
    const refused = (reason: ConsoleRefusal) => ({ kind: 'refused', reason }) as const;
    if (!deps.platformOrgSlug) return refused('console_off');
    const org = await deps.orgBySlug(deps.platformOrgSlug);
    if (!org || org.id !== session.orgId) return refused('not_platform_org');
    const user = await deps.user(session.userId);
    if (!user || user.orgId !== org.id || user.status !== 'active' || org.status !== 'active')
      return refused('inactive');
    if (!user.roles.includes(deps.adminRole)) return refused('missing_role');
    return {
      kind: 'admin',
      admin: {
        sessionId: session.id,
        user: { id: user.id, orgId: user.orgId, email: user.email, name: user.name },
        principal: {
          scope: 'platform:admin',
          keyId: `console:${user.id}`,
          user: { id: user.id, orgId: user.orgId },
        },
      },
    };
  };
}
