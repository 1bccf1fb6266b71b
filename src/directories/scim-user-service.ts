import type { AuditEventType, AuditLog } from '../audit/index.js';
import {
  userChangeEvent,
  userStore,
  type ProfileChanges,
  type SessionTerminator,
  type User,
} from '../orgs/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { applyPatch, coerceIn, matchesFilter, scimError, type ScimUserData } from './scim/index.js';
import {
  actorOf,
  assertIfMatch,
  eventData,
  rethrowUniqueAs,
  notFound,
  UUID,
  type ScimCaller,
  type ScimResourceService,
} from './scim-resource.js';
import { recomputeForScimWrite } from './scim-group-roles.js';
import { assertOrgDomain, findLinkTarget, uniqueness, type LinkedBy } from './scim-user-linking.js';
import {
  normalisePatch,
  normaliseUserBody,
  profileOf,
  scimJsonOf,
  type ScimProfile,
} from './scim-user-profile.js';
import {
  assertGroupsNotPatched,
  filterReadsGroups,
  projectionShowsGroups,
  withGroups,
  withoutGroups,
} from './scim-user-groups.js';
import { scimUserStore, type ScimUser } from './scim-user-store.js';

export type { ScimCaller } from './scim-resource.js';

/** Users (RFC 7643 §4.1); DELETE keeps the Latchkey user, deactivated, its sessions ended. */
export type ScimUserService = ScimResourceService<ScimUser>;

interface ScimDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** The same session end path as the admin API's deactivate (wiring.ts sessionTerminator). */
  sessions: SessionTerminator;
  /** Told of every committed change of a user (its next token here carries it). */
  profileChanges?: Pick<ProfileChanges, 'changed'>;
}

const externalIdOf = (data: ScimUserData) =>
  typeof data.externalId === 'string' && data.externalId !== '' ? data.externalId : null;

/** The event of a SCIM write: a status change says so, anything else is an update. */
const eventTypeOf = (before: User, after: User): AuditEventType =>
  before.status === after.status
    ? 'scim.user.updated'
    : after.status === 'active'
      ? 'scim.user.reactivated'
      : 'scim.user.deactivated';

const statusOf = (profile: ScimProfile): User['status'] =>
  profile.active ? 'active' : 'deactivated';

/** After the commit, as the admin API's deactivate does: no login can slip between. */
const endSessionsIfInactive = async (sessions: SessionTerminator, user: User) => {
  if (user.status === 'deactivated') {
    await sessions.endAllForUser(user.orgId, user.id, 'user_deactivated');
  }
};

const rethrowUnique = rethrowUniqueAs(uniqueness);

/** A user of the caller's directory and its Latchkey user; 404 for anything else. */
async function load(tx: Queryable, caller: ScimCaller, id: string, forUpdate: boolean) {
  if (!UUID.test(id)) throw notFound(id);
  const scim = await scimUserStore(tx).get(caller.directory.directoryId, id, { forUpdate });
  const user = scim && (await userStore(tx).get(caller.directory.orgId, id, { forUpdate }));
  if (!scim || !user) throw notFound(id);
  return { scim, user };
}

