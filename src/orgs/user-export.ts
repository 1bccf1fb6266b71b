import type { AuditLog, AuditQuery, PublicAuditEvent, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import {
  adminEvent,
  assertOrgAccess,
  notFound,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { userStore, type User } from './user-store.js';

/**
 * A user's live sessions, each as the admin sessions API renders it. Implemented by the
 * sessions service (adapter in wiring.ts): orgs does not depend on sessions.
 */
export interface UserSessionLister {
  listForUser(orgId: string, userId: string): Promise<Array<Record<string, unknown>>>;
}

export interface ExportedIdentity {
  connectionId: string;
  connectionType: string;
  connectionName: string;
  subject: string;
  createdAt: Date;
}

/** Everything Latchkey holds about one person (GDPR Art. 15 / 20), gathered at one time. */
export interface UserDataExport {
  generatedAt: Date;
  user: User;
  identities: ExportedIdentity[];
  sessions: Array<Record<string, unknown>>;
  events: PublicAuditEvent[];
}

export interface UserExportService {
  /** Records `privacy.export` before returning: no export leaves without its record. */
  exportUser(
    orgId: string,
    userId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<UserDataExport>;
}

export function createUserExportService(deps: {
  db: Database;
  audit: AuditLog;
  auditEvents: Pick<AuditQuery, 'eventsAboutUser'>;
  sessions: UserSessionLister;
  clock: Clock;
}): UserExportService {
  const { db, audit, auditEvents, sessions, clock } = deps;
  return {
    async exportUser(orgId, userId, principal, context) {
      assertOrgAccess(principal, orgId, 'user');
      const user = await userStore(db).get(orgId, userId);
      if (!user) throw notFound('user');
      const generatedAt = clock.now();
      const connections = await db.query<{ id: string; type: string; name: string }>(
        'SELECT id, type, name FROM connections WHERE org_id = $1 AND id = ANY($2::uuid[])',
        [orgId, user.identities.map((identity) => identity.connectionId)],
      );
      const byId = new Map(connections.rows.map((row) => [row.id, row]));
      const identities = user.identities.map((identity) => ({
        connectionId: identity.connectionId,
        connectionType: byId.get(identity.connectionId)?.type ?? 'unknown',
        connectionName: byId.get(identity.connectionId)?.name ?? '',
        subject: identity.subject,
        createdAt: identity.createdAt,
      }));
      const live = await sessions.listForUser(orgId, userId);
      const events = await auditEvents.eventsAboutUser(orgId, userId);
      await db.transaction((tx) =>
        audit.record(
          tx,
          adminEvent(principal, context, {
            type: 'privacy.export',
            orgId,
            target: { type: 'user', id: userId },
            data: {
              identities: identities.length,
              sessions: live.length,
              audit_events: events.length,
            },
          }),
        ),
      );
      return { generatedAt, user, identities, sessions: live, events };
    },
  };
}
