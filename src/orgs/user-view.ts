import {
  changeSet,
  type AuditActor,
  type AuditEventInput,
  type AuditEventType,
  type RequestContext,
} from '../audit/index.js';
import type { User } from './user-store.js';
import { rfc3339 } from '../platform/admin/index.js';

/**
 * How a user appears in the audit trail. Email and name are personal data (GDPR): an
 * event says they changed, not to what; a deletion keeps ids and the email domain only.
 * (The admin API's JSON shape, presentUser, is in users.routes.ts.)
 */

const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The audit view of a user. Email and name are personal data: an event says they changed, not to what. */
const auditView = (user: User) => ({
  email: user.email,
  emailDomain: emailDomain(user.email),
  emailVerified: user.emailVerified,
  name: user.name,
  roles: user.roles,
  status: user.status,
});
const PERSONAL_FIELDS = ['email', 'name'];

/** The actor of what a login does to a user (just-in-time provisioning). */
export const SYSTEM: AuditActor = { type: 'system', id: null };

/** The event of a change to a user; `before` null for a user just provisioned. */
export const userChangeEvent = (
  type: AuditEventType,
  actor: AuditActor,
  before: User | null,
  after: User,
  context: RequestContext | null,
  extra: Record<string, unknown> = {},
): AuditEventInput => ({
  type,
  orgId: after.orgId,
  actor,
  target: { type: 'user', id: after.id },
  context,
  data: {
    ...extra,
    ...changeSet(before && auditView(before), auditView(after), PERSONAL_FIELDS),
  },
});

/** What the trail keeps of a deleted user: ids and the email domain, never the address or the name. */
export const deletedUserData = (user: User) => ({
  emailDomain: emailDomain(user.email),
  connectionIds: user.identities.map((i) => i.connectionId),
});

/** The strings that identify a user in its audit events, for pseudonymisation at erasure. */
export const identifyingValues = (user: User) => [
  user.email,
  ...(user.name ? [user.name] : []),
  ...user.identities.map((i) => i.subject),
];

/** What the admin API shows of it (never a secret). */
export const presentUser = (user: User) => ({
  id: user.id,
  org_id: user.orgId,
  email: user.email,
  email_verified: user.emailVerified,
  name: user.name,
  roles: user.roles,
  status: user.status,
  identities: user.identities.map((identity) => ({
    connection_id: identity.connectionId,
    subject: identity.subject,
    created_at: rfc3339(identity.createdAt),
  })),
  scim_directory_id: user.scimDirectoryId,
  last_login_at: rfc3339(user.lastLoginAt),
  created_at: rfc3339(user.createdAt),
  updated_at: rfc3339(user.updatedAt),
});
