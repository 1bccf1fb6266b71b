import { createHash, createHmac, randomUUID } from 'node:crypto';
import { constantTimeEqual } from '../platform/crypto/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { CodeRecord, GrantStore, GrantRecord, RefreshRecord } from './grant-store.js';
import type { KeyRing } from './key-ring.js';
import { failClosed } from './fail-closed.js';
import { signJwt, type OwnJwtVerifier } from './jwt.js';
import { oauthError, OAuthError } from './oauth-errors.js';
import type {
  ClientRegistry,
  OAuthClient,
  SessionGateway,
  SessionView,
  TokenAudit,
  TokenAuditEvent,
  TokenRevocations,
  UserDirectory,
  UserProfile,
} from './ports.js';

/** How long after a forced sign-in started its marker is honoured (a slow login restarts). */
export const REAUTHENTICATION_WINDOW_SECONDS = 600;
/** Clocks of Latchkey's processes may disagree by this much (the marker's time checks). */
const CLOCK_SKEW_SECONDS = 5;

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

/** One request's parameters: a name given twice is an error (RFC 6749 §3.1, §3.2). */
export type Params = Record<string, unknown>;

export function single(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw oauthError('invalid_request', `Parameter ${name} must appear once.`);
  return value;
}

const required = (params: Params, name: string) => {
  const value = single(params, name);
  if (!value) throw oauthError('invalid_request', `Parameter ${name} is required.`);
  return value;
};

/** RFC 7636 §4.2: code_challenge is BASE64URL(SHA256(verifier)), 43 characters. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: code_verifier is 43-128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** RFC 6749 §3.3 scope-token. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export interface AuthenticatedClient {
  client: OAuthClient;
  /** How it authenticated: a public client only identifies itself. */
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

export type AuthorizeOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'login'; returnTo: string; loginHint: string | null }
  /** The request cannot be trusted with a redirect: show the error to the user. */
  | { kind: 'error_page'; error: AppError };

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/**
 * The OAuth 2 / OpenID Connect provider's logic, free of HTTP: authorization requests,
 * the token endpoint's three grants, introspection, revocation, userinfo and logout.
 * Every step that can refuse is a named check in the order the specs give.
 */
