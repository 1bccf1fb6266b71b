// Groups → roles (issue 17): a directory-managed user's roles are the mapped roles of the
// groups it is a member of in that directory, when the directory's role_mapping is not
// empty. Recomputed in the transaction of every write that can change them.
import type { AuditActor, AuditEventInput, RequestContext } from '../audit/index.js';
import { userChangeEvent, userStore } from '../orgs/index.js';
import type { Queryable } from '../platform/db/index.js';
import { roleMappingOf } from './directory-store.js';
import { scimGroupStore } from './scim-group-store.js';
import { actorOf, type ScimCaller } from './scim-resource.js';

/** Who changed what the roles come from, for the users' audit events. */
export interface RoleChange {
  orgId: string;
  directoryId: string;
  actor: AuditActor;
  context: RequestContext | null;
  /** Added to each user event's data: directory_id, token_id, the reason. */
  data: Record<string, unknown>;
}

/** The roles the mapping gives to these group names: distinct, sorted. */
export const mappedRoles = (mapping: Record<string, string>, groupNames: string[]): string[] =>
  [
    ...new Set(
      groupNames.flatMap((name) => (Object.hasOwn(mapping, name) ? [mapping[name]!] : [])),
    ),
  ].sort();

const sameRoles = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().every((role, i) => role === [...b].sort()[i]);

/**
 * Sets each user's roles to what its groups in the directory map to, and returns the
 * `scim.user.updated` event of every change (the user-change event, with `reason`) for the
 * caller to record with its own, last thing in its transaction: recording takes the org's
 * audit chain lock until the commit, and every SCIM write of the org waits for it. Users
 * the directory does not manage are left alone; an empty mapping changes nobody.
 */
export async function recomputeRoles(
  tx: Queryable,
  now: Date,
  change: RoleChange,
  mapping: Record<string, string>,
  userIds: Iterable<string>,
): Promise<AuditEventInput[]> {
  if (!Object.keys(mapping).length) return [];
  // Set-based: one locking read of the users, one of their groups, one update of those
  // whose roles change, whatever the number of members (a first push of a large group).
  const users = userStore(tx);
  const locked = await users.getManyForUpdate(change.orgId, [...new Set(userIds)]);
  const managed = locked.filter((user) => user.scimDirectoryId === change.directoryId);
  const names = await scimGroupStore(tx).groupNamesOf(
    change.directoryId,
    managed.map((user) => user.id),
  );
  const changes = new Map<string, string[]>();
  for (const user of managed) {
    const roles = mappedRoles(mapping, names.get(user.id) ?? []);
    if (!sameRoles(roles, user.roles)) changes.set(user.id, roles);
  }
  const before = new Map(managed.map((user) => [user.id, user]));
  const after = await users.setRoles(change.orgId, changes, now);
  return after.map((user) =>
    userChangeEvent(
      'scim.user.updated',
      change.actor,
      before.get(user.id)!,
      user,
      change.context,
      change.data,
    ),
  );
}

/** After a SCIM write by the caller's directory: the users' roles from the directory's mapping. */
export async function recomputeForScimWrite(
  tx: Queryable,
  now: Date,
  caller: ScimCaller,
  userIds: Iterable<string>,
): Promise<AuditEventInput[]> {
  const ids = [...userIds];
  if (!ids.length) return [];
  const { directoryId, orgId, tokenId } = caller.directory;
  const mapping = await roleMappingOf(tx, directoryId);
  const change: RoleChange = {
    orgId,
    directoryId,
    actor: actorOf(caller),
    context: caller.context,
    data: { directory_id: directoryId, token_id: tokenId, reason: 'group_roles' },
  };
  return recomputeRoles(tx, now, change, mapping, ids);
}
