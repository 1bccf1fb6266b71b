import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import type { RequestContext } from '../platform/request-context.js';
import { enqueueForDelivery } from './outbox.js';

export type { RequestContext };

export const AUDIT_SCHEMA_VERSION = 1;

export type ActorType = 'api_key' | 'user' | 'client' | 'system' | 'cli';

export interface AuditActor {
  type: ActorType;
  id: string | null;
}

export interface AuditEventInput {
  /** Taxonomy name, e.g. "admin.org.created" (see audit-types.ts). */
  type: string;
  orgId: string | null;
  actor: AuditActor;
  target?: { type: string; id: string } | null;
  outcome?: 'success' | 'failure';
  reason?: string | null;
  context?: RequestContext | null;
  data?: Record<string, unknown>;
}

/**
 * The append side of the audit trail. `record` takes the caller's transaction, so an
 * event is durable exactly when the change it records is (same commit), and never
 * without it.
 */
export interface AuditLog {
  record(tx: Queryable, event: AuditEventInput): Promise<string>;
}

export function createAuditLog(deps: { clock: Clock }): AuditLog {
  return {
    async record(tx, event) {
      const now = deps.clock.nowMs();
      const id = uuidv7(now);
      await tx.query(
        `INSERT INTO audit_events (id, org_id, occurred_at, type, schema_version, actor_type, actor_id,
           target_type, target_id, outcome, reason, request_id, ip, user_agent, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          id,
          event.orgId,
          new Date(now),
          event.type,
          AUDIT_SCHEMA_VERSION,
          event.actor.type,
          event.actor.id,
          event.target?.type ?? null,
          event.target?.id ?? null,
          event.outcome ?? 'success',
          event.reason ?? null,
          event.context?.requestId ?? null,
          event.context?.ip ?? null,
          event.context?.userAgent ?? null,
          JSON.stringify(event.data ?? {}),
        ],
      );
      await enqueueForDelivery(tx, { id, orgId: event.orgId, at: new Date(now) });
      return id;
    },
  };
}

/**
 * The fields that changed between two versions of a resource, before and after, for an
 * audit event. Secret fields are never copied: only the fact that they changed.
 */
export function changeSet(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  secretFields: readonly string[] = [],
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const pick = (source: Record<string, unknown> | null, changedOnly: boolean) => {
    if (!source) return null;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (!(key in source)) continue;
      const changed = JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key]);
      if (changedOnly && !changed) continue;
      out[key] = secretFields.includes(key) ? '[secret]' : source[key];
    }
    return out;
  };
  const changedOnly = before !== null && after !== null;
  return { before: pick(before, changedOnly), after: pick(after, changedOnly) };
}
