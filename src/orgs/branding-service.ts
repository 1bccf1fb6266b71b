import { changeSet, type AuditLog, type RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import { sha256Hex } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { parseInput } from '../platform/validation.js';
import {
  assertOrgVisible,
  staleWrite,
  written,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { recordAdminEvent } from './admin-event.js';
import { UpdateBrandingBody } from './branding-input.js';
import { brandingStore, type BrandingWrite, type OrgBranding } from './branding-store.js';
import { brandingAuditView, pageBrandingOf, type PageBranding } from './branding-view.js';
import { inspectLogo } from './logo-image.js';
import { orgStore } from './org-store.js';

export interface BrandingService {
  get(orgId: string, principal: AdminPrincipal): Promise<OrgBranding>;
  update(
    orgId: string,
    body: unknown,
    expected: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<OrgBranding>;
  /** A new logo from a raw upload: its declared type checked against its bytes. */
  putLogo(
    orgId: string,
    upload: { contentType: string | undefined; bytes: Buffer },
    expected: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<OrgBranding>;
  removeLogo(
    orgId: string,
    expected: number | null,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /** The org's look on its employees' pages (public), or null for the default look. */
  pageBranding(orgId: string): Promise<PageBranding | null>;
  /** The org's current logo with this digest (public), or null. */
  logo(orgId: string, digest: string): Promise<{ contentType: string; bytes: Buffer } | null>;
}

export function createBrandingService(deps: {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  /** The largest logo accepted (config branding.maxLogoBytes). */
  maxLogoBytes: number;
}): BrandingService {
  const { db, audit, clock } = deps;

  /**
   * A versioned change of the org's branding (null: any version), audited with what
   * changed. Another org's id and a missing org are the same 404.
   */
  const change = (
    orgId: string,
    expected: number | null,
    next: (before: OrgBranding) => BrandingWrite,
    principal: AdminPrincipal,
    context: RequestContext,
  ) =>
    db.transaction(async (tx) => {
      await assertOrgVisible(tx, principal, orgId);
      const store = brandingStore(tx);
      const before = await store.get(orgId);
      if (expected !== null && expected !== before.version) throw staleWrite();
      const result = await store.write(orgId, next(before), clock.now(), before.version);
      const after = written(result, 'org');
      await recordAdminEvent(audit, tx, principal, context, {
        type: 'admin.org.branding_updated',
        orgId,
        target: { type: 'org_branding', id: orgId },
        data: changeSet(brandingAuditView(before), brandingAuditView(after)),
      });
      return after;
    });

  return {
    async get(orgId, principal) {
      await assertOrgVisible(db, principal, orgId);
      return brandingStore(db).get(orgId);
    },

    update(orgId, body, expected, principal, context) {
      const input = parseInput(UpdateBrandingBody, body);
      return change(
        orgId,
        expected,
        (before) => ({
          displayName: input.display_name === undefined ? before.displayName : input.display_name,
          primaryColor:
            input.primary_color === undefined ? before.primaryColor : input.primary_color,
          logo: 'unchanged',
        }),
        principal,
        context,
      );
    },

    putLogo(orgId, upload, expected, principal, context) {
      // The body parser refuses a larger body before reading it; this holds for any caller.
      if (upload.bytes.length > deps.maxLogoBytes) {
        throw new AppError(
          'payload_too_large',
          `A logo may be at most ${deps.maxLogoBytes} bytes.`,
          { status: 413 },
        );
      }
      const image = inspectLogo(upload.contentType, upload.bytes);
      const meta = {
        ...image,
        digest: sha256Hex(upload.bytes),
        bytes: upload.bytes.length,
      };
      return change(
        orgId,
        expected,
        (before) => ({ ...before, logo: { meta, bytes: upload.bytes } }),
        principal,
        context,
      );
    },

    async removeLogo(orgId, expected, principal, context) {
      await change(orgId, expected, (before) => ({ ...before, logo: null }), principal, context);
    },

    async pageBranding(orgId) {
      const org = await orgStore(db).get(orgId);
      if (!org) return null;
      return pageBrandingOf(await brandingStore(db).get(orgId), org.name);
    },

    logo: (orgId, digest) => brandingStore(db).logo(orgId, digest),
  };
}
