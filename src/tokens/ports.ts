/**
 * What the OAuth 2 / OIDC provider needs from the rest of Latchkey, in its own words.
 * The composition root adapts the orgs (clients, users) and sessions services to these,
 * so tokens/ depends on no other domain (rules of the house 2).
 */

export interface OAuthClient {
  id: string;
  name: string;
  type: 'confidential' | 'public';
  active: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** The grant types it registered: keys of the grant registry (grants/index.ts). */
  grantTypes: readonly string[];
  backchannelLogoutUri: string | null;
  allowedScopes: string[];
  allowedAudiences: string[];
  accessTokenTtlSeconds: number;
  /** OIDC Registration §2 default_acr_values: the acr asked when a request names none. */
  defaultAcrValues?: readonly string[];
}

export interface ClientRegistry {
  get(clientId: string): Promise<OAuthClient | null>;
  /** The client if the secret is one of its current secrets, else null (cached, no argon2 per call). */
  authenticate(clientId: string, secret: string): Promise<OAuthClient | null>;
}

/** A user as the provider sees it: who, in which org, whether active, and what it may release. */
export interface UserProfile {
  id: string;
  orgId: string;
  active: boolean;
  roles: string[];
  /** OIDC Core §5.1 claims, released by scope (§5.4): email and email_verified, name. */
  standardClaims: { email: string; email_verified: boolean; name: string | null };
}

export interface UserDirectory {
  get(orgId: string, userId: string): Promise<UserProfile | null>;
  /** Whether the org is active (a disabled org's users get no tokens). */
  orgActive(orgId: string): Promise<boolean>;
}

/** A live session as the provider sees it. */
export interface SessionView {
  id: string;
  orgId: string;
  userId: string;
  amr: string[];
  /** The level of assurance the sign-in proved (urn:latchkey:loa:…), or null. */
  acr: string | null;
  authTime: number;
  expiresAtMs: number;
}

export interface SessionGateway {
  /** The live session a browser's session token stands for, or null. */
  fromToken(token: string): Promise<SessionView | null>;
  get(orgId: string, sessionId: string): Promise<SessionView | null>;
  end(
    orgId: string,
    sessionId: string,
    reason: 'logout' | 'refresh_token_reuse' | 'authorization_code_reuse',
  ): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
  orgOf(sessionId: string): string | null;
}

/** The token events the audit trail records (docs/audit-events.md); never a token value. */
export interface TokenAuditEvent {
  type:
    | 'token.issued'
    | 'session.refreshed'
    | 'token.refresh_reuse_detected'
    | 'token.revoked'
    | 'key.rotated';
  orgId: string | null;
  actor: { type: 'client' | 'cli' | 'system'; id: string | null };
  target?: { type: string; id: string } | null;
  outcome?: 'success' | 'failure';
  reason?: string | null;
  data?: Record<string, unknown>;
}

/** The audit log's append (group commit), adapted in wiring.ts. */
export interface TokenAudit {
  append(event: TokenAuditEvent): Promise<void>;
}

/**
 * What the provider revokes on its own (RFC 7009 revocation, a refresh token presented by
 * the wrong client): durable before it applies, with its audit event in the same step.
 * Adapted in wiring.ts to the revocation log (signals/).
 */
export interface TokenRevocation {
  kind: 'access_token' | 'refresh_family';
  /** The access token's jti, or the refresh-token family id. */
  subject: string;
  orgId: string | null;
  userId: string | null;
  clientId: string;
  reason: string;
  /** When what it cuts off expires anyway (an access token's exp, a refresh token's end). */
  expiresAtMs: number;
}

export interface TokenRevocations {
  /**
   * Revokes them together, with the audit event (if any) in the same transaction; false
   * when the first had been revoked already.
   */
  revoke(revocations: readonly TokenRevocation[], event: TokenAuditEvent | null): Promise<boolean>;
  isAccessTokenRevoked(jti: string): Promise<boolean>;
  /**
   * Until when (ms) a client's tokens are cut off — every one issued at or before it (its
   * secret rotated without overlap, or it was deleted) — or null.
   */
  clientCutoffMs(clientId: string): Promise<number | null>;
}
