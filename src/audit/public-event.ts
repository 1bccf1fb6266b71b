/**
 * The one public shape of an audit event: what the admin API lists, each line of an
 * NDJSON export and the events of a user's data export. Columns are named, never `*`,
 * so a column added for internal use (e.g. a hash chain) is not published by accident.
 */
export const AUDIT_EVENT_COLUMNS = `id, org_id, occurred_at, type, schema_version, actor_type, actor_id,
  target_type, target_id, outcome, reason, request_id, ip, user_agent, data`;

export interface AuditEventRow {
  id: string;
  org_id: string | null;
  occurred_at: Date | string;
  type: string;
  schema_version: number;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown> | string | null;
}

export interface PublicAuditEvent {
  id: string;
  org_id: string | null;
  occurred_at: string;
  type: string;
  schema_version: number;
  actor: { type: string; id: string | null };
  target: { type: string; id: string | null } | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  context: { request_id: string | null; ip: string | null; user_agent: string | null };
  data: Record<string, unknown>;
}

export function toPublicEvent(row: AuditEventRow): PublicAuditEvent {
  return {
    id: row.id,
    org_id: row.org_id,
    occurred_at: new Date(row.occurred_at).toISOString(),
    type: row.type,
    schema_version: row.schema_version,
    actor: { type: row.actor_type, id: row.actor_id },
    target: row.target_type ? { type: row.target_type, id: row.target_id } : null,
    outcome: row.outcome,
    reason: row.reason,
    context: { request_id: row.request_id, ip: row.ip, user_agent: row.user_agent },
    data:
      typeof row.data === 'string'
        ? (JSON.parse(row.data) as Record<string, unknown>)
        : (row.data ?? {}),
  };
}
