import { z } from 'zod';
import type { AuditEventType, AuditLog, RequestContext } from '../audit/index.js';
import { roleMapping } from '../connections/index.js';
import type { ProfileChanges } from '../orgs/index.js';
import type { Clock } from '../platform/clock.js';
import { sha256Hex } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import { parseInput } from '../platform/validation.js';
import {
  actorOf,
  adminEvent,
  assertOrgAccess,
  assertOrgExists,
  assertOrgVisible,
  notFound,
  staleWrite,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import {
  directoryStore,
  type Directory,
  type DirectoryPrincipal,
  type DirectoryStore,
  type DirectoryToken,
} from './directory-store.js';
import {
  createDirectoryActivity,
  DEFAULT_ACTIVITY_LIMITS,
  type ActivityLimits,
  type DirectoryActivity,
} from './directory-activity.js';
import { directorySyncReads, type DirectorySyncReads } from './directory-sync.js';
import { newDirectoryToken, refusalOf, tokenIdOf } from './directory-token-checks.js';
import { recomputeRoles } from './scim-group-roles.js';
import { scimUserStore } from './scim-user-store.js';

export const CreateDirectoryBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role_mapping: roleMapping.optional(),
});
/** PATCH: the group displayName → role mapping (the same shape and limits as a connection's). */
export const UpdateDirectoryBody = z.strictObject({ role_mapping: roleMapping });

export type { DirectoryPrincipal } from './directory-store.js';

