import type { JWTPayload } from 'jose';

/** Where a validator learns revocations: Latchkey's Shared Signals transmitter. */
export interface RevocationFeedOptions {
  /** The OAuth client (scope `ssf`, audience `<issuer>/ssf`) this validator receives as. */
  clientId: string;
  clientSecret: string;
  /** `sse` (default): one long-lived event stream; `poll`: JSON answers every pollIntervalMs. */
  delivery?: 'sse' | 'poll';
  /** Poll mode: how long between two answers, in milliseconds. Default 1000. */
  pollIntervalMs?: number;
  /**
   * How long after the last heartbeat (SSE) or poll answer the view still counts as
   * current, in milliseconds. Past it, verify fails closed. Default 10000.
   */
  stalenessBoundMs?: number;
}

export interface TokenValidatorOptions {
  /** Latchkey's issuer URL, exactly as in its discovery document. */
  issuer: string;
  /** This service's audience identifier: tokens must name it in `aud`. */
  audience: string | string[];
  /** JWKS location; default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Accepted signing algorithms (never `none`, never HMAC). Default ES256. */
  algorithms?: string[];
  /** Leeway for exp/iat/nbf, in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /**
   * The longest life an access token may have (exp − iat), in seconds. Longer-lived tokens
   * are refused, and revocations are forgotten once every token they cut off has expired.
   * Default 3600 (Latchkey's `tokens.maxAccessTokenTtlSeconds`).
   */
  maxTokenLifetimeSeconds?: number;
  /** Receive revocations from Latchkey's transmitter. Without it, no revocation is checked. */
  revocations?: RevocationFeedOptions;
  /**
   * When the revocation view is stale, ask Latchkey (RFC 7662 introspection at
   * `<issuer>/oauth/introspect`) instead of refusing with `validator_unavailable`.
   */
  introspection?: { clientId: string; clientSecret: string };
  /** Called with errors of the revocation feed (it reconnects by itself). Default: logger.warn. */
  onError?: (error: unknown) => void;
  /** Told why a Security Event Token was ignored (and, by default, feed errors). Default: console. */
  logger?: ValidatorLogger;
  /** The fetch used for every request. Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
}

export interface ValidatorLogger {
  warn(message: string, details?: Record<string, unknown>): void;
}

export type ValidationErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_invalid'
  | 'token_expired'
  | 'token_revoked'
  | 'insufficient_scope'
  | 'validator_unavailable';

export class TokenValidationError extends Error {
  constructor(
    readonly code: ValidationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenValidationError';
  }
}

export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  client_id: string;
  jti: string;
  iat: number;
  exp: number;
  scope?: string;
  sid?: string;
  org_id?: string;
  roles?: string[];
  /** When the user signed in (seconds), and how (RFC 9068 §2.2.1). */
  auth_time?: number;
  acr?: string;
  amr?: string[];
}

/** Whether the revocation view can be trusted, and how far it goes. */
export interface ValidatorStatus {
  /** A heartbeat or poll answer came within the staleness bound. */
  current: boolean;
  /** The transmitter's position the view holds everything up to; null before any. */
  position: number | null;
  /** When (ms since epoch) the last heartbeat or poll answer came; null before any. */
  lastHeardMs: number | null;
}

/** A revocation the validator acts on, decoded from its Security Event Token. */
export type Revocation =
  | { kind: 'session'; sid: string; eventTimestamp: number }
  | { kind: 'token'; jti: string; eventTimestamp: number }
  | { kind: 'user'; sub: string; orgId: string; eventTimestamp: number }
  | { kind: 'org'; orgId: string; eventTimestamp: number }
  | { kind: 'client'; clientId: string; eventTimestamp: number };

/** What onRevocation listeners get besides the revocation. */
export interface RevocationNotice {
  /** The SET's position on the feed (null if it came without one). */
  position: number | null;
  /** Milliseconds from the event's timestamp to when this validator applied it. */
  delayMs: number;
}
