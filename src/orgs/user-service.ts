import { z } from 'zod';
import { changeSet, type AuditActor, type AuditLog, type RequestContext } from '../audit/index.js';
import type { AuditEventType } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, UUID_PATTERN, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  actorOf,
  assertOrgAccess,
  assertOrgVisible,
  notFound,
  staleWrite,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import type { SessionTerminator } from './org-service.js';
import { userStore, type User, type UserStore, type UserUpdate } from './user-store.js';

export const ROLE_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/;
export const MAX_ROLES = 50;

const dedupe = (values: string[]) => [...new Set(values)];
/** Roles are a set: the same roles in another order are no change (and no audit event). */
const sameRoles = (a: string[], b: string[]) =>
  a.length === b.length && a.every((role) => b.includes(role));

/** Strict: a misspelt filter is refused, never ignored (which would list every user). */
export const ListUsersQuery = z.strictObject({
  email_prefix: z.string().min(1).max(320).optional(),
  // Read by pageRequest; listed so they are not unknown fields.
  limit: z.unknown().optional(),
  cursor: z.unknown().optional(),
});

export const UpdateUserBody = z.strictObject({
  roles: z
    .array(z.string().regex(ROLE_PATTERN, 'must match ^[a-z][a-z0-9_.:-]{0,63}$'))
    .max(MAX_ROLES)
    .transform(dedupe)
    .optional(),
  name: z.string().trim().min(1).max(200).nullable().optional(),
});

/** Deactivate and reactivate take no body; anything in one is an unknown field. */
export const NoBody = z.strictObject({}).optional();

export interface UserErasure {
  pseudonym: string;
  sessionsEnded: number;
  auditEventsPseudonymised: number;
}

/** What a login learned from the upstream IdP about who signed in. */
export interface ProvisionInput {
  orgId: string;
  connectionId: string;
  /** The upstream subject (OIDC `sub`, SAML NameID): with the connection, the user's key. */
  subject: string;
  email: string;
  emailVerified: boolean;
  /** Absent: keep the stored name; null: the IdP asserts none. */
  name?: string | null;
  /** Roles mapped from IdP claims. Absent: keep the stored roles (set by admins). */
  roles?: string[];
}

const ProvisionSchema = z.object({
  orgId: z.string().regex(UUID_PATTERN),
  connectionId: z.string().regex(UUID_PATTERN),
  subject: z.string().min(1).max(1024),
  email: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  emailVerified: z.boolean(),
  name: z
    .string()
    .trim()
    .transform((n) => n.slice(0, 200) || null)
    .nullable()
    .optional(),
  // An IdP's groups are not ours to validate: keep those that are valid role names.
  roles: z
    .array(z.string())
    .transform((roles) => dedupe(roles.filter((r) => ROLE_PATTERN.test(r))).slice(0, MAX_ROLES))
    .optional(),
});

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
   * refreshed from the IdP, or a new one. Never matches by email.
   */
  provisionFromIdentity(
    input: ProvisionInput,
    context: RequestContext | null,
  ): Promise<{ user: User; created: boolean }>;
  /** A user by id in any org, or null (login and token paths, no admin principal). */
  getUser(userId: string): Promise<User | null>;
}

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
const SYSTEM: AuditActor = { type: 'system', id: null };

