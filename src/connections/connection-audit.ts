// The audit trail of connection writes: what an event shows of a connection (its sealed
// secret under a masked key), and the events of an update.
import {
  changeSet,
  type AuditEventType,
  type AuditLog,
  type RequestContext,
} from '../audit/index.js';
import { adminEvent, type AdminPrincipal } from '../platform/admin/index.js';
import type { Queryable } from '../platform/db/index.js';
import type { Connection, ConnectionStatus } from './connection.js';
import type { ConnectionChanges, StoredConnection } from './connection-store.js';
import { settingsView } from './connection-view.js';

/** The audit view of a connection: flat, with the sealed secret under a masked key. */
export const auditView = (connection: Connection, secretCiphertext: string | null) => ({
  type: connection.type,
  name: connection.name,
  status: connection.status,
  ...settingsView(connection),
  ...(connection.type === 'oidc' ? { client_secret: secretCiphertext } : {}),
});
export const SECRET_FIELDS = ['client_secret'];

export const connectionEvent = (
  type: AuditEventType,
  orgId: string,
  connectionId: string,
  principal: AdminPrincipal,
  context: RequestContext,
) =>
  adminEvent(principal, context, { type, orgId, target: { type: 'connection', id: connectionId } });

/** The audited change set of an update, or null when it changes nothing. */
export function updateDiff(before: StoredConnection, next: Connection, changes: ConnectionChanges) {
  const beforeView = auditView(before.connection, before.secretCiphertext);
  const afterView = auditView(next, changes.secretCiphertext ?? before.secretCiphertext);
  const diff = changeSet(beforeView, afterView, SECRET_FIELDS);
  const { status: statusChange, ...otherChanges } = diff.after ?? {};
  return statusChange === undefined && Object.keys(otherChanges).length === 0 ? null : diff;
}

/** The events of an update: settings changed, status changed (each only if it did). */
export async function recordUpdate(
  audit: AuditLog,
  tx: Queryable,
  event: ReturnType<typeof connectionEvent>,
  diff: ReturnType<typeof changeSet>,
  status: { before: ConnectionStatus; after: ConnectionStatus },
) {
  const { status: statusChange, ...otherChanges } = diff.after ?? {};
  const { status: _before, ...settingsBefore } = diff.before ?? {};
  if (Object.keys(otherChanges).length) {
    await audit.record(tx, {
      ...event,
      type: 'admin.connection.updated',
      data: { before: settingsBefore, after: otherChanges },
    });
  }
  if (statusChange !== undefined) {
    await audit.record(tx, {
      ...event,
      type: status.after === 'active' ? 'admin.connection.activated' : 'admin.connection.disabled',
      data: {
        before: { status: status.before },
        after: { status: status.after },
      },
    });
  }
}
