import type { AuditedResource } from './admin-event.js';
import type { OrgDomain } from './domain-store.js';
import { rfc3339 } from '../platform/admin/index.js';
import { challengeRecordName } from './domain-challenge.js';

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

/**
 * A domain as the admin API shows it. The token is no secret from the org's own admins
 * (they must publish it in DNS), so it is shown while the domain is pending.
 */
export const presentDomain = (d: OrgDomain) => ({
  id: d.id,
  org_id: d.orgId,
  domain: d.domain,
  status: d.status,
  verification:
    d.status === 'pending'
      ? {
          method: 'dns_txt',
          record_name: challengeRecordName(d.domain),
          record_value: d.verificationToken,
        }
      : null,
  verification_method: d.verificationMethod,
  verified_at: rfc3339(d.verifiedAt),
  created_at: rfc3339(d.createdAt),
  updated_at: rfc3339(d.updatedAt),
});
