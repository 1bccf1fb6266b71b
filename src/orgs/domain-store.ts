import type { Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';

export interface OrgDomain {
  id: string;
  orgId: string;
  /** Lower-case ASCII (IDN as punycode), no trailing dot. */
  domain: string;
  status: 'pending' | 'verified';
  /** What the org publishes at `_latchkey-challenge.<domain>`; never logged. */
  verificationToken: string;
  verificationMethod: 'dns' | 'attestation' | null;
  verifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

interface Row {
  id: string;
  org_id: string;
  domain: string;
  status: OrgDomain['status'];
  verification_token: string;
  verification_method: OrgDomain['verificationMethod'];
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const toDomain = (row: Row): OrgDomain => ({
  id: row.id,
  orgId: row.org_id,
  domain: row.domain,
  status: row.status,
  verificationToken: row.verification_token,
  verificationMethod: row.verification_method,
  verifiedAt: row.verified_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/**
 * Orgs' domain claims in SQL (PostgreSQL or PGlite), over a pool or a transaction. Every
 * method taking an org id sees that org's claims only. Contract:
 * test/contracts/domain-store.contract.test.ts.
 */
export interface DomainStore {
  get(orgId: string, id: string): Promise<OrgDomain | null>;
  /** Oldest first. */
  list(orgId: string, page: PageRequest): Promise<OrgDomain[]>;
  /** A new pending claim; null when the org has already claimed the domain (UNIQUE (org_id, domain)). */
  insertPending(claim: {
    id: string;
    orgId: string;
    domain: string;
    verificationToken: string;
    at: Date;
  }): Promise<OrgDomain | null>;
  /**
   * pending → verified; null when the claim is not pending (or not there). A second
   * verified claim of a domain fails with a unique violation (23505).
   */
  markVerified(
    orgId: string,
    id: string,
    method: 'dns' | 'attestation',
    at: Date,
  ): Promise<OrgDomain | null>;
  /** With an expected version, only that version is deleted. */
  delete(orgId: string, id: string, expectedVersion: number | null): Promise<boolean>;
  /** Whether a claim of the domain other than `exceptId` is verified (by any org). */
  verifiedElsewhere(domain: string, exceptId: string | null): Promise<boolean>;
  /** The org holding a verified claim of the (normalised) domain, if that org is active. */
  verifiedActiveOrg(domain: string): Promise<{ orgId: string } | null>;
}

export function domainStore(q: Queryable): DomainStore {
  return {
    async get(orgId, id) {
      const { rows } = await q.query<Row>(
        'SELECT * FROM org_domains WHERE id = $1 AND org_id = $2',
        [id, orgId],
      );
      return rows[0] ? toDomain(rows[0]) : null;
    },
    async list(orgId, page) {
      const { rows } = await q.query<Row>(
        `SELECT * FROM org_domains
         WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
         ORDER BY id LIMIT $3`,
        [orgId, page.afterId, page.limit + 1],
      );
      return rows.map(toDomain);
    },
    async insertPending(claim) {
      const { rows } = await q.query<Row>(
        `INSERT INTO org_domains (id, org_id, domain, status, verification_token, created_at, updated_at, version)
         VALUES ($1, $2, $3, 'pending', $4, $5, $5, 1)
         ON CONFLICT (org_id, domain) DO NOTHING RETURNING *`,
        [claim.id, claim.orgId, claim.domain, claim.verificationToken, claim.at],
      );
      return rows[0] ? toDomain(rows[0]) : null;
    },
    async markVerified(orgId, id, method, at) {
      const { rows } = await q.query<Row>(
        `UPDATE org_domains
         SET status = 'verified', verification_method = $3, verified_at = $4, updated_at = $4,
             version = version + 1
         WHERE id = $1 AND org_id = $2 AND status = 'pending' RETURNING *`,
        [id, orgId, method, at],
      );
      return rows[0] ? toDomain(rows[0]) : null;
    },
    async delete(orgId, id, expectedVersion) {
      const { rows } = await q.query<{ id: string }>(
        `DELETE FROM org_domains
         WHERE id = $1 AND org_id = $2 AND ($3::int IS NULL OR version = $3::int) RETURNING id`,
        [id, orgId, expectedVersion],
      );
      return rows.length > 0;
    },
    async verifiedElsewhere(domain, exceptId) {
      const { rows } = await q.query(
        `SELECT 1 FROM org_domains
         WHERE domain = $1 AND status = 'verified' AND ($2::uuid IS NULL OR id <> $2::uuid)`,
        [domain, exceptId],
      );
      return rows.length > 0;
    },
    async verifiedActiveOrg(domain) {
      const { rows } = await q.query<{ org_id: string }>(
        `SELECT d.org_id FROM org_domains d JOIN orgs o ON o.id = d.org_id
         WHERE d.domain = $1 AND d.status = 'verified' AND o.status = 'active'`,
        [domain],
      );
      return rows[0] ? { orgId: rows[0].org_id } : null;
    },
  };
}
