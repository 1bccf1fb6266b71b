import type { AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { uuidv7 } from '../platform/ids.js';
import { notFound } from '../platform/admin/index.js';
import { parseProvisionInput, sameRoles, type ProvisionInput } from './user-input.js';
import { userStore, type User, type UserUpdate } from './user-store.js';
import { SYSTEM, userChangeEvent } from './user-view.js';

/**
 * Just-in-time provisioning at login: the user of (connection, subject), its profile
 * refreshed from the IdP, or a new one. Never matches by email, except to a user
 * a SCIM directory of the org provisioned (issue 17, linkDirectoryManaged).
 */

interface ProvisioningDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
}

type Provisioned = { user: User; created: boolean };

const connectionMismatch = () =>
  new AppError('connection_org_mismatch', 'The connection does not belong to this org.', {
    status: 403,
  });

/** The connection must be one of the org's: a login never crosses tenants. */
const assertConnectionOfOrg = async (tx: Queryable, orgId: string, connectionId: string) => {
  const { rows } = await tx.query<{ org_id: string }>(
    'SELECT org_id FROM connections WHERE id = $1',
    [connectionId],
  );
  if (rows[0]?.org_id !== orgId) throw connectionMismatch();
};

const refuseDeactivated = (user: User) => {
  if (user.status === 'deactivated') {
    throw new AppError('user_deactivated', 'This user is deactivated.', { status: 403 });
  }
};

export async function provisionFromIdentity(
  deps: ProvisioningDeps,
  raw: ProvisionInput,
  context: RequestContext | null,
): Promise<Provisioned> {
  const input = parseProvisionInput(raw);
  // A lost race (another login of the same identity created the user first) rolls
  // back nothing visible and finds that user on the next attempt.
  for (let attempt = 0; attempt < 3; attempt++) {
    const outcome = await deps.db.transaction(async (tx) => {
      const store = userStore(tx);
      const now = deps.clock.now();
      await assertConnectionOfOrg(tx, input.orgId, input.connectionId);
      const existing = await store.findByIdentityForUpdate(input.connectionId, input.subject);
      if (existing) return refreshProfile(deps, tx, existing, input, now, context);
      const managed = await linkDirectoryManaged(deps, tx, input, now, context);
      if (managed === 'lost_race') return null;
      if (managed) return refreshProfile(deps, tx, managed, input, now, context);
      return createUser(deps, tx, input, now, context);
    });
    if (outcome) return outcome;
  }
  throw new AppError('provisioning_conflict', 'The user could not be provisioned; retry.', {
    status: 409,
  });
}

/**
 * Issue 17: the first sign-in of a person a SCIM directory of the org provisioned signs in
 * as that user, not as a new one: the directory's externalId is this upstream subject, or
 * the IdP verified the email address the directory gave (its domain is one of the org's
 * verified domains: the directory could not have set another). Never across orgs: the
 * connection is the org's (checked before) and so is the user. The identity is added to
 * the user; a deactivated user is refused by refreshProfile like any other.
 */
async function linkDirectoryManaged(
  deps: ProvisioningDeps,
  tx: Queryable,
  input: ProvisionInput,
  now: Date,
  context: RequestContext | null,
): Promise<User | 'lost_race' | null> {
  const store = userStore(tx);
  const email = input.emailVerified ? input.email : null;
  const candidates = await store.findDirectoryManagedForLink(
    input.orgId,
    input.connectionId,
    input.subject,
    email,
  );
  if (candidates.length === 0) return null;
  if (candidates.length > 1) {
    throw new AppError(
      'directory_user_ambiguous',
      'More than one provisioned user matches this sign-in; an admin must resolve it.',
      { status: 409 },
    );
  }
  const user = candidates[0]!;
  refuseDeactivated(user);
  const identity = {
    id: uuidv7(now.getTime()),
    connectionId: input.connectionId,
    subject: input.subject,
    createdAt: now,
  };
  if (!(await store.insertIdentity(user.id, identity))) return 'lost_race';
  const linked = { ...user, identities: [...user.identities, identity] };
  await deps.audit.record(
    tx,
    userChangeEvent('admin.user.updated', SYSTEM, user, linked, context, {
      reason: 'directory_user_linked',
      connectionId: input.connectionId,
    }),
  );
  return linked;
}

/** Whether the SCIM directory has a non-empty group → role mapping (scim_directories). */
export async function directoryMapsRoles(tx: Queryable, directoryId: string): Promise<boolean> {
  const { rows } = await tx.query<{ maps: boolean }>(
    `SELECT role_mapping <> '{}'::jsonb AS maps FROM scim_directories WHERE id = $1`,
    [directoryId],
  );
  return rows[0]?.maps === true;
}

/** The IdP's word on a known user: its profile (audited if it changed) and its last login. */
async function refreshProfile(
  deps: ProvisioningDeps,
  tx: Queryable,
  existing: User,
  input: ProvisionInput,
  now: Date,
  context: RequestContext | null,
): Promise<Provisioned> {
  if (existing.orgId !== input.orgId) throw connectionMismatch();
  refuseDeactivated(existing);
  const profile: UserUpdate = {};
  // A user a SCIM directory manages keeps the email and name the directory gave it.
  const directoryManaged = existing.scimDirectoryId !== null;
  if (!directoryManaged && input.email !== existing.email) profile.email = input.email;
  if (input.emailVerified !== existing.emailVerified) {
    profile.emailVerified = input.emailVerified;
  }
  if (!directoryManaged && input.name !== undefined && input.name !== existing.name) {
    profile.name = input.name;
  }
  // A directory with a role mapping is the source of truth for its users' roles: the
  // connection's group claims do not overwrite them (docs/scim.md, groups → roles).
  if (
    input.roles &&
    !sameRoles(input.roles, existing.roles) &&
    !(directoryManaged && (await directoryMapsRoles(tx, existing.scimDirectoryId!)))
  ) {
    profile.roles = input.roles;
  }
  const changed = Object.keys(profile).length > 0;
  // A login alone does not change the ETag an admin holds; a profile change does.
  const result = await userStore(tx).update(
    input.orgId,
    existing.id,
    { ...profile, lastLoginAt: now },
    now,
    null,
    changed,
  );
  if (!result.ok) throw notFound('user');
  if (changed) {
    await deps.audit.record(
      tx,
      userChangeEvent('admin.user.updated', SYSTEM, existing, result.value, context, {
        reason: 'idp_login',
        connectionId: input.connectionId,
      }),
    );
  }
  return { user: result.value, created: false };
}

/** A new user with its first identity; null if that identity was taken meanwhile (retry). */
async function createUser(
  deps: ProvisioningDeps,
  tx: Queryable,
  input: ProvisionInput,
  now: Date,
  context: RequestContext | null,
): Promise<Provisioned | null> {
  const store = userStore(tx);
  const user: User = {
    id: uuidv7(now.getTime()),
    orgId: input.orgId,
    email: input.email,
    emailVerified: input.emailVerified,
    name: input.name ?? null,
    roles: input.roles ?? [],
    status: 'active',
    scimDirectoryId: null,
    identities: [
      {
        id: uuidv7(now.getTime()),
        connectionId: input.connectionId,
        subject: input.subject,
        createdAt: now,
      },
    ],
    lastLoginAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await store.insert(user);
  if (!(await store.insertIdentity(user.id, user.identities[0]!))) {
    await store.delete(user.orgId, user.id);
    return null;
  }
  await deps.audit.record(
    tx,
    userChangeEvent('admin.user.provisioned', SYSTEM, null, user, context, {
      connectionId: input.connectionId,
    }),
  );
  return { user, created: true };
}
