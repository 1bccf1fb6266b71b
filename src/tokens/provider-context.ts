import type { Clock } from '../platform/clock.js';
import { failClosed } from './fail-closed.js';
import {
  createReauthenticationMarker,
  type ReauthenticationMarker,
} from './reauthentication-marker.js';
import { createVerifyOwnToken, type VerifyOwnToken } from './verify-own-token.js';
import type { GrantRecord, GrantStore } from './grant-store.js';
import type { OwnJwtVerifier } from './jwt.js';
import type { KeyRing } from './key-ring.js';
import type {
  ClientRegistry,
  OAuthClient,
  SessionGateway,
  TokenAuditEvent,
  TokenAudit,
  TokenRevocations,
  UserDirectory,
} from './ports.js';

export interface TokenSettings {
  issuer: string;
  /** Upper bound of any access token's lifetime, whatever a client asks (RFC 9068 short-lived). */
  maxAccessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * RFC 9700 §4.14.2: a rotated refresh token presented again by the same client within
   * this many seconds is a retry (its answer was lost), answered with the same successor;
   * later, or by another client, it is reuse and ends the session.
   */
  refreshReuseGraceSeconds: number;
  /** Seconds of skew tolerated when verifying our own tokens. */
  clockToleranceSeconds: number;
}

/** What the OAuth provider is built from (createOAuthService's argument). */
export interface ProviderDeps {
  settings: TokenSettings;
  clients: ClientRegistry;
  users: UserDirectory;
  sessions: SessionGateway;
  grants: GrantStore;
  keyRing: KeyRing;
  verifyJwt: OwnJwtVerifier;
  clock: Clock;
  /** Remembers which clients a session signed in to (for back-channel logout). */
  rememberClient: (sessionId: string, clientId: string, ttlMs: number) => Promise<void>;
  onRefreshReuse?: (record: GrantRecord) => void | Promise<void>;
  /** Durable revocations of access tokens and refresh-token families. */
  revocations: TokenRevocations;
  /** Token events for the audit trail. */
  audit?: TokenAudit;
  /**
   * HMAC key (shared by every process) of the marker a forced sign-in (prompt=login, a
   * too-old max_age) puts on the authorization request it returns to: "the session must
   * be from after this moment". Unsigned, anyone could add it and skip the sign-in.
   */
  reauthenticationKey: Buffer;
}

/** The provider's dependencies with the helpers every operation shares. */
export interface ProviderContext extends Omit<ProviderDeps, 'audit' | 'rememberClient'> {
  /** Seconds since the epoch, by the injected clock. */
  now(): number;
  /** The refresh-token retry window, in milliseconds. */
  graceMs: number;
  rememberClient: ProviderDeps['rememberClient'];
  /**
   * Nothing is acknowledged without its audit event: a grant whose event cannot be made
   * durable is refused (503). A refresh token spent by then is not lost to its client:
   * the retry falls within the grace window and gets the same successor.
   */
  audit(event: TokenAuditEvent): Promise<void>;
  isJtiRevoked(jti: string): Promise<boolean>;
  /**
   * Whether an access token of ours is cut off by its client's cut-off (issued at or
   * before it); iat carries milliseconds (issue-tokens.ts).
   */
  isClientCutOff(claims: { client_id?: unknown; iat?: unknown }): Promise<boolean>;
  /** A client's access-token lifetime, capped by the provider's. */
  accessTtl(client: OAuthClient): number;
  verifyOwnToken: VerifyOwnToken;
  /** The signed marker of a forced sign-in (prompt=login, a too-old max_age). */
  reauthentication: ReauthenticationMarker;
}

export function createProviderContext(deps: ProviderDeps): ProviderContext {
  const { settings, clock, verifyJwt } = deps;
  const now = () => Math.floor(clock.nowMs() / 1000);
  return {
    ...deps,
    now,
    graceMs: settings.refreshReuseGraceSeconds * 1000,
    // Redis-backed hooks: an outage is a 503, never a 500 or a pass (fail-closed.ts).
    rememberClient: failClosed('session store', deps.rememberClient),
    isJtiRevoked: failClosed('revocation list', (jti: string) =>
      deps.revocations.isAccessTokenRevoked(jti),
    ),
    isClientCutOff: failClosed('revocation list', async (claims) => {
      if (typeof claims.client_id !== 'string' || typeof claims.iat !== 'number') return false;
      const cutoffMs = await deps.revocations.clientCutoffMs(claims.client_id);
      return cutoffMs !== null && claims.iat * 1000 <= cutoffMs;
    }),
    audit: failClosed('audit trail', async (event: TokenAuditEvent) => {
      await deps.audit?.append(event);
    }),
    accessTtl: (client) =>
      Math.min(client.accessTokenTtlSeconds, settings.maxAccessTokenTtlSeconds),
    verifyOwnToken: createVerifyOwnToken(settings, verifyJwt, now),
    reauthentication: createReauthenticationMarker(deps.reauthenticationKey, now),
  };
}
