import type { Queryable } from '../platform/db/index.js';
import { orgStore } from './org-store.js';
import type { UserService } from './user-service.js';

/** What a signed-in member sees of themselves on their account page. */
export interface MemberProfile {
  email: string;
  name: string | null;
  orgName: string;
}

/**
 * A member's own profile, or null unless the user belongs to that org, the user is
 * active and the org is active: a disabled user or org sees no account page, whatever
 * session they still hold.
 */
export function memberProfiles(deps: {
  db: Queryable;
  users: Pick<UserService, 'getUser'>;
}): (orgId: string, userId: string) => Promise<MemberProfile | null> {
  return async (orgId, userId) => {
    const user = await deps.users.getUser(userId);
    const org = await orgStore(deps.db).get(orgId);
    if (!user || user.orgId !== orgId || user.status !== 'active') return null;
    if (org?.status !== 'active') return null;
    return { email: user.email, name: user.name, orgName: org.name };
  };
}
