import type { AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  actorOf,
  assertOrgAccess,
  assertOrgVisible,
  notFound,
  staleWrite,
  written,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { recordAdminEvent } from './admin-event.js';
import type { SessionTerminator } from './org-service.js';
import type { ProfileChanges } from './profile-changes.js';
import { ListUsersQuery, sameRoles, UpdateUserBody, type ProvisionInput } from './user-input.js';
import { directoryMapsRoles, provisionFromIdentity } from './user-provisioning.js';
import { userStore, type User, type UserStore, type UserUpdate } from './user-store.js';
import { deletedUserData, identifyingValues, userChangeEvent } from './user-view.js';

/** users.routes.ts reads NoBody here. */
export { NoBody } from './user-input.js';

export interface UserErasure {
  pseudonym: string;
  sessionsEnded: number;
  auditEventsPseudonymised: number;
}

export interface UserService {
  list(
    orgId: string,
    query: unknown,
    principal: AdminPrincipal,
    page: PageRequest,
  ): Promise<Page<User>>;
  get(orgId: string, userId: string, principal: AdminPrincipal): Promise<User>;
  update(
    orgId: string,
    userId: string,
    body: unknown,
    expectedVersion: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<User>;
  /** Idempotent; ends every session of the user, also when it was already deactivated. */
  deactivate(
    orgId: string,
    userId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<User>;
  reactivate(
    orgId: string,
    userId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<User>;
  /** Ends the user's sessions, then deletes the user and its identities. */
  remove(
    orgId: string,
    userId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /**
   * GDPR erasure: ends the user's sessions, deletes the user and its identities, and
   * pseudonymises the user's audit events in the org (the chain stays verifiable).
   */
  erase(
    orgId: string,
    userId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<UserErasure>;
  /**
   * Just-in-time provisioning at login: the user of (connection, subject), its profile
   * refreshed from the IdP, or a new one. Never matches by email, except to a user a
   * SCIM directory of the org provisioned (user-provisioning.ts).
   */
  provisionFromIdentity(
    input: ProvisionInput,
    context: RequestContext | null,
  ): Promise<{ user: User; created: boolean }>;
  /** A user by id in any org, or null (login and token paths, no admin principal). */
  getUser(userId: string): Promise<User | null>;
}

interface UserDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  sessions: SessionTerminator;
  /** Told of every committed change of a user's roles, name or status. */
  profileChanges?: Pick<ProfileChanges, 'changed'>;
}

/**
 * Issue 17: a SCIM directory is the source of truth for the users it manages; the admin
 * API leaves their name and status (reactivation) and their existence to it, and their
 * roles when the directory has a role mapping. Deactivation stays possible (an emergency
 * stop), and so do GDPR erasure and roles without a mapping.
 */
const refuseDirectoryManaged = (user: User, what: string) => {
  if (user.scimDirectoryId) {
    throw new AppError(
      'directory_managed',
      `This user is managed by SCIM directory ${user.scimDirectoryId}; ${what} it there.`,
      { status: 409 },
    );
  }
};

const load = async (store: UserStore, orgId: string, userId: string, forUpdate = false) => {
  const user = await store.get(orgId, userId, { forUpdate });
  if (!user) throw notFound('user');
  return user;
};

/** Deletes the user (locked first); the user as it was. */
const deleteLocked = async (tx: Queryable, orgId: string, userId: string) => {
  const store = userStore(tx);
  const before = await load(store, orgId, userId, true);
  if (!(await store.delete(orgId, userId))) throw notFound('user');
  return before;
};

async function setStatus(
  { db, audit, clock, profileChanges }: UserDeps,
  orgId: string,
  userId: string,
  status: User['status'],
  principal: AdminPrincipal,
  context: RequestContext,
) {
  assertOrgAccess(principal, orgId, 'user');
  const user = await db.transaction(async (tx) => {
    const store = userStore(tx);
    const before = await load(store, orgId, userId, true);
    if (before.status === status) return before;
    if (status === 'active') refuseDirectoryManaged(before, 'reactivate');
    const result = await store.update(orgId, userId, { status }, clock.now(), null);
    if (!result.ok) throw notFound('user');
    const type = status === 'active' ? 'admin.user.reactivated' : 'admin.user.deactivated';
    await audit.record(
      tx,
      userChangeEvent(type, actorOf(principal), before, result.value, context),
    );
    return result.value;
  });
  profileChanges?.changed([user.id]);
  return user;
}

async function updateUser(
  { db, audit, clock, profileChanges }: UserDeps,
  orgId: string,
  userId: string,
  body: unknown,
  expected: number | null,
  principal: AdminPrincipal,
  context: RequestContext,
) {
  assertOrgAccess(principal, orgId, 'user');
  const input = parseInput(UpdateUserBody, body);
  const user = await db.transaction(async (tx) => {
    const store = userStore(tx);
    const before = await load(store, orgId, userId, true);
    if (expected !== null && expected !== before.version) throw staleWrite();
    const changes: UserUpdate = {};
    if (input.roles && !sameRoles(input.roles, before.roles)) {
      // A directory with a role mapping is the source of truth for its users' roles.
      if (before.scimDirectoryId && (await directoryMapsRoles(tx, before.scimDirectoryId))) {
        refuseDirectoryManaged(
          before,
          "change the roles of (through its groups and the directory's role_mapping)",
        );
      }
      changes.roles = input.roles;
    }
    if (input.name !== undefined && input.name !== before.name) {
      refuseDirectoryManaged(before, 'rename');
      changes.name = input.name;
    }
    if (!Object.keys(changes).length) return before;
    const after = written(
      await store.update(orgId, userId, changes, clock.now(), before.version),
      'user',
    );
    await audit.record(
      tx,
      userChangeEvent('admin.user.updated', actorOf(principal), before, after, context),
    );
    return after;
  });
  profileChanges?.changed([user.id]);
  return user;
}

async function eraseUser(
  deps: UserDeps,
  orgId: string,
  userId: string,
  principal: AdminPrincipal,
  context: RequestContext,
): Promise<UserErasure> {
  // Deactivated first (committed, audited), so no login can open a session between the
  // sweep and the delete; the sweep runs outside any transaction (its session.ended
  // events commit on their own and are pseudonymised below with the rest).
  await setStatus(deps, orgId, userId, 'deactivated', principal, context);
  const sessionsEnded = await deps.sessions.endAllForUser(orgId, userId, 'user_deleted');
  return deps.db.transaction(async (tx) => {
    const before = await deleteLocked(tx, orgId, userId);
    const { pseudonym, events } = await deps.audit.pseudonymise(tx, {
      orgId,
      userId,
      identifying: identifyingValues(before),
    });
    await recordAdminEvent(deps.audit, tx, principal, context, {
      type: 'privacy.erase',
      orgId,
      target: { type: 'user', id: pseudonym },
      data: {
        audit_events_pseudonymised: events,
        sessions_ended: sessionsEnded,
        connectionIds: before.identities.map((i) => i.connectionId),
      },
    });
    return { pseudonym, sessionsEnded, auditEventsPseudonymised: events };
  });
}

export function createUserService(deps: UserDeps): UserService {
  const { db, audit, sessions } = deps;

  return {
    async list(orgId, query, principal, page) {
      assertOrgAccess(principal, orgId);
      const filters = parseInput(ListUsersQuery, query, 'query');
      await assertOrgVisible(db, principal, orgId);
      const users = await userStore(db).list(
        orgId,
        page,
        filters.email_prefix,
        filters.scim_directory_id,
      );
      return toPage(users, page, (u) => u.id);
    },

    async get(orgId, userId, principal) {
      assertOrgAccess(principal, orgId, 'user');
      return load(userStore(db), orgId, userId);
    },

    update: (orgId, userId, body, expected, principal, context) =>
      updateUser(deps, orgId, userId, body, expected, principal, context),

    async deactivate(orgId, userId, principal, context) {
      const user = await setStatus(deps, orgId, userId, 'deactivated', principal, context);
      // After the commit, so no login can start a session the sweep misses: provisioning
      // refuses a deactivated user. Run on repeats too, to finish a sweep that failed.
      await sessions.endAllForUser(orgId, user.id, 'user_deactivated');
      return user;
    },

    reactivate: (orgId, userId, principal, context) =>
      setStatus(deps, orgId, userId, 'active', principal, context),

    async remove(orgId, userId, principal, context) {
      assertOrgAccess(principal, orgId, 'user');
      refuseDirectoryManaged(await load(userStore(db), orgId, userId), 'delete');
      // As erase does: deactivated first (committed, audited), so no login opens a session
      // between the sweep and the delete; the sweep runs outside any transaction (its
      // session.ended events commit on their own: inside one, PGlite's single connection
      // would wait on itself). A failure leaves the user deactivated, in place for a retry.
      await setStatus(deps, orgId, userId, 'deactivated', principal, context);
      await sessions.endAllForUser(orgId, userId, 'user_deleted');
      await db.transaction(async (tx) => {
        const before = await deleteLocked(tx, orgId, userId);
        // GDPR: the trail keeps ids and the email domain, never the address or the name.
        await recordAdminEvent(audit, tx, principal, context, {
          type: 'admin.user.deleted',
          orgId,
          target: { type: 'user', id: userId },
          data: deletedUserData(before),
        });
      });
    },

    erase: (orgId, userId, principal, context) =>
      eraseUser(deps, orgId, userId, principal, context),

    provisionFromIdentity: (input, context) => provisionFromIdentity(deps, input, context),

    getUser: (userId) => userStore(db).getById(userId),
  };
}
