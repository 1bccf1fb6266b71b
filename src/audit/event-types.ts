/**
 * Every audit event type Latchkey emits, and nothing else: the taxonomy of
 * docs/audit-events.md (test/audit/event-types.test.ts holds the two to each other, both
 * ways). `AuditEventInput.type` is typed from this list, so an emitter cannot write a type
 * that is not here, and webhook subscriptions and the audit query's `type` filter refuse
 * a name that is not here (a typo would otherwise never match, silently).
 *
 * A new event type: one line here, one row in docs/audit-events.md (openapi.yaml's
 * `AuditEventType` enum is checked against this list by the same test).
 */
export const AUDIT_EVENT_TYPES = [
  // Admin API, in the change's own transaction.
  'admin.org.created',
  'admin.org.updated',
  'admin.org.deleted',
  'admin.org.branding_updated',
  'admin.domain.added',
  'admin.domain.removed',
  'admin.domain.verified',
  'admin.domain.attested',
  'admin.domain.verification_failed',
  'admin.connection.created',
  'admin.connection.updated',
  'admin.connection.activated',
  'admin.connection.disabled',
  'admin.connection.deleted',
  'admin.connection.metadata_refreshed',
  'admin.connection.metadata_refresh_failed',
  'admin.connection.test_started',
  'admin.connection.test_passed',
  'admin.connection.test_failed',
  'admin.user.provisioned',
  'admin.user.updated',
  'admin.user.deactivated',
  'admin.user.reactivated',
  'admin.user.deleted',
  'admin.client.created',
  'admin.client.updated',
  'admin.client.deleted',
  'admin.client.secret_rotated',
  'admin.apikey.created',
  'admin.apikey.revoked',
  'admin.portal_link.created',
  'admin.portal_link.revoked',
  // The self-serve setup portal (issue 18), the portal session as actor.
  'portal.session.started',
  'admin.scim_directory.created',
  'admin.scim_directory.disabled',
  'admin.scim_directory.updated',
  'admin.scim_directory.token_issued',
  'admin.scim_directory.token_revoked',
  // SCIM provisioning, the directory as actor.
  'scim.user.created',
  'scim.user.updated',
  'scim.user.deactivated',
  'scim.user.reactivated',
  'scim.user.deleted',
  'scim.group.created',
  'scim.group.updated',
  'scim.group.deleted',
  'admin.webhook.created',
  'admin.webhook.updated',
  'admin.webhook.deleted',
  'admin.webhook.secret_rotated',
  'admin.webhook.replayed',
  'admin.webhook.delivery_retried',
  'privacy.erase',
  'privacy.export',
  // Sign-in and sessions.
  'auth.login.started',
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.logout.started',
  'auth.logout.succeeded',
  'auth.logout.failed',
  'session.created',
  'session.ended',
  'saml.certificate.expiring',
  // Tokens and keys.
  'token.issued',
  'session.refreshed',
  'token.refresh_reuse_detected',
  'token.revoked',
  'key.rotated',
  // Shared Signals streams (revocation events for backend services).
  'ssf.stream.created',
  'ssf.stream.updated',
  'ssf.stream.deleted',
  'ssf.stream.status_changed',
  // Abuse protection: one per throttled identifier and window (docs/rate-limits.md).
  'security.rate_limited',
  // The trail itself.
  'audit.exported',
  'audit.retention.purged',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

const REGISTERED: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);

export const isAuditEventType = (name: string): name is AuditEventType => REGISTERED.has(name);

/**
 * Whether a prefix of whole segments ("admin.user.", from "admin.user.*") selects at least
 * one registered type: a prefix that selects none is a typo as surely as an unknown name.
 */
export const isAuditEventTypePrefix = (prefix: string): boolean =>
  prefix.endsWith('.') && AUDIT_EVENT_TYPES.some((type) => type.startsWith(prefix));
