import { selectOne, type Queryable } from '../platform/db/index.js';
import type { VersionedWrite } from '../platform/admin/index.js';
import type { LogoContentType } from './logo-image.js';

export interface BrandingLogo {
  contentType: LogoContentType;
  /** SHA-256 of the bytes, hex: the logo's URL names it, so the URL never changes meaning. */
  digest: string;
  bytes: number;
  width: number | null;
  height: number | null;
}

/** An org's branding; `version` 0 and every field null where it has none (the default look). */
export interface OrgBranding {
  orgId: string;
  displayName: string | null;
  /** `#rrggbb`, lower case. */
  primaryColor: string | null;
  logo: BrandingLogo | null;
  updatedAt: Date | null;
  version: number;
}

export const noBranding = (orgId: string): OrgBranding => ({
  orgId,
  displayName: null,
  primaryColor: null,
  logo: null,
  updatedAt: null,
  version: 0,
});

interface Row {
  org_id: string;
  display_name: string | null;
  primary_color: string | null;
  logo_content_type: LogoContentType | null;
  logo_digest: string | null;
  logo_bytes: number | null;
  logo_width: number | null;
  logo_height: number | null;
  updated_at: Date;
  version: number;
}

// Every column but the logo's bytes, which only the logo route reads.
const COLUMNS = `org_id, display_name, primary_color, logo_content_type, logo_digest,
  octet_length(logo) AS logo_bytes, logo_width, logo_height, updated_at, version`;

const toBranding = (row: Row): OrgBranding => ({
  orgId: row.org_id,
  displayName: row.display_name,
  primaryColor: row.primary_color,
  logo:
    row.logo_content_type && row.logo_digest
      ? {
          contentType: row.logo_content_type,
          digest: row.logo_digest,
          bytes: Number(row.logo_bytes),
          width: row.logo_width,
          height: row.logo_height,
        }
      : null,
  updatedAt: row.updated_at,
  version: row.version,
});

/** A whole new state of an org's branding; the logo's bytes only where the logo changes. */
export interface BrandingWrite {
  displayName: string | null;
  primaryColor: string | null;
  logo: { meta: BrandingLogo; bytes: Buffer } | null | 'unchanged';
}

/**
 * Org branding in SQL (PostgreSQL or PGlite). An org without a row has the default look
 * at version 0; the first write inserts version 1.
 */
export interface BrandingStore {
  get(orgId: string): Promise<OrgBranding>;
  /** The logo with this digest, if it is the org's current one. */
  logo(orgId: string, digest: string): Promise<{ contentType: string; bytes: Buffer } | null>;
  /** A versioned write: refused as stale when the org's branding is not at `expected`. */
  write(
    orgId: string,
    state: BrandingWrite,
    at: Date,
    expected: number,
  ): Promise<VersionedWrite<OrgBranding>>;
}

export function brandingStore(q: Queryable): BrandingStore {
  return {
    async get(orgId) {
      const row = await selectOne(
        q,
        `SELECT ${COLUMNS} FROM org_branding WHERE org_id = $1`,
        [orgId],
        toBranding,
      );
      return row ?? noBranding(orgId);
    },
    logo(orgId, digest) {
      return selectOne(
        q,
        `SELECT logo, logo_content_type FROM org_branding
         WHERE org_id = $1 AND logo_digest = $2 AND logo IS NOT NULL`,
        [orgId, digest],
        (r: { logo: Uint8Array; logo_content_type: string }) => ({
          contentType: r.logo_content_type,
          // pg answers a Buffer, PGlite a Uint8Array.
          bytes: Buffer.from(r.logo),
        }),
      );
    },
    async write(orgId, state, at, expected) {
      const logoChanges = state.logo !== 'unchanged';
      const logo = state.logo === 'unchanged' ? null : state.logo;
      // One statement for the first write and later ones: a concurrent first write finds
      // the other's row and, its version no longer being 0, is stale.
      const { rows } = await q.query<Row>(
        `INSERT INTO org_branding AS b (org_id, display_name, primary_color, logo, logo_content_type,
           logo_digest, logo_width, logo_height, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)
         ON CONFLICT (org_id) DO UPDATE SET
           display_name = EXCLUDED.display_name,
           primary_color = EXCLUDED.primary_color,
           logo = CASE WHEN $11 THEN EXCLUDED.logo ELSE b.logo END,
           logo_content_type = CASE WHEN $11 THEN EXCLUDED.logo_content_type ELSE b.logo_content_type END,
           logo_digest = CASE WHEN $11 THEN EXCLUDED.logo_digest ELSE b.logo_digest END,
           logo_width = CASE WHEN $11 THEN EXCLUDED.logo_width ELSE b.logo_width END,
           logo_height = CASE WHEN $11 THEN EXCLUDED.logo_height ELSE b.logo_height END,
           updated_at = EXCLUDED.updated_at,
           version = b.version + 1
         WHERE b.version = $10
         RETURNING ${COLUMNS}`,
        [
          orgId,
          state.displayName,
          state.primaryColor,
          logo?.bytes ?? null,
          logo?.meta.contentType ?? null,
          logo?.meta.digest ?? null,
          logo?.meta.width ?? null,
          logo?.meta.height ?? null,
          at,
          expected,
          logoChanges,
        ],
      );
      // The service read the branding at `expected` first, and rows are never deleted: an
      // insert happens only for an org that had none (expected 0).
      return rows[0] ? { ok: true, value: toBranding(rows[0]) } : { ok: false, reason: 'stale' };
    },
  };
}
