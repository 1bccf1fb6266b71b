import { findVerifiedDomainOrg } from '../orgs/index.js';
import type { Queryable } from '../platform/db/index.js';
import { scimError } from './scim/index.js';
import { emailDomainOf } from './scim-user-profile.js';
import { scimUserStore, type LinkCandidate } from './scim-user-store.js';

/** How a new SCIM user found its Latchkey user. */
export type LinkedBy = 'external_id' | 'email' | 'new';

const conflict = (message: string) => scimError(409, 'uniqueness', message);

/** The directory has a user of this userName or externalId already. */
export const uniqueness = () => conflict('A user with this userName or externalId already exists.');

/**
 * A directory speaks only for its org's own domains: an address outside the org's verified
 * domains is refused, so a directory can never reach (or link to) another org's people.
 */
export async function assertOrgDomain(tx: Queryable, orgId: string, email: string): Promise<void> {
  const owner = await findVerifiedDomainOrg(tx, emailDomainOf(email));
  if (owner?.orgId !== orgId) {
    throw scimError(
      400,
      'invalidValue',
      `The email domain ${emailDomainOf(email)} is not a verified domain of this org.`,
    );
  }
}

/** The one candidate a link may take, null when there is none; 409 when it is ambiguous or taken. */
function pick(candidates: LinkCandidate[], directoryId: string): LinkCandidate | null {
  if (candidates.length > 1) {
    throw conflict('More than one user of this org matches; the user cannot be linked.');
  }
  const [candidate] = candidates;
  if (!candidate) return null;
  // Managed by another directory, or already a user of this one: never a second owner.
  if (
    candidate.provisioned ||
    (candidate.scimDirectoryId && candidate.scimDirectoryId !== directoryId)
  ) {
    throw conflict('A user with this identity is already provisioned.');
  }
  return candidate;
}

/**
 * The Latchkey user a new SCIM user is linked to, within the directory's org only: the one
 * whose upstream identity at one of the org's connections has the SCIM externalId as its
 * subject (OIDC `sub`, SAML NameID), else the one with the same email address (the domain
 * is one of the org's verified domains, checked before), else none (a new user). A
 * userName or externalId the directory has already is 409 `uniqueness`.
 */
export async function findLinkTarget(
  tx: Queryable,
  input: {
    orgId: string;
    directoryId: string;
    userName: string;
    externalId: string | null;
    email: string;
  },
): Promise<{ userId: string | null; linkedBy: LinkedBy }> {
  const probe = await scimUserStore(tx).createProbe(input);
  if (probe.taken) throw uniqueness();
  const bySubject = pick(probe.bySubject, input.directoryId);
  if (bySubject) return { userId: bySubject.id, linkedBy: 'external_id' };
  const byEmail = pick(probe.byEmail, input.directoryId);
  if (byEmail) return { userId: byEmail.id, linkedBy: 'email' };
  return { userId: null, linkedBy: 'new' };
}
