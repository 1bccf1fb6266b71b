import {
  changeSet,
  type AuditEventInput,
  type AuditEventType,
  type AuditLog,
  type RequestContext,
} from '../audit/index.js';
import type { Queryable } from '../platform/db/index.js';
import { adminEvent, type AdminPrincipal } from '../platform/admin/index.js';

/** How a kind of resource appears in the audit trail (each resource's *-view.ts). */
export interface AuditedResource<T> {
  /** The events' target type: 'org', 'domain', 'oauth_client', … */
  targetType: string;
  /** The org whose chain records the event; null for the platform's own resources. */
  orgIdOf(resource: T): string | null;
  /** Flat, without secrets, so a change set names exactly what changed. */
  view(resource: T): Record<string, unknown>;
}

/**
 * The event of an admin change to one resource: its change set, from `before` (null when
 * created) to `after` (null when deleted).
 */
export function changeEvent<T extends { id: string }>(
  resource: AuditedResource<T>,
  type: AuditEventType,
  principal: AdminPrincipal,
  context: RequestContext,
  before: T | null,
  after: T | null,
): AuditEventInput {
  const subject = (after ?? before)!;
  return adminEvent(principal, context, {
    type,
    orgId: resource.orgIdOf(subject),
    target: { type: resource.targetType, id: subject.id },
    data: changeSet(before && resource.view(before), after && resource.view(after)),
  });
}

/**
 * Records, inside the caller's transaction, the event of an admin action that is not a
 * change set (a revocation, a deletion, a privacy request): the caller gives type, org,
 * target and data; the principal and request context make its actor and context.
 */
export const recordAdminEvent = (
  audit: Pick<AuditLog, 'record'>,
  tx: Queryable,
  principal: AdminPrincipal,
  context: RequestContext,
  event: Omit<AuditEventInput, 'actor' | 'context'>,
) => audit.record(tx, adminEvent(principal, context, event));
