import type { AuditEventType, AuditLog } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import type { ProfileChanges } from '../orgs/index.js';
import type { Database, Queryable } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { applyPatch, coerceIn, matchesFilter, scimError, type ScimData } from './scim/index.js';
import { recomputeForScimWrite } from './scim-group-roles.js';
import { scimGroupStore, type ScimGroup } from './scim-group-store.js';
import {
  actorOf,
  assertIfMatch,
  eventData,
  rethrowUniqueAs,
  notFound,
  UUID,
  withMeta,
  type ScimCaller,
  type ScimResourceService,
} from './scim-resource.js';

/** Groups (RFC 7643 §4.2) whose members are users of the same directory. */
export type ScimGroupService = ScimResourceService<ScimGroup>;

interface ScimGroupDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** Told of the members whose roles a committed group write may have changed. */
  profileChanges?: Pick<ProfileChanges, 'changed'>;
}

const uniqueness = () =>
  scimError(409, 'uniqueness', 'A group with this externalId already exists.');
const rethrowUnique = rethrowUniqueAs(uniqueness);

/** The group as SCIM JSON with id, meta and members (before any projection). */
export const groupJsonOf = (group: ScimGroup, location: string, usersUrl: string) =>
  withMeta('Group', group, { ...group.resource, members: membersJson(group, usersUrl) }, location);

const membersJson = (group: ScimGroup, usersUrl: string) =>
  group.members.map((id) => ({ value: id, $ref: `${usersUrl}/${id}`, type: 'User' }));

/**
 * The member ids of a coerced group: each a user of the caller's directory, else 400
 * invalidValue (never a user of another directory or org, never a nested group). The ids
 * not among `members` (the group's, read under its lock) are checked, and locked until the
 * commit: a user deleted meanwhile waits for the write rather than breaking it.
 */
async function memberIdsOf(
  tx: Queryable,
  caller: ScimCaller,
  data: ScimData,
  current: string[] = [],
) {
  const members = (Array.isArray(data.members) ? data.members : []) as Array<{
    value?: unknown;
    type?: unknown;
  }>;
  const ids = new Set<string>();
  for (const member of members) {
    if (typeof member.type === 'string' && member.type.toLowerCase() !== 'user') {
      throw scimError(400, 'invalidValue', 'Only users can be members of a group.');
    }
    const id = typeof member.value === 'string' ? member.value.trim().toLowerCase() : '';
    if (!UUID.test(id)) throw scimError(400, 'invalidValue', `No user '${String(member.value)}'.`);
    ids.add(id);
  }
  const held = new Set(current);
  const joining = [...ids].filter((id) => !held.has(id));
  const unknown = await scimGroupStore(tx).notUsersOf(caller.directory.directoryId, joining);
  if (unknown.length) {
    throw scimError(400, 'invalidValue', `Not users of this directory: ${unknown.join(', ')}.`);
  }
  return [...ids].sort();
}

/** What is stored of a coerced group: its members live in their own table. */
function groupFields(data: ScimData) {
  const resource = { ...data };
  delete resource.members;
  const externalId =
    typeof data.externalId === 'string' && data.externalId !== '' ? data.externalId : null;
  return { resource, displayName: String(data.displayName), externalId };
}

const difference = (a: string[], b: string[]) => {
  const other = new Set(b);
  return a.filter((id) => !other.has(id));
};

async function load(tx: Queryable, caller: ScimCaller, id: string, forUpdate: boolean) {
  if (!UUID.test(id)) throw notFound(id);
  const group = await scimGroupStore(tx).get(caller.directory.directoryId, id, { forUpdate });
  if (!group) throw notFound(id);
  return group;
}

function groupEvent(
  type: AuditEventType,
  caller: ScimCaller,
  group: ScimGroup,
  extra: Record<string, unknown>,
) {
  return {
    type,
    orgId: caller.directory.orgId,
    actor: actorOf(caller),
    target: { type: 'scim_group', id: group.id },
    context: caller.context,
    data: eventData(caller, { display_name: group.displayName, ...extra }),
  };
}

