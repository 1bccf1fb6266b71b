/**
 * Rows the SQL store contract suites stand on: orgs (every tenant row references one),
 * OIDC connections (user identities reference one), users, SCIM directories and audit
 * events (webhook deliveries point at them), inserted through their own stores.
 */
import { insertChained, type PreparedEvent } from '../../src/audit/audit-store.js';
import { connectionStore } from '../../src/connections/connection-store.js';
import type { OidcConnection } from '../../src/connections/connection.js';
import type { Database, Queryable } from '../../src/platform/db/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { directoryStore, type Directory } from '../../src/directories/directory-store.js';
import { orgStore, type Org } from '../../src/orgs/org-store.js';
import { userStore, type User } from '../../src/orgs/user-store.js';

export const AT = new Date('2026-03-01T12:00:00.000Z');

/** A date `seconds` after AT. */
export const later = (seconds: number) => new Date(AT.getTime() + seconds * 1000);

export function newOrg(overrides: Partial<Org> = {}): Org {
  const id = uuidv7();
  return {
    id,
    slug: `org-${id.slice(-12)}`,
    name: 'Acme',
    status: 'active',
    settings: {
      sessionIdleTimeoutSeconds: 1800,
      sessionAbsoluteLifetimeSeconds: 43_200,
      maxSessionsPerUser: 10,
      requireVerifiedEmail: false,
      requireMfa: false,
      requirePhishingResistant: false,
      auditIp: 'full',
      auditRetentionDays: 365,
      loginStartsPerIpPerMinute: null,
      loginStartsPerMinute: null,
    },
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    ...overrides,
  };
}

export async function insertOrg(q: Queryable, overrides: Partial<Org> = {}): Promise<Org> {
  const org = newOrg(overrides);
  await orgStore(q).insert(org);
  return org;
}

export function newOidcConnection(orgId: string, name = 'Okta'): OidcConnection {
  return {
    id: uuidv7(),
    orgId,
    type: 'oidc',
    name,
    status: 'draft',
    clientSecretSet: true,
    settings: {
      issuer: 'https://idp.example.com',
      clientId: 'latchkey',
      scopes: ['openid', 'email'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      claimMapping: {
        subject: 'sub',
        email: 'email',
        emailVerified: 'email_verified',
        name: 'name',
        groups: 'groups',
      },
      roleMapping: { admins: 'admin' },
      allowAnyEmailDomain: false,
    },
    createdAt: AT,
    updatedAt: AT,
    version: 1,
  };
}

export async function insertConnection(q: Queryable, orgId: string): Promise<OidcConnection> {
  const connection = newOidcConnection(orgId);
  await connectionStore(q).insert(connection, 'sealed-secret');
  return connection;
}

export function newEvent(
  orgId: string | null,
  type: string,
  occurredAtMs = AT.getTime(),
): PreparedEvent {
  return {
    id: uuidv7(occurredAtMs),
    orgId,
    occurredAtMs,
    type,
    schemaVersion: 1,
    actorType: 'admin',
    actorId: 'admin-1',
    targetType: 'user',
    targetId: 'user-1',
    outcome: 'success',
    reason: null,
    requestId: 'req-1',
    ip: '192.0.2.1',
    userAgent: 'test',
    data: { n: 1 },
  };
}

/** Appends events of these types to the org's chain, in order; returns their ids. */
export async function appendEvents(db: Database, orgId: string | null, types: string[]) {
  const events = types.map((type) => newEvent(orgId, type));
  await db.transaction((tx) => insertChained(tx, events));
  return events.map((e) => e.id);
}

/** A user of the org (no identities), as the user store takes it. */
export function newUser(orgId: string, overrides: Partial<User> = {}): User {
  return {
    id: uuidv7(),
    orgId,
    email: `u-${uuidv7().slice(-12)}@example.com`,
    emailVerified: false,
    name: null,
    roles: [],
    status: 'active',
    identities: [],
    scimDirectoryId: null,
    lastLoginAt: null,
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    ...overrides,
  };
}

export async function insertUser(
  q: Queryable,
  orgId: string,
  overrides: Partial<User> = {},
): Promise<User> {
  const user = newUser(orgId, overrides);
  await userStore(q).insert(user);
  return user;
}

/** An active SCIM directory of the org (no tokens). */
export async function insertDirectory(
  q: Queryable,
  orgId: string,
  overrides: Partial<Directory> = {},
): Promise<Directory> {
  const directory: Directory = {
    id: uuidv7(),
    orgId,
    name: 'Entra ID',
    status: 'active',
    roleMapping: {},
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    ...overrides,
  };
  await directoryStore(q).insert(directory);
  return directory;
}
