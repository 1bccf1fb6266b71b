import { orgReads, selectOne, type Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';
import type { PortalIntent, PortalLink } from './portal-link.js';

interface LinkRow {
  id: string;
  org_id: string;
  digest: string;
  intents: PortalIntent[];
  return_url: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

const toLink = (row: LinkRow): PortalLink => ({
  id: row.id,
  orgId: row.org_id,
  intents: row.intents,
  returnUrl: row.return_url,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
  revokedAt: row.revoked_at,
});

/**
 * Portal links in SQL, over a pool or a transaction. Every read that takes an org is
 * scoped to it: another org's link id is not found.
 */
export interface PortalLinkStore {
  insert(link: PortalLink, digest: string): Promise<void>;
  get(orgId: string, id: string, options?: { forUpdate?: boolean }): Promise<PortalLink | null>;
  /** An org's links in id order after the cursor, limit + 1 rows. */
  list(orgId: string, page: PageRequest): Promise<PortalLink[]>;
  revoke(id: string, at: Date): Promise<PortalLink | null>;
  /**
   * The link with this id, its digest and whether its org is active, whatever its org
   * (the exchange's lookup, and each portal request's).
   */
  credential(id: string): Promise<{ link: PortalLink; digest: string; orgActive: boolean } | null>;
  /**
   * Marks an unused, unrevoked, unexpired link used, in one statement: of two concurrent
   * exchanges, one gets the link and the other null.
   */
  markUsed(id: string, at: Date): Promise<PortalLink | null>;
}

export function portalLinkStore(q: Queryable): PortalLinkStore {
  const reads = orgReads(q, 'portal_links', toLink);
  return {
    async insert(l, digest) {
      await q.query(
        `INSERT INTO portal_links (id, org_id, digest, intents, return_url, created_by,
           created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [l.id, l.orgId, digest, l.intents, l.returnUrl, l.createdBy, l.createdAt, l.expiresAt],
      );
    },
    get: reads.get,
    list: reads.page,
    revoke(id, at) {
      return selectOne(
        q,
        `UPDATE portal_links SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING *`,
        [id, at],
        toLink,
      );
    },
    credential(id) {
      return selectOne(
        q,
        `SELECT l.*, o.status AS org_status FROM portal_links l JOIN orgs o ON o.id = l.org_id
         WHERE l.id = $1`,
        [id],
        (row: LinkRow & { org_status: string }) => ({
          link: toLink(row),
          digest: row.digest,
          orgActive: row.org_status === 'active',
        }),
      );
    },
    markUsed(id, at) {
      return selectOne(
        q,
        `UPDATE portal_links SET used_at = $2
         WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
         RETURNING *`,
        [id, at],
        toLink,
      );
    },
  };
}
