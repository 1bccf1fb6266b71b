import { rfc3339 } from '../platform/admin/index.js';
import { colorScheme } from './branding-color.js';
import type { OrgBranding } from './branding-store.js';

/** The logo's public URL: immutable, since it names the bytes' digest. */
export const logoPath = (orgId: string, digest: string) => `/branding/${orgId}/logo/${digest}`;

/** The stylesheet that sets a colour's custom properties: immutable, it names the colour. */
export const themePath = (color: string) => `/branding/theme/${color.slice(1)}`;

/** How an org's branding appears in its audit trail: flat, the logo by digest. */
export const brandingAuditView = (branding: OrgBranding) => ({
  display_name: branding.displayName,
  primary_color: branding.primaryColor,
  logo_digest: branding.logo?.digest ?? null,
  logo_content_type: branding.logo?.contentType ?? null,
  logo_bytes: branding.logo?.bytes ?? null,
});

/** What the admin API shows of it, with the colours the pages draw from it. */
export const presentBranding = (branding: OrgBranding) => {
  const scheme = branding.primaryColor ? colorScheme(branding.primaryColor) : null;
  const logo = branding.logo;
  return {
    display_name: branding.displayName,
    primary_color: branding.primaryColor,
    primary_foreground: scheme?.accentInk ?? null,
    logo: logo && {
      url: logoPath(branding.orgId, logo.digest),
      content_type: logo.contentType,
      bytes: logo.bytes,
      width: logo.width,
      height: logo.height,
      sha256: logo.digest,
    },
    updated_at: rfc3339(branding.updatedAt),
  };
};

/** An org's look on the pages its employees see; null where it has none (the default look). */
export interface PageBranding {
  /** Plain text: the page escapes it. */
  displayName: string;
  logoUrl: string | null;
  /** The stylesheet of its colour, or null for the default colours. */
  themeUrl: string | null;
}

/** The look of a branding (its display name defaulting to the org's name), or null. */
export function pageBrandingOf(branding: OrgBranding, orgName: string): PageBranding | null {
  if (!branding.displayName && !branding.primaryColor && !branding.logo) return null;
  return {
    displayName: branding.displayName ?? orgName,
    logoUrl: branding.logo && logoPath(branding.orgId, branding.logo.digest),
    themeUrl: branding.primaryColor && themePath(branding.primaryColor),
  };
}
