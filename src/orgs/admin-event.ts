import {
  changeSet,
  type AuditEventInput,
  type AuditEventType,
  type RequestContext,
} from '../audit/index.js';
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