async function createGroup(deps: ScimGroupDeps, caller: ScimCaller, body: unknown) {
  const data = coerceIn('Group', body);
  const { directoryId } = caller.directory;
  const group = await deps.db
    .transaction(async (tx) => {
      const fields = groupFields(data);
      const store = scimGroupStore(tx);
      if (fields.externalId && (await store.externalIdTaken(directoryId, fields.externalId, null)))
        throw uniqueness();
      const members = await memberIdsOf(tx, caller, data);
      const now = deps.clock.now();
      const group: ScimGroup = {
        id: uuidv7(now.getTime()),
        directoryId,
        ...fields,
        members,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await store.insert(group);
      const roleEvents = await recomputeForScimWrite(tx, now, caller, members);
      await deps.audit.recordAll(tx, [
        groupEvent('scim.group.created', caller, group, { members_added: members }),
        ...roleEvents,
      ]);
      return group;
    })
    .catch(rethrowUnique);
  deps.profileChanges?.changed(group.members);
  return group;
}

/** PUT and PATCH: the group's new resource and members; the users whose groups changed are recomputed. */
async function writeGroup(
  deps: ScimGroupDeps,
  caller: ScimCaller,
  id: string,
  ifMatch: string | undefined,
  next: (current: ScimGroup) => Promise<ScimData | null> | ScimData,
) {
  const { directoryId } = caller.directory;
  const written = await deps.db
    .transaction(async (tx) => {
      const current = await load(tx, caller, id, true);
      assertIfMatch(ifMatch, current);
      const data = await next(current);
      if (!data) return { group: current, affected: [] };
      const fields = groupFields(data);
      const store = scimGroupStore(tx);
      if (fields.externalId && (await store.externalIdTaken(directoryId, fields.externalId, id)))
        throw uniqueness();
      const members = await memberIdsOf(tx, caller, data, current.members);
      const now = deps.clock.now();
      const added = difference(members, current.members);
      const removed = difference(current.members, members);
      const group = { ...current, ...fields, members };
      const updated = await store.update(group, now, { added, removed });
      const renamed = current.displayName !== updated.displayName;
      // A rename changes the roles of every member (the mapping is keyed by name).
      const affected = renamed ? [...new Set([...members, ...removed])] : [...added, ...removed];
      const roleEvents = await recomputeForScimWrite(tx, now, caller, affected);
      await deps.audit.recordAll(tx, [
        groupEvent('scim.group.updated', caller, updated, {
          ...(renamed ? { previous_display_name: current.displayName } : {}),
          members_added: added,
          members_removed: removed,
        }),
        ...roleEvents,
      ]);
      return { group: updated, affected };
    })
    .catch(rethrowUnique);
  deps.profileChanges?.changed(written.affected);
  return written.group;
}

async function removeGroup(deps: ScimGroupDeps, caller: ScimCaller, id: string, ifMatch?: string) {
  const removed = await deps.db.transaction(async (tx) => {
    const group = await load(tx, caller, id, true);
    assertIfMatch(ifMatch, group);
    await scimGroupStore(tx).delete(caller.directory.directoryId, id);
    const roleEvents = await recomputeForScimWrite(tx, deps.clock.now(), caller, group.members);
    await deps.audit.recordAll(tx, [
      groupEvent('scim.group.deleted', caller, group, { members_removed: group.members }),
      ...roleEvents,
    ]);
    return group;
  });
  deps.profileChanges?.changed(removed.members);
}

/** The group as PATCH sees it: its resource with its members as `{value}` elements. */
const patchable = (group: ScimGroup) => ({
  ...group.resource,
  displayName: group.displayName,
  members: group.members.map((value) => ({ value })),
});

export function createScimGroupService(deps: ScimGroupDeps): ScimGroupService {
  return {
    create: (caller, body) => createGroup(deps, caller, body),
    get: (caller, id) => load(deps.db, caller, id, false),
    replace: (caller, id, body, ifMatch) =>
      writeGroup(deps, caller, id, ifMatch, () => coerceIn('Group', body)),
    patch: (caller, id, message, ifMatch) =>
      writeGroup(deps, caller, id, ifMatch, async (current) => {
        const patched = await applyPatch('Group', patchable(current), message);
        if (!patched || !('id' in patched)) return patched;
        // RFC 7643 §3.1: `id` is assigned by the service provider and never changes. Okta's
        // rename sends the id it holds beside the new name: the same id is no change.
        if (patched.id !== current.id) {
          throw scimError(400, 'mutability', "The attribute 'id' is read-only.");
        }
        const { id: _id, ...rest } = patched;
        return rest;
      }),
    remove: (caller, id, ifMatch) => removeGroup(deps, caller, id, ifMatch),
    count: (caller) => scimGroupStore(deps.db).count(caller.directory.directoryId),
    async list(caller, filter) {
      const groups = await scimGroupStore(deps.db).list(caller.directory.directoryId, {
        displayName: filter?.narrowing.name,
        externalId: filter?.narrowing.externalId,
      });
      if (!filter) return groups;
      return groups.filter((group) => matchesFilter(filter, groupJsonOf(group, '', '')));
    },
  };
}
