import { selectOne, type Queryable } from '../platform/db/index.js';
import type { PageRequest } from '../platform/pagination.js';
import type { VersionedWrite } from '../platform/admin/index.js';

export interface OrgSettings {
  sessionIdleTimeoutSeconds: number;
  sessionAbsoluteLifetimeSeconds: number;
  maxSessionsPerUser: number;
  requireVerifiedEmail: boolean;
  /** Every sign-in must prove multi-factor authentication (docs/assurance.md). */
  requireMfa: boolean;
  /** Every sign-in must prove phishing-resistant authentication (implies MFA). */
  requirePhishingResistant: boolean;
  /** How much of a client IP the org's audit trail keeps. */
  auditIp: 'full' | 'truncated' | 'none';
  /** Audit events older than this are deleted by the retention job. */
  auditRetentionDays: number;
  /**
   * Sign-ins that may start at this org from one client address per minute; null: the
   * deployment's default (config limits.loginStartPerOrgAndIp).
   */
  loginStartsPerIpPerMinute: number | null;
  /**
   * Sign-ins that may start at this org per minute from anywhere; null: the deployment's
   * default (config limits.loginStartPerOrg).
   */
  loginStartsPerMinute: number | null;
}

/** An org's sign-in rate limits as the login path reads them (null: the configured default). */
export type OrgLoginLimits = Pick<
  OrgSettings,
  'loginStartsPerIpPerMinute' | 'loginStartsPerMinute'
> & {
  id: string;
};

