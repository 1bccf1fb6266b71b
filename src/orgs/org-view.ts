import type { AuditedResource } from './admin-event.js';
import type { Org } from './org-store.js';
import { rfc3339 } from '../platform/admin/index.js';

/** How an org appears in the audit trail: flat, so a change set names exactly what changed. */
export const ORG_AUDIT: AuditedResource<Org> = {
  targetType: 'org',
  orgIdOf: (org) => org.id,
  view: ({ slug, name, status, settings }) => ({ slug, name, status, ...settings }),
};

/** What the admin API shows of it (never a secret). */
export const presentOrg = (org: Org) => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  status: org.status,
  settings: {
    session_idle_timeout_seconds: org.settings.sessionIdleTimeoutSeconds,
    session_absolute_lifetime_seconds: org.settings.sessionAbsoluteLifetimeSeconds,
    max_sessions_per_user: org.settings.maxSessionsPerUser,
    require_verified_email: org.settings.requireVerifiedEmail,
    require_mfa: org.settings.requireMfa,
    require_phishing_resistant: org.settings.requirePhishingResistant,
    audit_ip: org.settings.auditIp,
    audit_retention_days: org.settings.auditRetentionDays,
    login_starts_per_ip_per_minute: org.settings.loginStartsPerIpPerMinute,
    login_starts_per_minute: org.settings.loginStartsPerMinute,
  },
  created_at: rfc3339(org.createdAt),
  updated_at: rfc3339(org.updatedAt),
});