export function createOAuthService(deps: {
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
}) {
  const { settings, clients, users, sessions, grants, keyRing, verifyJwt, clock } = deps;
  const now = () => Math.floor(clock.nowMs() / 1000);
  // Redis-backed hooks: an outage is a 503, never a 500 or a pass (fail-closed.ts).
  const rememberClient = failClosed('session store', deps.rememberClient);
  const isJtiRevoked = failClosed('revocation list', (jti: string) =>
    deps.revocations.isAccessTokenRevoked(jti),
  );
  const graceMs = settings.refreshReuseGraceSeconds * 1000;

  // The marker of a forced sign-in: `<seconds>.<HMAC(seconds, client)>`, honoured for
  // REAUTHENTICATION_WINDOW_SECONDS; a forged, altered or stale one counts as absent, so
  // prompt=login (or max_age) sends the browser to sign in again.
  // The MAC covers the request's PKCE code_challenge (random per authorization request):
  // a marker copied onto another request counts for nothing.
  const markerMac = (at: number, clientId: string, challenge: string) =>
    createHmac('sha256', deps.reauthenticationKey)
      .update(`lk_auth_after\0${at}\0${clientId}\0${challenge}`)
      .digest('base64url');
  const reauthenticationMarker = (at: number, clientId: string, challenge: string) =>
    `${at}.${markerMac(at, clientId, challenge)}`;
  const reauthenticatedAfter = (
    raw: string | undefined,
    clientId: string,
    challenge: string,
  ): number | null => {
    const match = raw === undefined ? null : /^(\d{1,12})\.([\w-]{43})$/.exec(raw);
    if (!match) return null;
    const at = Number(match[1]);
    if (!constantTimeEqual(match[2]!, markerMac(at, clientId, challenge))) return null;
    // A few seconds of tolerance for clocks of processes that disagree a little.
    if (at > now() + CLOCK_SKEW_SECONDS || now() - at > REAUTHENTICATION_WINDOW_SECONDS)
      return null;
    return at;
  };

  /**
   * Nothing is acknowledged without its audit event: a grant whose event cannot be made
   * durable is refused (503). A refresh token spent by then is not lost to its client:
   * the retry falls within the grace window and gets the same successor.
   */
  const audit = failClosed('audit trail', async (event: TokenAuditEvent) => {
    await deps.audit?.append(event);
  });

  const accessTtl = (client: OAuthClient) =>
    Math.min(client.accessTokenTtlSeconds, settings.maxAccessTokenTtlSeconds);

  const withQuery = (base: string, query: Record<string, string | undefined>) => {
    const url = new URL(base);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, value);
    return url.toString();
  };

  /** RFC 6749 §3.3: requested scope must be within what the client may have. */
  function grantedScope(requested: string | undefined, client: OAuthClient): string[] {
    const scope = requested === undefined ? ['openid'] : requested.split(' ').filter(Boolean);
    if (
      requested !== undefined &&
      (scope.length === 0 || !scope.every((s) => SCOPE_TOKEN.test(s)))
    ) {
      throw oauthError('invalid_scope', 'The scope parameter is malformed.');
    }
    const outside = scope.filter((s) => !client.allowedScopes.includes(s));
    if (outside.length)
      throw oauthError('invalid_scope', `Scope not allowed for this client: ${outside.join(' ')}.`);
    return [...new Set(scope)];
  }

  /** RFC 9068 §3 aud / RFC 8707 resource: one or more of the client's audiences. */
  function grantedAudience(requested: string | undefined, client: OAuthClient): string[] {
    if (requested === undefined)
      return client.allowedAudiences.length ? client.allowedAudiences : [client.id];
    if (!client.allowedAudiences.includes(requested)) {
      throw oauthError('invalid_target', `Audience not allowed for this client: ${requested}.`);
    }
    return [requested];
  }

  async function accessToken(
    client: OAuthClient,
    grant: {
      sub: string;
      scope: string[];
      audience: string[];
      session?: SessionView;
      user?: UserProfile;
    },
  ) {
    const iat = now();
    const ttl = accessTtl(client);
    const jti = randomUUID();
    const token = await signJwt(keyRing, 'at+jwt', {
      iss: settings.issuer,
      sub: grant.sub,
      aud: grant.audience.length === 1 ? grant.audience[0]! : grant.audience,
      client_id: client.id,
      scope: grant.scope.join(' '),
      jti,
      iat,
      exp: iat + ttl,
      ...(grant.session
        ? {
            org_id: grant.session.orgId,
            sid: grant.session.id,
            auth_time: grant.session.authTime,
            amr: grant.session.amr,
            roles: grant.user?.roles ?? [],
          }
        : {}),
    });
    return { token, ttl, jti };
  }

  function profileClaims(user: UserProfile, scope: string[]) {
    return {
      ...(scope.includes('email') ? { email: user.email, email_verified: user.emailVerified } : {}),
      ...(scope.includes('profile') && user.name ? { name: user.name } : {}),
    };
  }

  async function idToken(
    client: OAuthClient,
    session: SessionView,
    user: UserProfile,
    scope: string[],
    nonce: string | null,
  ) {
    const iat = now();
    return signJwt(keyRing, 'JWT', {
      iss: settings.issuer,
      sub: user.id,
      aud: client.id,
      azp: client.id,
      iat,
      exp: iat + settings.idTokenTtlSeconds,
      auth_time: session.authTime,
      amr: session.amr,
      sid: session.id,
      org_id: session.orgId,
      ...(nonce !== null ? { nonce } : {}),
      ...profileClaims(user, scope),
    });
  }

  /** The session and user behind a grant, both still live, or invalid_grant. */
  async function liveGrant(record: GrantRecord) {
    const session = await sessions.get(record.orgId, record.sessionId);
    if (!session || session.userId !== record.userId)
      throw oauthError('invalid_grant', 'The session behind this grant has ended.');
    const user = await users.get(record.orgId, record.userId);
    if (!user?.active || !(await users.orgActive(record.orgId))) {
      throw oauthError('invalid_grant', 'The user or org behind this grant is no longer active.');
    }
    return { session, user };
  }

  async function issueForSession(
    client: OAuthClient,
    record: GrantRecord,
    session: SessionView,
    user: UserProfile,
    options: {
      grantType: 'authorization_code' | 'refresh_token';
      nonce: string | null;
      withIdToken: boolean;
      /**
       * The refresh token to hand out: a new family's first (a code), the successor of a
       * rotated one, or the successor a rotation already issued (a retry in its grace window).
       */
      refresh:
        | { kind: 'new' }
        | { kind: 'rotate'; familyId: string; rotated: string }
        | { kind: 'again'; successor: string };
      /** A narrower scope for this access token (refresh, RFC 6749 §6); the grant keeps its own. */
      accessScope?: string[];
    },
  ): Promise<TokenResponse> {
    const scope = options.accessScope ?? record.scope;
    const access = await accessToken(client, {
      sub: user.id,
      scope,
      audience: record.audience,
      session,
      user,
    });
    const response: TokenResponse = {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.ttl,
      scope: scope.join(' '),
    };
    const refresh = options.refresh;
    if (refresh.kind === 'again') {
      response.refresh_token = refresh.successor;
    } else if (client.grantTypes.includes('refresh_token')) {
      const ttlMs = Math.min(
        settings.refreshTokenTtlSeconds * 1000,
        session.expiresAtMs - clock.nowMs(),
      );
      if (ttlMs > 0) {
        const familyId = refresh.kind === 'rotate' ? refresh.familyId : randomUUID();
        response.refresh_token = await grants.issueRefresh({ ...record, familyId }, ttlMs);
        if (refresh.kind === 'rotate')
          await grants.rememberSuccessor(refresh.rotated, response.refresh_token, graceMs);
      }
    }
    if (options.withIdToken && scope.includes('openid')) {
      response.id_token = await idToken(client, session, user, scope, options.nonce);
    }
    const issued = {
      grant_type: options.grantType,
      client_id: client.id,
      sid: session.id,
      user_id: user.id,
      jti: access.jti,
      scope: response.scope,
      refresh_token_issued: response.refresh_token !== undefined,
      id_token_issued: response.id_token !== undefined,
    };
    const events: Array<Promise<void>> = [
      audit({
        type: 'token.issued',
        orgId: session.orgId,
        actor: { type: 'client', id: client.id },
        target: { type: 'session', id: session.id },
        data: issued,
      }),
    ];
    if (options.grantType === 'refresh_token') {
      events.push(
        audit({
          type: 'session.refreshed',
          orgId: session.orgId,
          actor: { type: 'client', id: client.id },
          target: { type: 'session', id: session.id },
          data: { client_id: client.id, user_id: user.id, jti: access.jti },
        }),
      );
    }
    // Both join the same group commit.
    await Promise.all(events);
    return response;
  }

  /**
   * RFC 6749 §4.1.3: a code for tokens. Every check that can refuse, and every read that
   * can fail (the session, the user, the org), runs before the code is spent, so a refused
   * or failed request leaves it as it was; a failure after it was spent forgets the spend,
   * so the client's retry is refused as unknown, never taken for a replay.
   */
  async function codeGrant(params: Params, client: OAuthClient): Promise<TokenResponse> {
    const code = required(params, 'code');
    const verifier = required(params, 'code_verifier');
    const redirectUri = required(params, 'redirect_uri');
    const peeked = await grants.peekCode(code);
    const checkCode = (record: CodeRecord) => {
      if (record.clientId !== client.id)
        return 'The authorization code was issued to another client.';
      if (record.redirectUri !== redirectUri)
        return 'redirect_uri does not match the authorization request.';
      if (!VERIFIER.test(verifier) || s256(verifier) !== record.codeChallenge)
        return 'The PKCE code_verifier does not match.';
      return null;
    };
    const live = peeked && !checkCode(peeked) ? await liveGrant(peeked) : null;
    const redeemed = await grants.redeemCode(code);
    if (redeemed.kind === 'reused') {
      // RFC 6749 §4.1.2: a code used twice revokes what it issued: the session
      // its tokens stand on (every process and validator hears of it).
      if (redeemed.record.clientId === client.id) {
        await sessions.end(
          redeemed.record.orgId,
          redeemed.record.sessionId,
          'authorization_code_reuse',
        );
      }
      throw oauthError('invalid_grant', 'The authorization code was already used.');
    }
    if (redeemed.kind === 'unknown')
      throw oauthError('invalid_grant', 'The authorization code is invalid or expired.');
    const record = redeemed.record;
    // A refused redemption issued nothing, so a later one of the same code is no replay to
    // revoke for: anyone holding a leaked code (without the client's secret or the PKCE
    // verifier) could otherwise end the user's session.
    const refused = checkCode(record);
    if (refused) {
      await grants.forgetRedeemedCode(code);
      throw oauthError('invalid_grant', refused);
    }
    try {
      const { session, user } = live ?? (await liveGrant(record));
      return await issueForSession(client, record, session, user, {
        grantType: 'authorization_code',
        nonce: record.nonce,
        withIdToken: true,
        refresh: { kind: 'new' },
      });
    } catch (error) {
      await grants.forgetRedeemedCode(code).catch(() => undefined);
      throw error;
    }
  }

  /**
   * RFC 6749 §6 with rotation (RFC 9700 §4.14.2). The checks that can refuse and the reads
   * that can fail run before the token is spent. A rotated token presented again is
   * reuse, which ends the session, unless the same client presents it within the grace
   * window: then it is a retry of a request whose answer was lost (a process died, the
   * audit trail refused, the network dropped it), answered with the same successor.
   */
  async function refreshGrant(params: Params, client: OAuthClient): Promise<TokenResponse> {
    const token = required(params, 'refresh_token');
    const requested = single(params, 'scope');
    const requestedScope = requested?.split(' ').filter(Boolean);
    /** Refuses another client's token (ending its family) or a wider scope, spending nothing. */
    const checkRecord = async (record: RefreshRecord) => {
      if (record.clientId !== client.id) {
        await revokeFamily(record, 'refresh_token_wrong_client');
        throw oauthError('invalid_grant', 'The refresh token was issued to another client.');
      }
      // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
      if (requestedScope && !requestedScope.every((s) => record.scope.includes(s)))
        throw oauthError('invalid_scope', 'A refresh cannot widen the scope.');
    };
    const peeked = await grants.peekRefresh(token);
    let live: { session: SessionView; user: UserProfile } | null = null;
    if (peeked) {
      await checkRecord(peeked);
      live = await liveGrant(peeked);
    }
    const redeemed = await grants.redeemRefresh(token, {
      expiresAtMs: peeked?.expiresAtMs,
      graceMs,
    });
    if (redeemed.kind === 'unknown')
      throw oauthError('invalid_grant', 'The refresh token is invalid or expired.');
    const record = redeemed.record as RefreshRecord;
    if (redeemed.kind === 'reused') {
      const retry =
        record.clientId === client.id ? await grants.retryWindow(token, record.familyId) : null;
      if (retry && !retry.familyMovedOn && clock.nowMs() - retry.rotatedAtMs < graceMs) {
        await checkRecord(record);
        return refreshAgain(client, token, record, requestedScope, retry.successor);
      }
      return refreshReused(client, record);
    }
    if (!peeked) {
      await checkRecord(record);
      live = await liveGrant(record);
    }
    // RFC 6749 §6: the new refresh token's scope MUST be identical to that of the one
    // presented; only the access token is narrowed.
    const scope = requestedScope ?? record.scope;
    return issueForSession(client, record, live!.session, live!.user, {
      grantType: 'refresh_token',
      nonce: null,
      withIdToken: scope.includes('openid'),
      refresh: { kind: 'rotate', familyId: record.familyId, rotated: token },
      accessScope: scope,
    });
  }

  /** A retry in the grace window: new access (and ID) tokens, the same successor. */
  async function refreshAgain(
    client: OAuthClient,
    token: string,
    record: RefreshRecord,
    requestedScope: string[] | undefined,
    successor: string | null,
  ): Promise<TokenResponse> {
    const { session, user } = await liveGrant(record);
    const scope = requestedScope ?? record.scope;
    return issueForSession(client, record, session, user, {
      grantType: 'refresh_token',
      nonce: null,
      withIdToken: scope.includes('openid'),
      // The rotation died before it kept its successor: issue one now, the family's only.
      refresh: successor
        ? { kind: 'again', successor }
        : { kind: 'rotate', familyId: record.familyId, rotated: token },
      accessScope: scope,
    });
  }

  /**
   * RFC 9700 §4.14.2: a rotated refresh token presented again (after the grace window, or
   * by another client) means it leaked: end the session, and with it every token of the
   * grant.
   */
  async function refreshReused(client: OAuthClient, record: RefreshRecord): Promise<never> {
    await grants.revokeFamily(record.familyId ?? '');
    await sessions.end(record.orgId, record.sessionId, 'refresh_token_reuse');
    await deps.onRefreshReuse?.(record);
    await audit({
      type: 'token.refresh_reuse_detected',
      orgId: record.orgId,
      actor: { type: 'client', id: client.id },
      target: { type: 'session', id: record.sessionId },
      outcome: 'failure',
      reason: 'refresh_token_reuse',
      data: {
        client_id: record.clientId,
        presented_by: client.id,
        user_id: record.userId,
        sid: record.sessionId,
      },
    });
    throw oauthError(
      'invalid_grant',
      'The refresh token was already used; the session has been ended.',
    );
  }

  /** Ends a refresh-token family durably (it does not come back with an old Redis snapshot). */
  async function revokeFamily(record: RefreshRecord, reason: string) {
    await deps.revocations.revoke(
      {
        kind: 'refresh_family',
        subject: record.familyId,
        orgId: record.orgId,
        userId: record.userId,
        clientId: record.clientId,
        reason,
        expiresAtMs: record.expiresAtMs ?? clock.nowMs() + settings.refreshTokenTtlSeconds * 1000,
      },
      null,
    );
  }

  return {
    /**
     * OIDC Core §3.1.2: the authorization endpoint. Until the client and redirect URI are
     * known good, errors are shown, never redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.11).
     */
    async authorize(
      params: Params,
      sessionToken: string | null,
      selfUrl: string,
    ): Promise<AuthorizeOutcome> {
      // check_client: known and active.
      let clientId: string | undefined;
      let redirectUri: string | undefined;
      try {
        clientId = single(params, 'client_id');
        redirectUri = single(params, 'redirect_uri');
      } catch (error) {
        return { kind: 'error_page', error: error as AppError };
      }
      const client = clientId ? await clients.get(clientId) : null;
      if (!client?.active) {
        return {
          kind: 'error_page',
          error: new AppError(
            'invalid_client',
            'This application is not registered with Latchkey.',
            { status: 400 },
          ),
        };
      }
      // check_redirect_uri: exact string match with a registered one (RFC 9700 §4.1.3).
      if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
        return {
          kind: 'error_page',
          error: new AppError(
            'invalid_redirect_uri',
            'The application sent you to an address it has not registered.',
            { status: 400 },
          ),
        };
      }
      const state = typeof params.state === 'string' ? params.state : undefined;
      const fail = (error: OAuthError): AuthorizeOutcome => ({
        kind: 'redirect',
        location: withQuery(redirectUri, {
          error: error.oauthCode,
          error_description: error.message,
          state,
          iss: settings.issuer,
        }),
      });

      try {
        // Fix: RFC 6749 §3.1: no parameter may be given twice, state included (a doubled
        // state used to be dropped silently and a code issued without it).
        single(params, 'state');
        // check_response_type: the code flow only.
        const responseType = required(params, 'response_type');
        if (responseType !== 'code')
          throw oauthError('unsupported_response_type', 'Only response_type=code is supported.');
        if (params.request !== undefined)
          throw oauthError('request_not_supported', 'Request objects are not supported.');
        if (params.request_uri !== undefined)
          throw oauthError('request_uri_not_supported', 'request_uri is not supported.');
        const responseMode = single(params, 'response_mode');
        if (responseMode !== undefined && responseMode !== 'query') {
          throw oauthError('invalid_request', 'Only response_mode=query is supported.');
        }
        if (!client.grantTypes.includes('authorization_code')) {
          throw oauthError(
            'unauthorized_client',
            'This client may not use the authorization code flow.',
          );
        }
        // check_pkce: S256 for every client (RFC 9700 §2.1.1).
        const challenge = single(params, 'code_challenge');
        const method = single(params, 'code_challenge_method');
        if (!challenge || !CHALLENGE.test(challenge)) {
          throw oauthError('invalid_request', 'A PKCE code_challenge (S256) is required.');
        }
        if (method !== 'S256')
          throw oauthError('invalid_request', 'code_challenge_method must be S256.');
        // check_scope.
        const scope = grantedScope(single(params, 'scope'), client);
        const audience = grantedAudience(
          single(params, 'resource') ?? single(params, 'audience'),
          client,
        );
        const nonce = single(params, 'nonce') ?? null;
        const prompt = (single(params, 'prompt') ?? '').split(' ').filter(Boolean);
        if (prompt.includes('none') && prompt.length > 1)
          throw oauthError('invalid_request', 'prompt=none cannot be combined.');
        const maxAgeRaw = single(params, 'max_age');
        if (maxAgeRaw !== undefined && !/^\d{1,9}$/.test(maxAgeRaw))
          throw oauthError('invalid_request', 'max_age must be a number of seconds.');
        const loginHint = single(params, 'login_hint') ?? null;
        // Set when a forced re-authentication sent the browser to log in: the session
        // must be from after that moment.
        const authAfter = reauthenticatedAfter(
          single(params, 'lk_auth_after'),
          client.id,
          challenge,
        );

        // check_session: a live session, fresh enough. Once a forced sign-in has happened
        // (authAfter), a session from after it is the re-authentication max_age asked for
        // (OIDC Core §3.1.2.1), however long that sign-in took: measured against max_age
        // again, max_age=0 (or a sign-in slower than max_age) would send the browser back
        // to log in forever.
        const session = sessionToken ? await sessions.fromToken(sessionToken) : null;
        const tooOld =
          session !== null &&
          (authAfter !== null
            ? session.authTime < authAfter
            : maxAgeRaw !== undefined && now() - session.authTime > Number(maxAgeRaw));
        const mustLogIn =
          session === null || tooOld || (prompt.includes('login') && authAfter === null);
        if (mustLogIn) {
          if (prompt.includes('none'))
            throw oauthError('login_required', 'The user is not signed in.');
          const back = new URL(selfUrl);
          if (prompt.includes('login') || tooOld)
            back.searchParams.set(
              'lk_auth_after',
              reauthenticationMarker(now(), client.id, challenge),
            );
          return { kind: 'login', returnTo: back.pathname + back.search, loginHint };
        }
        const user = await users.get(session.orgId, session.userId);
        if (!user?.active || !(await users.orgActive(session.orgId))) {
          throw oauthError('access_denied', 'This account is not active.');
        }

        const code = await grants.issueCode({
          clientId: client.id,
          redirectUri,
          codeChallenge: challenge,
          nonce,
          scope,
          audience,
          orgId: session.orgId,
          userId: session.userId,
          sessionId: session.id,
          authTime: session.authTime,
          amr: session.amr,
        });
        await rememberClient(
          session.id,
          client.id,
          Math.max(1, session.expiresAtMs - clock.nowMs()),
        );
        return {
          kind: 'redirect',
          location: withQuery(redirectUri, { code, state, iss: settings.issuer }),
        };
      } catch (error) {
        if (error instanceof OAuthError) return fail(error);
        throw error;
      }
    },

    /** RFC 6749 §4.1.3 / §6 / §4.4: the token endpoint. The client is already authenticated. */
    async token(params: Params, { client }: AuthenticatedClient): Promise<TokenResponse> {
      const grantType = required(params, 'grant_type');
      if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
        throw oauthError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
      }
      if (!client.grantTypes.includes(grantType as never)) {
        throw oauthError('unauthorized_client', `This client may not use grant_type ${grantType}.`);
      }

      if (grantType === 'authorization_code') return codeGrant(params, client);
      if (grantType === 'refresh_token') return refreshGrant(params, client);

      // client_credentials: a backend service acting as itself (RFC 6749 §4.4).
      if (client.type !== 'confidential')
        throw oauthError(
          'unauthorized_client',
          'Only confidential clients may use client_credentials.',
        );
      const requested = single(params, 'scope');
      const scope =
        requested === undefined
          ? []
          : grantedScope(requested, client).filter((s) => s !== 'openid' && s !== 'offline_access');
      const audience = grantedAudience(
        single(params, 'resource') ?? single(params, 'audience'),
        client,
      );
      const access = await accessToken(client, { sub: client.id, scope, audience });
      // Nothing single-use was spent: the grant is refused (503) unless its event is
      // durable, unlike code and refresh grants (see onAuditError).
      await audit({
        type: 'token.issued',
        orgId: null,
        actor: { type: 'client', id: client.id },
        target: { type: 'client', id: client.id },
        data: {
          grant_type: 'client_credentials',
          client_id: client.id,
          jti: access.jti,
          scope: scope.join(' '),
          audience,
        },
      });
      return {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: access.ttl,
        scope: scope.join(' '),
      };
    },

    /**
     * RFC 7662. Anything that is not a live token of ours (bad signature, wrong typ,
     * expired, revoked, session ended) is just `{ active: false }`.
     */
    async introspect(
      params: Params,
      _caller: AuthenticatedClient,
    ): Promise<Record<string, unknown>> {
      const token = required(params, 'token');
      const hint = single(params, 'token_type_hint');
      const asRefresh = async () => {
        const record = await grants.peekRefresh(token);
        if (!record) return null;
        const session = await sessions.get(record.orgId, record.sessionId);
        if (!session) return null;
        return {
          active: true,
          token_type: 'refresh_token',
          client_id: record.clientId,
          sub: record.userId,
          scope: record.scope.join(' '),
          org_id: record.orgId,
          sid: record.sessionId,
          iss: settings.issuer,
        };
      };
      const asAccess = async () => {
        if (!token.includes('.')) return null;
        const claims = await verifyJwt(token, {
          issuer: settings.issuer,
          typ: 'at+jwt',
          nowSeconds: now(),
          clockToleranceSeconds: settings.clockToleranceSeconds,
        });
        if (!claims) return null;
        // The two lookups are independent: asked together, they share one round trip.
        const { jti, sid } = claims;
        const orgId =
          typeof sid !== 'string'
            ? null
            : typeof claims.org_id === 'string'
              ? claims.org_id
              : sessions.orgOf(sid);
        const [revoked, live] = await Promise.all([
          typeof jti === 'string' ? isJtiRevoked(jti) : false,
          typeof sid !== 'string' ? true : orgId ? sessions.get(orgId, sid) : null,
        ]);
        if (revoked || !live) return null;
        return { active: true, token_type: 'Bearer', ...claims };
      };
      const order = hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh];
      for (const attempt of order) {
        const result = await attempt();
        if (result) return result;
      }
      return { active: false };
    },

    /** RFC 7009: revokes a refresh token's family, or an access token's jti until it expires. */
    async revoke(params: Params, { client }: AuthenticatedClient): Promise<void> {
      const token = required(params, 'token');
      const record = await grants.peekRefresh(token);
      // RFC 7009 §2.1: only the client the token was issued to may revoke it; any other
      // client's request is refused (and changes nothing).
      const notYours = () =>
        oauthError('unauthorized_client', 'This token was not issued to this client.');
      if (record) {
        if (record.clientId !== client.id) throw notYours();
        await deps.revocations.revoke(
          {
            kind: 'refresh_family',
            subject: record.familyId,
            orgId: record.orgId,
            userId: record.userId,
            clientId: client.id,
            reason: 'revoked_by_client',
            expiresAtMs:
              record.expiresAtMs ?? clock.nowMs() + settings.refreshTokenTtlSeconds * 1000,
          },
          {
            type: 'token.revoked',
            orgId: record.orgId,
            actor: { type: 'client', id: client.id },
            target: { type: 'session', id: record.sessionId },
            data: {
              token_type: 'refresh_token',
              client_id: client.id,
              user_id: record.userId,
              sid: record.sessionId,
            },
          },
        );
        return;
      }
      if (token.includes('.')) {
        const claims = await verifyJwt(token, {
          issuer: settings.issuer,
          typ: 'at+jwt',
          nowSeconds: now(),
          clockToleranceSeconds: settings.clockToleranceSeconds,
        });
        if (claims && claims.client_id !== client.id) throw notYours();
        if (claims && typeof claims.jti === 'string' && typeof claims.exp === 'number') {
          const sid = typeof claims.sid === 'string' ? claims.sid : null;
          const orgId = typeof claims.org_id === 'string' ? claims.org_id : null;
          const userId = typeof claims.sub === 'string' && sid ? claims.sub : null;
          // Kept until the token expires, with the tolerance validators allow.
          const expiresAtMs = (claims.exp + settings.clockToleranceSeconds + 60) * 1000;
          await deps.revocations.revoke(
            {
              kind: 'access_token',
              subject: claims.jti,
              orgId,
              userId,
              clientId: client.id,
              reason: 'revoked_by_client',
              expiresAtMs,
            },
            {
              type: 'token.revoked',
              orgId,
              actor: { type: 'client', id: client.id },
              target: sid ? { type: 'session', id: sid } : { type: 'client', id: client.id },
              data: {
                token_type: 'access_token',
                client_id: client.id,
                jti: claims.jti,
                sid,
                ...(userId ? { user_id: userId } : {}),
              },
            },
          );
        }
      }
      // §2.2: invalid tokens do not cause an error response.
    },

    /** OIDC Core §5.3: claims about the user a live access token stands for. */
    async userinfo(accessTokenValue: string | null): Promise<Record<string, unknown>> {
      const invalid = () =>
        new OAuthError('invalid_token', 'The access token is invalid, expired or revoked.', {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        });
      if (!accessTokenValue) {
        throw new OAuthError('invalid_request', 'A bearer access token is required.', {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="latchkey"' },
        });
      }
      const claims = await verifyJwt(accessTokenValue, {
        issuer: settings.issuer,
        typ: 'at+jwt',
        nowSeconds: now(),
        clockToleranceSeconds: settings.clockToleranceSeconds,
      });
      if (
        !claims ||
        typeof claims.sid !== 'string' ||
        typeof claims.org_id !== 'string' ||
        typeof claims.sub !== 'string'
      )
        throw invalid();
      const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
      if (!scope.includes('openid')) {
        throw new OAuthError('insufficient_scope', 'The access token lacks the openid scope.', {
          status: 403,
          headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="openid"' },
        });
      }
      if (!(await sessions.get(claims.org_id, claims.sid))) throw invalid();
      if (typeof claims.jti === 'string' && (await isJtiRevoked(claims.jti))) throw invalid();
      const user = await users.get(claims.org_id, claims.sub);
      if (!user?.active) throw invalid();
      return { sub: user.id, org_id: user.orgId, roles: user.roles, ...profileClaims(user, scope) };
    },

    /**
     * OpenID Connect RP-Initiated Logout 1.0. Returns where to send the browser and which
     * session to end; the caller ends it (and clears the cookie).
     */
    async endSession(
      params: Params,
      browserSessionToken: string | null = null,
    ): Promise<{
      sessionHint: { orgId: string; sessionId: string } | null;
      /**
       * The browser is signed in to a session the id_token_hint does not name (or there is
       * no hint): the End-User must be asked before it ends (RP-Initiated Logout 1.0 §2).
       */
      mustAsk: boolean;
      redirect: string | null;
      clientId: string | null;
    }> {
      const hint = single(params, 'id_token_hint');
      const redirect = single(params, 'post_logout_redirect_uri');
      const state = single(params, 'state');
      let clientId = single(params, 'client_id') ?? null;
      let sessionHint: { orgId: string; sessionId: string } | null = null;
      if (hint) {
        const claims = await verifyJwt(hint, {
          issuer: settings.issuer,
          typ: 'JWT',
          nowSeconds: now(),
          allowExpired: true,
          clockToleranceSeconds: settings.clockToleranceSeconds,
        });
        if (!claims)
          throw oauthError('invalid_request', 'id_token_hint is not an ID token Latchkey issued.');
        const aud = typeof claims.aud === 'string' ? claims.aud : null;
        if (clientId && aud !== clientId)
          throw oauthError('invalid_request', 'client_id does not match id_token_hint.');
        clientId = aud;
        if (typeof claims.sid === 'string' && typeof claims.org_id === 'string') {
          sessionHint = { orgId: claims.org_id, sessionId: claims.sid };
        }
      }
      // Fix: RP-Initiated Logout 1.0 §2: the OP MUST ask the End-User whether to log out
      // when no id_token_hint was given or it does not belong to the browser's current
      // session; a hint naming some other session (anyone can hold an ID token of their
      // own) used to end the browser's session unasked: logout CSRF.
      const browser = browserSessionToken ? await sessions.fromToken(browserSessionToken) : null;
      const mustAsk = browser !== null && browser.id !== sessionHint?.sessionId;
      if (!redirect) return { sessionHint, mustAsk, redirect: null, clientId };
      // The redirect must be registered, exactly, by the client that is identified.
      const client = clientId ? await clients.get(clientId) : null;
      if (!client || !client.postLogoutRedirectUris.includes(redirect)) {
        throw oauthError(
          'invalid_request',
          'post_logout_redirect_uri is not registered for this client.',
        );
      }
      return { sessionHint, mustAsk, redirect: withQuery(redirect, { state }), clientId };
    },
  };
}

export type OAuthService = ReturnType<typeof createOAuthService>;
