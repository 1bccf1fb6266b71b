import type { AuditEventInput, AuditEventType, RequestContext } from '../audit/index.js';
import type { StoredSession } from './session.js';

/**
 * An audit event of a user's own session (session.created, auth.login.succeeded,
 * auth.logout.started): by the user, about the session, in the session's org.
 */
export function userSessionEvent(
  type: AuditEventType,
  session: Pick<StoredSession, 'id' | 'orgId' | 'userId'>,
  context: RequestContext | null,
  data: Record<string, unknown>,
): AuditEventInput {
  return {
    type,
    orgId: session.orgId,
    actor: { type: 'user', id: session.userId },
    target: { type: 'session', id: session.id },
    context,
    data,
  };
}