export interface Org {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'disabled';
  settings: OrgSettings;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

interface Row {
  id: string;
  slug: string;
  name: string;
  status: Org['status'];
  session_idle_timeout_seconds: number;
  session_absolute_lifetime_seconds: number;
  max_sessions_per_user: number;
  require_verified_email: boolean;
  require_mfa: boolean;
  require_phishing_resistant: boolean;
  audit_ip: OrgSettings['auditIp'];
  audit_retention_days: number;
  login_starts_per_ip_per_minute: number | null;
  login_starts_per_minute: number | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const toOrg = (row: Row): Org => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  status: row.status,
  settings: {
    sessionIdleTimeoutSeconds: row.session_idle_timeout_seconds,
    sessionAbsoluteLifetimeSeconds: row.session_absolute_lifetime_seconds,
    maxSessionsPerUser: row.max_sessions_per_user,
    requireVerifiedEmail: row.require_verified_email,
    requireMfa: row.require_mfa,
    requirePhishingResistant: row.require_phishing_resistant,
    auditIp: row.audit_ip,
    auditRetentionDays: row.audit_retention_days,
    loginStartsPerIpPerMinute: row.login_starts_per_ip_per_minute,
    loginStartsPerMinute: row.login_starts_per_minute,
  },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

export type OrgUpdate = Partial<Pick<Org, 'name' | 'status'> & OrgSettings>;

/** Outcome of a conditional write: the new row, or why there is none. */
export type WriteResult<T> = VersionedWrite<T>;

/**
 * Orgs in SQL (PostgreSQL or PGlite), over a pool or a transaction.
 * Contract: test/contracts/org-store.contract.test.ts.
 */
export interface OrgStore {
  insert(org: Org): Promise<void>;
  get(id: string): Promise<Org | null>;
  getBySlug(slug: string): Promise<Org | null>;
  /** Oldest first; `onlyId` restricts the list to one org (an org admin's view). */
  list(page: PageRequest, onlyId?: string): Promise<Org[]>;
  /** Every org's audit retention, for the retention job. */
  listAuditRetention(): Promise<Array<{ orgId: string; retentionDays: number }>>;
  /** One org's sign-in rate limits (two columns, for the login path), or null if none. */
  loginLimits(id: string): Promise<OrgLoginLimits | null>;
  update(
    id: string,
    changes: OrgUpdate,
    at: Date,
    expectedVersion: number | null,
  ): Promise<WriteResult<Org>>;
}

const COLUMNS: Record<keyof OrgUpdate, string> = {
  name: 'name',
  status: 'status',
  sessionIdleTimeoutSeconds: 'session_idle_timeout_seconds',
  sessionAbsoluteLifetimeSeconds: 'session_absolute_lifetime_seconds',
  maxSessionsPerUser: 'max_sessions_per_user',
  requireVerifiedEmail: 'require_verified_email',
  requireMfa: 'require_mfa',
  requirePhishingResistant: 'require_phishing_resistant',
  auditIp: 'audit_ip',
  auditRetentionDays: 'audit_retention_days',
  loginStartsPerIpPerMinute: 'login_starts_per_ip_per_minute',
  loginStartsPerMinute: 'login_starts_per_minute',
};

export function orgStore(q: Queryable): OrgStore {
  return {
    async insert(org) {
      await q.query(
        `INSERT INTO orgs (id, slug, name, status, session_idle_timeout_seconds, session_absolute_lifetime_seconds,
           max_sessions_per_user, require_verified_email, audit_ip, audit_retention_days,
           login_starts_per_ip_per_minute, login_starts_per_minute, created_at, updated_at, version,
           require_mfa, require_phishing_resistant)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          org.id,
          org.slug,
          org.name,
          org.status,
          org.settings.sessionIdleTimeoutSeconds,
          org.settings.sessionAbsoluteLifetimeSeconds,
          org.settings.maxSessionsPerUser,
          org.settings.requireVerifiedEmail,
          org.settings.auditIp,
          org.settings.auditRetentionDays,
          org.settings.loginStartsPerIpPerMinute,
          org.settings.loginStartsPerMinute,
          org.createdAt,
          org.updatedAt,
          org.version,
          org.settings.requireMfa,
          org.settings.requirePhishingResistant,
        ],
      );
    },
    get(id) {
      return selectOne(q, 'SELECT * FROM orgs WHERE id = $1', [id], toOrg);
    },
    getBySlug(slug) {
      return selectOne(q, 'SELECT * FROM orgs WHERE slug = $1', [slug], toOrg);
    },
    async list(page, onlyId) {
      const { rows } = await q.query<Row>(
        `SELECT * FROM orgs
         WHERE ($1::uuid IS NULL OR id > $1::uuid) AND ($2::uuid IS NULL OR id = $2::uuid)
         ORDER BY id LIMIT $3`,
        [page.afterId, onlyId ?? null, page.limit + 1],
      );
      return rows.map(toOrg);
    },
    async listAuditRetention() {
      const { rows } = await q.query<{ id: string; audit_retention_days: number }>(
        'SELECT id, audit_retention_days FROM orgs ORDER BY id',
      );
      return rows.map((r) => ({ orgId: r.id, retentionDays: r.audit_retention_days }));
    },
    loginLimits(id) {
      return selectOne(
        q,
        'SELECT id, login_starts_per_ip_per_minute, login_starts_per_minute FROM orgs WHERE id = $1',
        [id],
        (r: Pick<Row, 'id' | 'login_starts_per_ip_per_minute' | 'login_starts_per_minute'>) => ({
          id: r.id,
          loginStartsPerIpPerMinute: r.login_starts_per_ip_per_minute,
          loginStartsPerMinute: r.login_starts_per_minute,
        }),
      );
    },
    async update(id, changes, at, expected) {
      // undefined leaves a column as it is; null is written (it resets an optional setting).
      const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as Array<
        [keyof OrgUpdate, unknown]
      >;
      const sets = entries.map(([key], i) => `${COLUMNS[key]} = $${i + 4}`);
      const { rows } = await q.query<Row>(
        `UPDATE orgs SET ${[...sets, 'updated_at = $2', 'version = version + 1'].join(', ')}
         WHERE id = $1 AND ($3::int IS NULL OR version = $3::int) RETURNING *`,
        [id, at, expected, ...entries.map(([, v]) => v)],
      );
      if (rows[0]) return { ok: true, value: toOrg(rows[0]) };
      return { ok: false, reason: (await this.get(id)) ? 'stale' : 'not_found' };
    },
  };
}