export function createUserService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  sessions: SessionTerminator;
}): UserService {
  const { db, audit, clock, sessions } = deps;

  const load = async (store: UserStore, orgId: string, userId: string, forUpdate = false) => {
    const user = await store.get(orgId, userId, { forUpdate });
    if (!user) throw notFound('user');
    return user;
  };

  const recordChange = (
    tx: Queryable,
    type: AuditEventType,
    actor: AuditActor,
    before: User | null,
    after: User,
    context: RequestContext | null,
    extra: Record<string, unknown> = {},
  ) =>
    audit.record(tx, {
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

  const setStatus = async (
    orgId: string,
    userId: string,
    status: User['status'],
    principal: AdminPrincipal,
    context: RequestContext,
  ) => {
    assertOrgAccess(principal, orgId, 'user');
    return db.transaction(async (tx) => {
      const store = userStore(tx);
      const before = await load(store, orgId, userId, true);
      if (before.status === status) return before;
      const result = await store.update(orgId, userId, { status }, clock.now(), null);
      if (!result.ok) throw notFound('user');
      const type = status === 'active' ? 'admin.user.reactivated' : 'admin.user.deactivated';
      await recordChange(tx, type, actorOf(principal), before, result.value, context);
      return result.value;
    });
  };

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

  return {
    async list(orgId, query, principal, page) {
      assertOrgAccess(principal, orgId);
      const { email_prefix: emailPrefix } = parseInput(ListUsersQuery, query, 'query');
      await assertOrgVisible(db, principal, orgId);
      return toPage(await userStore(db).list(orgId, page, emailPrefix), page, (u) => u.id);
    },

    async get(orgId, userId, principal) {
      assertOrgAccess(principal, orgId, 'user');
      return load(userStore(db), orgId, userId);
    },

    async update(orgId, userId, body, expected, principal, context) {
      assertOrgAccess(principal, orgId, 'user');
      const input = parseInput(UpdateUserBody, body);
      return db.transaction(async (tx) => {
        const store = userStore(tx);
        const before = await load(store, orgId, userId, true);
        if (expected !== null && expected !== before.version) throw staleWrite();
        const changes: UserUpdate = {};
        if (input.roles && !sameRoles(input.roles, before.roles)) {
          changes.roles = input.roles;
        }
        if (input.name !== undefined && input.name !== before.name) changes.name = input.name;
        if (!Object.keys(changes).length) return before;
        const result = await store.update(orgId, userId, changes, clock.now(), before.version);
        if (!result.ok) throw result.reason === 'stale' ? staleWrite() : notFound('user');
        await recordChange(
          tx,
          'admin.user.updated',
          actorOf(principal),
          before,
          result.value,
          context,
        );
        return result.value;
      });
    },

    async deactivate(orgId, userId, principal, context) {
      const user = await setStatus(orgId, userId, 'deactivated', principal, context);
      // After the commit, so no login can start a session the sweep misses: provisioning
      // refuses a deactivated user. Run on repeats too, to finish a sweep that failed.
      await sessions.endAllForUser(orgId, user.id, 'user_deactivated');
      return user;
    },

    reactivate: (orgId, userId, principal, context) =>
      setStatus(orgId, userId, 'active', principal, context),

    async remove(orgId, userId, principal, context) {
      assertOrgAccess(principal, orgId, 'user');
      // As erase does: deactivated first (committed, audited), so no login opens a session
      // between the sweep and the delete; the sweep runs outside any transaction (its
      // session.ended events commit on their own: inside one, PGlite's single connection
      // would wait on itself). A failure leaves the user deactivated, in place for a retry.
      await setStatus(orgId, userId, 'deactivated', principal, context);
      await sessions.endAllForUser(orgId, userId, 'user_deleted');
      await db.transaction(async (tx) => {
        const store = userStore(tx);
        const before = await load(store, orgId, userId, true);
        if (!(await store.delete(orgId, userId))) throw notFound('user');
        // GDPR: the trail keeps ids and the email domain, never the address or the name.
        await audit.record(tx, {
          type: 'admin.user.deleted',
          orgId,
          actor: actorOf(principal),
          target: { type: 'user', id: userId },
          context,
          data: {
            emailDomain: emailDomain(before.email),
            connectionIds: before.identities.map((i) => i.connectionId),
          },
        });
      });
    },

    async erase(orgId, userId, principal, context) {
      // Deactivated first (committed, audited), so no login can open a session between the
      // sweep and the delete; the sweep runs outside any transaction (its session.ended
      // events commit on their own and are pseudonymised below with the rest).
      await setStatus(orgId, userId, 'deactivated', principal, context);
      const sessionsEnded = await sessions.endAllForUser(orgId, userId, 'user_deleted');
      return db.transaction(async (tx) => {
        const store = userStore(tx);
        const before = await load(store, orgId, userId, true);
        if (!(await store.delete(orgId, userId))) throw notFound('user');
        const identifying = [
          before.email,
          ...(before.name ? [before.name] : []),
          ...before.identities.map((i) => i.subject),
        ];
        const { pseudonym, events } = await audit.pseudonymise(tx, {
          orgId,
          userId,
          identifying,
        });
        await audit.record(tx, {
          type: 'privacy.erase',
          orgId,
          actor: actorOf(principal),
          target: { type: 'user', id: pseudonym },
          context,
          data: {
            audit_events_pseudonymised: events,
            sessions_ended: sessionsEnded,
            connectionIds: before.identities.map((i) => i.connectionId),
          },
        });
        return { pseudonym, sessionsEnded, auditEventsPseudonymised: events };
      });
    },

    async provisionFromIdentity(raw, context) {
      const parsed = ProvisionSchema.safeParse(raw);
      if (!parsed.success) {
        throw new AppError('invalid_identity', 'The identity asserted by the IdP is unusable.', {
          status: 400,
          fields: parsed.error.issues.map((i) => ({
            field: i.path.map(String).join('.'),
            message: i.message,
          })),
        });
      }
      const input = parsed.data;
      // A lost race (another login of the same identity created the user first) rolls
      // back nothing visible and finds that user on the next attempt.
      for (let attempt = 0; attempt < 3; attempt++) {
        const outcome = await db.transaction(async (tx) => {
          const store = userStore(tx);
          const now = clock.now();
          await assertConnectionOfOrg(tx, input.orgId, input.connectionId);
          const existing = await store.findByIdentityForUpdate(input.connectionId, input.subject);
          if (existing) {
            if (existing.orgId !== input.orgId) throw connectionMismatch();
            refuseDeactivated(existing);
            const profile: UserUpdate = {};
            if (input.email !== existing.email) profile.email = input.email;
            if (input.emailVerified !== existing.emailVerified) {
              profile.emailVerified = input.emailVerified;
            }
            if (input.name !== undefined && input.name !== existing.name) profile.name = input.name;
            if (input.roles && !sameRoles(input.roles, existing.roles)) {
              profile.roles = input.roles;
            }
            const changed = Object.keys(profile).length > 0;
            // A login alone does not change the ETag an admin holds; a profile change does.
            const result = await store.update(
              input.orgId,
              existing.id,
              { ...profile, lastLoginAt: now },
              now,
              null,
              changed,
            );
            if (!result.ok) throw notFound('user');
            if (changed) {
              await recordChange(
                tx,
                'admin.user.updated',
                SYSTEM,
                existing,
                result.value,
                context,
                {
                  reason: 'idp_login',
                  connectionId: input.connectionId,
                },
              );
            }
            return { user: result.value, created: false };
          }
          const user: User = {
            id: uuidv7(now.getTime()),
            orgId: input.orgId,
            email: input.email,
            emailVerified: input.emailVerified,
            name: input.name ?? null,
            roles: input.roles ?? [],
            status: 'active',
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
          await recordChange(tx, 'admin.user.provisioned', SYSTEM, null, user, context, {
            connectionId: input.connectionId,
          });
          return { user, created: true };
        });
        if (outcome) return outcome;
      }
      throw new AppError('provisioning_conflict', 'The user could not be provisioned; retry.', {
        status: 409,
      });
    },

    getUser: (userId) => userStore(db).getById(userId),
  };
}
