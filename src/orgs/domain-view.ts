import type { AuditedResource } from './admin-event.js';
import type { OrgDomain } from './domain-store.js';

/** How a domain claim appears in the audit trail: never with its verification token. */
export const DOMAIN_AUDIT: AuditedResource<OrgDomain> = {
  targetType: 'domain',
  orgIdOf: (d) => d.orgId,
  view: (d) => ({
    domain: d.domain,
    status: d.status,
    verification_method: d.verificationMethod,
    verified_at: d.verifiedAt?.toISOString() ?? null,
  }),
};
