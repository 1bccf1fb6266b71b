/**
 * The one public JSON shape of an audit event, the same wherever it leaves Latchkey (the
 * Redis stream, webhook bodies, the query API and exports): snake_case like the admin API,
 * times in RFC 3339, actor and target as small objects.
 */
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
  data: unknown;
}

export interface PublicAuditEvent {
  id: string;
  org_id: string | null;
  occurred_at: string;
  type: string;
  schema_version: number;
  actor: { type: string; id: string | null };
  target: { type: string; id: string } | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown>;
}

/** The columns toPublicEvent needs, for SELECTs that join audit_events as `e`. */
export const AUDIT_EVENT_COLUMNS = `e.id, e.org_id, e.occurred_at, e.type, e.schema_version,
  e.actor_type, e.actor_id, e.target_type, e.target_id, e.outcome, e.reason, e.request_id,
  e.ip, e.user_agent, e.data`;

export function toPublicEvent(row: AuditEventRow): PublicAuditEvent {
  const data = typeof row.data === 'string' ? (JSON.parse(row.data) as unknown) : row.data;
  return {
    id: row.id,
    org_id: row.org_id,
    occurred_at: new Date(row.occurred_at).toISOString(),
    type: row.type,
    schema_version: row.schema_version,
    actor: { type: row.actor_type, id: row.actor_id },
    target:
      row.target_type !== null && row.target_id !== null
        ? { type: row.target_type, id: row.target_id }
        : null,
    outcome: row.outcome,
    reason: row.reason,
    request_id: row.request_id,
    ip: row.ip,
    user_agent: row.user_agent,
    data: (data ?? {}) as Record<string, unknown>,
  };
}
