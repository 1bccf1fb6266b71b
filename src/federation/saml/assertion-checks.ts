import {
  assertionOf,
  BEARER,
  documentOf,
  refuse,
  timeOf,
  type AcsContext,
  type AcsMessage,
  type AcsState,
} from './acs-context.js';

/**
 * The ACS checks of what the signed assertion says (read from the verified element): issuer,
 * audience, destination, recipient, an authentication statement, time window,
 * InResponseTo and replay.
 */

/** The assertion's Issuer (and the Response's, when present) is the connection's IdP. */
export async function checkIssuer(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const expected = ctx.connection.idpEntityId;
  if (assertionOf(state).issuer !== expected) refuse('saml_issuer_mismatch');
  const responseIssuer = documentOf(state).issuer;
  if (responseIssuer !== null && responseIssuer !== expected) refuse('saml_issuer_mismatch');
  return Promise.resolve();
}

/**
 * Audience (Core §2.5.1.4): there is an AudienceRestriction, and every one of them names
 * this connection's SP entity id (each restriction must be met; within one, any audience).
 */
export async function checkAudience(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const restrictions = assertionOf(state).audienceRestrictions;
  if (
    restrictions.length === 0 ||
    !restrictions.every((audiences) => audiences.includes(ctx.endpoints.entityId))
  ) {
    refuse('saml_audience_mismatch');
  }
  return Promise.resolve();
}

/** The Response's Destination is this ACS URL (Bindings §3.5.5.2): not one meant for another SP. */
export async function checkDestination(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  if (documentOf(state).destination !== ctx.endpoints.acsUrl) refuse('saml_destination_mismatch');
  return Promise.resolve();
}

/**
 * A bearer SubjectConfirmation whose SubjectConfirmationData Recipient is this ACS URL
 * (Profiles §4.1.4.2); it is the one whose NotOnOrAfter and InResponseTo count.
 */
export async function checkRecipient(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const bearer = assertionOf(state).subjectConfirmations.find(
    (sc) => sc.method === BEARER && sc.recipient === ctx.endpoints.acsUrl,
  );
  if (!bearer) return refuse('saml_recipient_mismatch');
  state.bearer = bearer;
  return Promise.resolve();
}

/**
 * The assertion states that the IdP authenticated the person: the bearer assertions of
 * Web Browser SSO "MUST contain at least one <AuthnStatement>" (Profiles §4.1.4.2). One
 * that only states attributes signs no one in.
 */
export async function checkAuthnStatement(_message: AcsMessage, state: AcsState): Promise<void> {
  if (assertionOf(state).authnStatements.length === 0) refuse('saml_authn_statement_missing');
  return Promise.resolve();
}

/**
 * Now is within NotBefore / NotOnOrAfter of the Conditions and the bearer confirmation,
 * and before the session's SessionNotOnOrAfter, give or take the configured clock skew.
 * A bearer assertion must say when it stops being usable (Profiles §4.1.4.2).
 */
export async function checkTimeWindow(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const assertion = assertionOf(state);
  const now = ctx.nowMs;
  const notBefore = [
    ...assertion.conditions.map((c) => c.notBefore),
    state.bearer?.notBefore ?? null,
  ].filter((v): v is string => v !== null);
  const notOnOrAfter = [
    ...assertion.conditions.map((c) => c.notOnOrAfter),
    state.bearer?.notOnOrAfter ?? null,
    ...assertion.authnStatements.map((s) => s.sessionNotOnOrAfter),
  ].filter((v): v is string => v !== null);
  if (!state.bearer?.notOnOrAfter) refuse('saml_assertion_expired');
  for (const value of notBefore) {
    if (now + ctx.skewMs < timeOf(value)) refuse('saml_assertion_not_yet_valid');
  }
  for (const value of notOnOrAfter) {
    if (now - ctx.skewMs >= timeOf(value)) refuse('saml_assertion_expired');
  }
  state.expiresAtMs = Math.min(...notOnOrAfter.map(timeOf)) + ctx.skewMs;
  return Promise.resolve();
}

/**
 * InResponseTo names a pending AuthnRequest of Latchkey's, used once, and the RelayState
 * is that request's transaction handle. A response that answers no request (IdP-initiated)
 * is accepted only when the connection allows it. The browser binding of the transaction
 * is checked when the login completes in that browser.
 */
export async function checkInResponseTo(
  message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const signed = state.bearer?.inResponseTo ?? null;
  const envelope = documentOf(state).inResponseTo;
  if (envelope !== null && envelope !== signed) refuse('saml_in_response_to_unknown');
  if (signed === null) {
    if (!ctx.connection.allowIdpInitiated) refuse('saml_unsolicited_not_allowed');
    state.solicited = null;
    return;
  }
  const pending = await ctx.consumeRequest(signed);
  if (!pending.ok)
    refuse(
      pending.reason === 'reused' ? 'saml_in_response_to_reused' : 'saml_in_response_to_unknown',
    );
  const { handle } = pending;
  if (message.relayState !== handle) refuse('saml_relay_state_mismatch');
  state.solicited = { requestId: signed, handle };
  state.forceAuthnAtMs = pending.forceAuthnAtMs ?? null;
}

/**
 * When the AuthnRequest asked ForceAuthn="true" (a fresh sign-in Latchkey forces:
 * prompt=login, a too-old session), every AuthnStatement's AuthnInstant is no earlier
 * than when that request was sent, give or take the clock skew: the IdP "MUST
 * authenticate the presenter directly rather than rely on a previous security context"
 * (SAML Core §3.4.1), and an IdP that answered from its own old session proved no fresh
 * sign-in.
 */
export async function checkAuthnInstant(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const forcedAtMs = state.forceAuthnAtMs ?? null;
  if (forcedAtMs === null) return;
  for (const statement of assertionOf(state).authnStatements) {
    const instant = statement.authnInstant ?? refuse('saml_response_malformed');
    if (timeOf(instant) < forcedAtMs - ctx.skewMs) refuse('saml_authn_instant_too_old');
  }
  return Promise.resolve();
}

/** The assertion's ID has not been seen from this IdP before (kept until it expires). */
export async function checkReplay(
  _message: AcsMessage,
  state: AcsState,
  ctx: AcsContext,
): Promise<void> {
  const id = assertionOf(state).id ?? refuse('saml_response_malformed');
  const ttlMs = Math.max(1000, (state.expiresAtMs ?? ctx.nowMs) - ctx.nowMs);
  if (!(await ctx.claimAssertion(`${ctx.connection.idpEntityId}\0${id}`, ttlMs)))
    refuse('saml_assertion_replayed');
}
