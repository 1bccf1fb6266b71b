import type { AuditedResource } from './admin-event.js';
import type { Org } from './org-store.js';

/** How an org appears in the audit trail: flat, so a change set names exactly what changed. */
export const ORG_AUDIT: AuditedResource<Org> = {
  targetType: 'org',
  orgIdOf: (org) => org.id,
  view: (org) => ({
    slug: org.slug,
    name: org.name,
    status: org.status,
    ...org.settings,
  }),
};
