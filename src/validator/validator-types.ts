import type { JWTPayload } from 'jose';

/**
 * Latchkey's access-token validator for Express services (and anything else). It checks
 * tokens locally — signature against Latchkey's cached JWKS, `typ: at+jwt` (RFC 9068),
 * algorithm, issuer, audience, expiry and required claims — and rejects any token whose
 * session was revoked, which it learns within a second from Latchkey's revocation
 * channel on Redis. Self-contained: it shares no code with the server, so a service can
 * depend on it alone.
 */
export interface TokenValidatorOptions {
  /** Latchkey's issuer URL, exactly as in its discovery document. */
  issuer: string;
  /** This service's audience identifier: tokens must name it in `aud`. */
  audience: string | string[];
  /** JWKS location; default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Accepted signing algorithms (never `none`, never HMAC). Default ES256. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /**
   * Latchkey's Redis and key prefix: revocations arrive on `<keyPrefix>revocations`, and
   * revocations from before this validator started are found in tombstones.
   */
  redis?: { url: string; keyPrefix: string };
  /** Called with errors of the revocation channel (it reconnects by itself). */
  onError?: (error: unknown) => void;
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
}