export interface DirectoryService extends DirectorySyncReads {
  /** Records each answered SCIM request for the sync status (cheaply: see its limits). */
  activity: DirectoryActivity;
  create(
    orgId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Directory>;
  list(orgId: string, principal: AdminPrincipal, page: PageRequest): Promise<Page<Directory>>;
  get(orgId: string, id: string, principal: AdminPrincipal): Promise<Directory>;
  /**
   * A new role_mapping; every user the directory manages gets the roles its groups now map
   * to, in the same transaction. An empty mapping leaves their roles as they are.
   */
  update(
    orgId: string,
    id: string,
    body: unknown,
    expected: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Directory>;
  /** Idempotent: the directory's tokens stop working at once (they are checked per request). */
  disable(
    orgId: string,
    id: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<Directory>;
  /**
   * A new bearer token, shown in the result and nowhere else, ever. Every token that was
   * live keeps working for the configured overlap, then stops (a rotation).
   */
  issueToken(
    orgId: string,
    id: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<{ token: DirectoryToken; secret: string }>;
  listTokens(orgId: string, id: string, principal: AdminPrincipal): Promise<DirectoryToken[]>;
  /** Ends a token at once; idempotent. */
  revokeToken(
    orgId: string,
    id: string,
    tokenId: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /** The directory a presented token opens, for a request to `directoryId`'s endpoint. */
  authenticate(directoryId: string, presented: string): Promise<DirectoryPrincipal | null>;
}

/** An admin action on a directory, as its audit event (target: the directory). */
const directoryEvent = (
  principal: AdminPrincipal,
  context: RequestContext,
  event: { type: AuditEventType; orgId: string; id: string; data: Record<string, unknown> },
) =>
  adminEvent(principal, context, {
    type: event.type,
    orgId: event.orgId,
    target: { type: 'scim_directory', id: event.id },
    data: event.data,
  });

const load = async (store: DirectoryStore, orgId: string, id: string, forUpdate = false) => {
  const directory = await store.get(orgId, id, { forUpdate });
  if (!directory) throw notFound('SCIM directory');
  return directory;
};

interface DirectoryDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** How long a rotated-out token keeps working (config scim.tokenRotationOverlapSeconds). */
  rotationOverlapSeconds: number;
  /** Told of the users a committed role-mapping change may have given other roles. */
  profileChanges?: Pick<ProfileChanges, 'changed'>;
  /** Where a failed sync-status write is told (it never fails a SCIM request). */
  logger?: Pick<Logger, 'warn'>;
  /** How often the sync status is written; tests shorten or lengthen them. */
  activityLimits?: Partial<ActivityLimits>;
}

/** A new token; every live one of the directory ends at the overlap's end (a rotation). */
async function issueToken(
  { db, audit, clock, rotationOverlapSeconds }: DirectoryDeps,
  orgId: string,
  id: string,
  principal: AdminPrincipal,
  context: RequestContext,
): Promise<{ token: DirectoryToken; secret: string }> {
  assertOrgAccess(principal, orgId, 'SCIM directory');
  const now = clock.now();
  const token: DirectoryToken = {
    id: uuidv7(now.getTime()),
    directoryId: id,
    createdAt: now,
    expiresAt: null,
    revokedAt: null,
  };
  const secret = newDirectoryToken(token.id);
  const overlapEndsAt = new Date(now.getTime() + rotationOverlapSeconds * 1000);
  await db.transaction(async (tx) => {
    const store = directoryStore(tx);
    await load(store, orgId, id, true);
    const rotated = await store.endLiveTokensAt(id, now, overlapEndsAt);
    await store.insertToken(token, sha256Hex(secret));
    await audit.record(
      tx,
      directoryEvent(principal, context, {
        type: 'admin.scim_directory.token_issued',
        orgId,
        id,
        data: {
          token_id: token.id,
          previous_tokens_end_at: rotated ? overlapEndsAt.toISOString() : null,
        },
      }),
    );
  });
  return { token, secret };
}

/** PATCH: the new mapping, and every managed user's roles recomputed from it. */
async function updateRoleMapping(
  { db, audit, clock, profileChanges }: DirectoryDeps,
  request: {
    orgId: string;
    id: string;
    body: unknown;
    expected: number | null;
    principal: AdminPrincipal;
    context: RequestContext;
  },
): Promise<Directory> {
  const { orgId, id, principal, context } = request;
  assertOrgAccess(principal, orgId, 'SCIM directory');
  const input = parseInput(UpdateDirectoryBody, request.body);
  const changed = await db.transaction(async (tx) => {
    const store = directoryStore(tx);
    const before = await load(store, orgId, id, true);
    if (request.expected !== null && request.expected !== before.version) throw staleWrite();
    const now = clock.now();
    const after = await store.setRoleMapping(orgId, id, input.role_mapping, now);
    const users = await scimUserStore(tx).list(id, {});
    const change = {
      orgId,
      directoryId: id,
      actor: actorOf(principal),
      context,
      data: { directory_id: id, reason: 'directory_role_mapping' },
    };
    const roleEvents = await recomputeRoles(
      tx,
      now,
      change,
      after.roleMapping,
      users.map((u) => u.id),
    );
    // Recorded last: the org's audit chain is locked from the first record to the commit.
    await audit.recordAll(tx, [
      directoryEvent(principal, context, {
        type: 'admin.scim_directory.updated',
        orgId,
        id,
        data: { name: after.name, before: before.roleMapping, after: after.roleMapping },
      }),
      ...roleEvents,
    ]);
    return { after, userIds: users.map((u) => u.id) };
  });
  profileChanges?.changed(changed.userIds);
  return changed.after;
}

export function createDirectoryService(deps: DirectoryDeps): DirectoryService {
  const { db, audit, clock } = deps;
  const what = 'SCIM directory';
  const limits = { ...DEFAULT_ACTIVITY_LIMITS, ...deps.activityLimits };
  const logger = deps.logger ?? createLogger({ level: 'warn' });

  return {
    activity: createDirectoryActivity({ db, clock, logger, limits }),
    ...directorySyncReads({ db, limits }),
    async create(orgId, body, principal, context) {
      assertOrgAccess(principal, orgId);
      const input = parseInput(CreateDirectoryBody, body);
      const now = clock.now();
      const directory: Directory = {
        id: uuidv7(now.getTime()),
        orgId,
        name: input.name,
        status: 'active',
        roleMapping: input.role_mapping ?? {},
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await db.transaction(async (tx) => {
        await assertOrgExists(tx, orgId);
        await directoryStore(tx).insert(directory);
        await audit.record(
          tx,
          directoryEvent(principal, context, {
            type: 'admin.scim_directory.created',
            orgId,
            id: directory.id,
            data: { name: directory.name, role_mapping: directory.roleMapping },
          }),
        );
      });
      return directory;
    },

    update: (orgId, id, body, expected, principal, context) =>
      updateRoleMapping(deps, { orgId, id, body, expected, principal, context }),

    async list(orgId, principal, page) {
      assertOrgAccess(principal, orgId);
      await assertOrgVisible(db, principal, orgId);
      return toPage(await directoryStore(db).list(orgId, page), page, (d) => d.id);
    },

    async get(orgId, id, principal) {
      assertOrgAccess(principal, orgId, what);
      return load(directoryStore(db), orgId, id);
    },

    async disable(orgId, id, principal, context) {
      assertOrgAccess(principal, orgId, what);
      return db.transaction(async (tx) => {
        const store = directoryStore(tx);
        const before = await load(store, orgId, id, true);
        if (before.status === 'disabled') return before;
        const after = await store.setStatus(orgId, id, 'disabled', clock.now());
        await audit.record(
          tx,
          directoryEvent(principal, context, {
            type: 'admin.scim_directory.disabled',
            orgId,
            id,
            data: { name: after.name },
          }),
        );
        return after;
      });
    },

    issueToken: (orgId, id, principal, context) => issueToken(deps, orgId, id, principal, context),

    async listTokens(orgId, id, principal) {
      assertOrgAccess(principal, orgId, what);
      const store = directoryStore(db);
      await load(store, orgId, id);
      return store.listTokens(id);
    },

    async revokeToken(orgId, id, tokenId, principal, context) {
      assertOrgAccess(principal, orgId, what);
      await db.transaction(async (tx) => {
        const store = directoryStore(tx);
        await load(store, orgId, id, true);
        const token = await store.getToken(id, tokenId);
        if (!token) throw notFound('SCIM directory token');
        if (token.revokedAt) return;
        await store.revokeToken(tokenId, clock.now());
        await audit.record(
          tx,
          directoryEvent(principal, context, {
            type: 'admin.scim_directory.token_revoked',
            orgId,
            id,
            data: { token_id: tokenId },
          }),
        );
      });
    },

    async authenticate(directoryId, presented) {
      const tokenId = tokenIdOf(presented);
      if (!tokenId) return null;
      const credential = await directoryStore(db).credential(tokenId);
      if (!credential) return null;
      if (refusalOf({ presented, directoryId, credential, now: clock.now() })) return null;
      return { directoryId, orgId: credential.orgId, tokenId };
    },
  };
}
