// A user's `groups` attribute (RFC 7643 §4.1.2): the directory's groups that have the user
// as a direct member. It is read-only (mutability readOnly): filled in from the memberships
// when a user is shown, never stored with the user, and changed only through /Groups.
import type { Queryable } from '../platform/db/index.js';
import { CORE_USER, scimError, type ParsedFilter } from './scim/index.js';
import type { ScimProjection } from './scim-resource.js';
import { scimUserStore, type ScimUser } from './scim-user-store.js';

/** Whether an attribute path names `groups` or one of its sub-attributes. */
function isGroupsPath(path: unknown): boolean {
  if (typeof path !== 'string') return false;
  let name = path.trim().toLowerCase();
  const core = `${CORE_USER.toLowerCase()}:`;
  if (name.startsWith(core)) name = name.slice(core.length);
  return /^groups($|[.[\s])/.test(name);
}

/**
 * The `groups` of a user as SCIM JSON. `location` is the user's own (…/Users/{id}): the
 * groups' `$ref` sit beside it, under …/Groups. Every membership is direct: a group member
 * that is a group is refused, so there is no indirect one.
 */
export function groupsJson(user: ScimUser, location: string) {
  if (!user.groups?.length) return undefined;
  const at = location.lastIndexOf('/Users/');
  const groupsUrl = at < 0 ? null : `${location.slice(0, at)}/Groups`;
  return user.groups.map((group) => ({
    value: group.id,
    ...(groupsUrl ? { $ref: `${groupsUrl}/${group.id}` } : {}),
    display: group.displayName,
    type: 'direct',
  }));
}

/** The users, each with its groups: one query for all of them, none for an empty list. */
export async function withGroups(
  q: Queryable,
  directoryId: string,
  users: ScimUser[],
  scope: 'these' | 'directory' = 'these',
): Promise<ScimUser[]> {
  const missing = users.filter((user) => !user.groups);
  if (!missing.length) return users;
  const ids = scope === 'directory' ? 'all' : missing.map((user) => user.id);
  const groups = await scimUserStore(q).groupsOf(directoryId, ids);
  return users.map((user) => (user.groups ? user : { ...user, groups: groups.get(user.id) ?? [] }));
}

type FilterNode = { attrPath?: unknown; filters?: FilterNode[]; filter?: FilterNode };

/**
 * Whether a filter reads `groups` (then the users need their groups before it is applied).
 * A value filter (`groups[value eq "…"]`) names its attribute in its own attrPath; the
 * paths inside it are relative to that attribute.
 */
export function filterReadsGroups(filter: ParsedFilter): boolean {
  const reads = (node: FilterNode | undefined): boolean =>
    !!node &&
    (isGroupsPath(node.attrPath) || (node.filters ?? []).some(reads) || reads(node.filter));
  return reads(filter.ast);
}

/** Whether the response shows `groups` under this projection (RFC 7644 §3.9). */
export function projectionShowsGroups(projection: ScimProjection): boolean {
  const names = (list: string | undefined) => (list ?? '').split(',').filter((n) => n.trim());
  if (projection.attributes) return names(projection.attributes).some(isGroupsPath);
  return !names(projection.excludedAttributes).some(isGroupsPath);
}

/**
 * RFC 7644 §3.5.2: an operation on a readOnly attribute is refused (400 mutability) and the
 * whole PATCH with it. A `groups` inside a value without a path (a whole resource, as in a
 * PUT) is ignored instead: RFC 7644 §3.5.1 has a PUT's readOnly values ignored.
 */
export function assertGroupsNotPatched(message: unknown): void {
  const operations = (message as { Operations?: unknown } | null)?.Operations;
  if (!Array.isArray(operations)) return;
  for (const operation of operations as Array<{ path?: unknown } | null>) {
    if (isGroupsPath(operation?.path)) {
      throw scimError(
        400,
        'mutability',
        "The attribute 'groups' is read-only: change a group's members through /Groups.",
      );
    }
  }
}

/** The resource without `groups` (readOnly, RFC 7643 §2.2): what a write may store. */
export function withoutGroups<T extends Record<string, unknown>>(data: T): T {
  const key = Object.keys(data).find((k) => k.toLowerCase() === 'groups');
  if (key === undefined) return data;
  const kept = { ...data };
  delete kept[key];
  return kept;
}