/** The Latchkey user of a new SCIM user: an existing one of the org, linked, or a new one. */
async function linkOrCreate(
  tx: Queryable,
  caller: ScimCaller,
  data: ScimUserData,
  profile: ScimProfile,
  now: Date,
): Promise<{ before: User | null; after: User; linkedBy: LinkedBy }> {
  const { orgId, directoryId } = caller.directory;
  const link = await findLinkTarget(tx, {
    orgId,
    directoryId,
    userName: data.userName as string,
    externalId: externalIdOf(data),
    email: profile.email,
  });
  const users = userStore(tx);
  if (link.userId) {
    const before = await users.get(orgId, link.userId, { forUpdate: true });
    if (!before) throw uniqueness();
    const changes = {
      email: profile.email,
      name: profile.name,
      status: statusOf(profile),
      scimDirectoryId: directoryId,
    };
    const result = await users.update(orgId, before.id, changes, now, null);
    if (!result.ok) throw uniqueness();
    return { before, after: result.value, linkedBy: link.linkedBy };
  }
  const after: User = {
    id: uuidv7(now.getTime()),
    orgId,
    email: profile.email,
    emailVerified: false,
    name: profile.name,
    roles: [],
    status: statusOf(profile),
    identities: [],
    scimDirectoryId: directoryId,
    lastLoginAt: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await users.insert(after);
  return { before: null, after, linkedBy: 'new' };
}

/** POST /Users: a new SCIM user, linked to the org's Latchkey user of that person, if any. */
async function createUser(deps: ScimDeps, caller: ScimCaller, body: unknown): Promise<ScimUser> {
  const data = coerceIn('User', normaliseUserBody(body));
  const profile = profileOf(data);
  const { orgId, directoryId } = caller.directory;
  const created = await deps.db
    .transaction(async (tx) => {
      await assertOrgDomain(tx, orgId, profile.email);
      const userName = data.userName as string;
      const externalId = externalIdOf(data);
      const now = deps.clock.now();
      const { before, after, linkedBy } = await linkOrCreate(tx, caller, data, profile, now);
      const scim: ScimUser = {
        id: after.id,
        directoryId,
        userName,
        externalId,
        resource: data,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await scimUserStore(tx).insert(scim);
      const extra = eventData(caller, { linked_by: linkedBy });
      // A linked user's roles from elsewhere give way to the directory's (no groups yet);
      // a new one has none, as its no groups give.
      const linked = linkedBy === 'new' ? [] : [after.id];
      const roleEvents = await recomputeForScimWrite(tx, now, caller, linked);
      await deps.audit.recordAll(tx, [
        userChangeEvent('scim.user.created', actorOf(caller), before, after, caller.context, extra),
        ...roleEvents,
      ]);
      return { scim, user: after };
    })
    .catch(rethrowUnique);
  deps.profileChanges?.changed([created.user.id]);
  await endSessionsIfInactive(deps.sessions, created.user);
  return created.scim;
}

/** PUT and PATCH: a new resource over a user of the directory, its profile over the Latchkey user. */
async function writeUser(
  deps: ScimDeps,
  caller: ScimCaller,
  id: string,
  ifMatch: string | undefined,
  next: (current: ScimUser) => Promise<ScimUserData | null> | ScimUserData | null,
): Promise<ScimUser> {
  const { orgId, directoryId } = caller.directory;
  const written = await deps.db
    .transaction(async (tx) => {
      const { scim, user } = await load(tx, caller, id, true);
      assertIfMatch(ifMatch, scim);
      const data = await next(scim);
      if (!data) return { scim, user };
      const profile = profileOf(data);
      if (profile.email.toLowerCase() !== user.email.toLowerCase()) {
        await assertOrgDomain(tx, orgId, profile.email);
      }
      const userName = data.userName as string;
      const externalId = externalIdOf(data);
      if (await scimUserStore(tx).taken(directoryId, userName, externalId, id)) throw uniqueness();
      const now = deps.clock.now();
      const updated = await scimUserStore(tx).update(
        { ...scim, userName, externalId, resource: data },
        now,
      );
      const changes = { email: profile.email, name: profile.name, status: statusOf(profile) };
      const result = await userStore(tx).update(orgId, id, changes, now, null);
      if (!result.ok) throw notFound(id);
      const type = eventTypeOf(user, result.value);
      await deps.audit.record(
        tx,
        userChangeEvent(
          type,
          actorOf(caller),
          user,
          result.value,
          caller.context,
          eventData(caller),
        ),
      );
      return { scim: updated, user: result.value };
    })
    .catch(rethrowUnique);
  deps.profileChanges?.changed([written.user.id]);
  await endSessionsIfInactive(deps.sessions, written.user);
  return written.scim;
}

/** DELETE: the resource goes; the Latchkey user stays, deactivated, and its sessions end. */
async function removeUser(deps: ScimDeps, caller: ScimCaller, id: string, ifMatch?: string) {
  const { orgId, directoryId } = caller.directory;
  const removed = await deps.db.transaction(async (tx) => {
    const { scim, user } = await load(tx, caller, id, true);
    assertIfMatch(ifMatch, scim);
    const changes = { status: 'deactivated' as const };
    const result = await userStore(tx).update(orgId, id, changes, deps.clock.now(), null);
    if (!result.ok) throw notFound(id);
    await scimUserStore(tx).delete(directoryId, id);
    // Its memberships went with it: the roles they gave go too.
    const roleEvents = await recomputeForScimWrite(tx, deps.clock.now(), caller, [id]);
    await deps.audit.recordAll(tx, [
      ...roleEvents,
      userChangeEvent(
        'scim.user.deleted',
        actorOf(caller),
        user,
        result.value,
        caller.context,
        eventData(caller),
      ),
    ]);
    return result.value;
  });
  // The Latchkey user is kept: a later sign-in through SSO would otherwise provision it
  // afresh, just in time, and the deprovisioned person would be back.
  deps.profileChanges?.changed([removed.id]);
  await deps.sessions.endAllForUser(removed.orgId, removed.id, 'user_deleted');
}

export function createScimUserService(deps: ScimDeps): ScimUserService {
  /** A user as a read shows it: with its groups (RFC 7643 §4.1.2). */
  const shown = async (caller: ScimCaller, user: ScimUser) =>
    (await withGroups(deps.db, caller.directory.directoryId, [user]))[0]!;
  return {
    create: (caller, body) => createUser(deps, caller, body),
    get: async (caller, id) => shown(caller, (await load(deps.db, caller, id, false)).scim),
    replace: async (caller, id, body, ifMatch) =>
      shown(
        caller,
        await writeUser(deps, caller, id, ifMatch, () => coerceIn('User', normaliseUserBody(body))),
      ),
    patch: async (caller, id, message, ifMatch) =>
      shown(
        caller,
        await writeUser(deps, caller, id, ifMatch, async (current) => {
          const normalised = normalisePatch(message);
          assertGroupsNotPatched(normalised);
          const patched = await applyPatch('User', current.resource, normalised);
          // RFC 7643 §3.1: `id` is assigned by the service provider and never changes.
          if (patched && 'id' in patched) {
            throw scimError(400, 'mutability', "The attribute 'id' is read-only.");
          }
          return patched && withoutGroups(patched);
        }),
      ),
    remove: (caller, id, ifMatch) => removeUser(deps, caller, id, ifMatch),
    count: (caller) => scimUserStore(deps.db).count(caller.directory.directoryId),
    async list(caller, filter) {
      const { directoryId } = caller.directory;
      const { name, externalId } = filter?.narrowing ?? {};
      let users = await scimUserStore(deps.db).list(directoryId, { userName: name, externalId });
      if (!filter) return users;
      if (filterReadsGroups(filter)) {
        const narrowed = name !== undefined || externalId !== undefined;
        users = await withGroups(deps.db, directoryId, users, narrowed ? 'these' : 'directory');
      }
      return users.filter((user) => matchesFilter(filter, scimJsonOf(user, '')));
    },
    completePage: (caller, page, projection) =>
      projectionShowsGroups(projection)
        ? withGroups(deps.db, caller.directory.directoryId, page)
        : Promise.resolve(page),
  };
}
