import { idBearingToken } from '../platform/ids.js';

/** What a portal link lets its holder set up (issue 18); only `domain_verification` has a step yet. */
export const PORTAL_INTENTS = [
  'sso',
  'domain_verification',
  'directory_sync',
  'audit_logs',
  'sessions',
] as const;
export type PortalIntent = (typeof PORTAL_INTENTS)[number];

/** A setup link as the admin API shows it: never the token, never its digest. */
export interface PortalLink {
  id: string;
  orgId: string;
  intents: PortalIntent[];
  returnUrl: string | null;
  /** The API key that made it. */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type PortalLinkStatus = 'active' | 'used' | 'expired' | 'revoked';

/** Revoked wins over used, used over expired: what last happened to the link. */
export function statusOf(link: PortalLink, now: Date): PortalLinkStatus {
  if (link.revokedAt) return 'revoked';
  if (link.usedAt) return 'used';
  if (link.expiresAt <= now) return 'expired';
  return 'active';
}

/**
 * `lkp_<id>_<secret>`: the link's UUID as 32 hex digits, then 32 random bytes (256 bits)
 * in base64url, as SCIM directory tokens are. Only a SHA-256 digest of the whole token is
 * stored: 256 bits cannot be guessed back from a digest, so no slow hash is needed.
 */
const LINK_TOKEN = idBearingToken('lkp');

export const newLinkToken = LINK_TOKEN.make;

/** The link id a presented token names, or null when it is not shaped like one. */
export const linkIdOf = LINK_TOKEN.idOf;
