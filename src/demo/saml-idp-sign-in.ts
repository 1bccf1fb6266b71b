import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { Logger } from '../platform/logger.js';
import { constantTimeEqual } from '../platform/crypto/index.js';
import { readForm, signInFrom } from './demo-form.js';
import { DEMO_ONE_TIME_CODE, oneTimeCodePage } from './oidc-idp-pages.js';
import {
  askedAuthnContextOf,
  classRefFor,
  strengthsFor,
  type AskedAuthnContext,
  type DemoStrength,
} from './saml-idp-authn-context.js';
import { octetStringOf, type DemoSamlEntities } from './saml-idp-entities.js';
import type { DemoSamlAccount, DemoSamlSp } from './saml-idp-model.js';
import { samlLoginPage, samlPostPage } from './saml-idp-pages.js';
import { html } from '../http/views/html.js';
import {
  STATUS_NO_AUTHN_CONTEXT,
  STATUS_RESPONDER,
  type Answering,
  type DemoSamlResponses,
} from './saml-idp-response.js';

/**
 * The development SAML IdP's sign-in (SSO over HTTP-Redirect), on plain forms:
 *
 *   GET  /saml/sso         a trusted SP's AuthnRequest (its signature verified when the SP
 *                          is registered with a certificate): the sign-in form; when its
 *                          RequestedAuthnContext asks for nothing the IdP can do, at once
 *                          a Responder/NoAuthnContext Response to post back
 *   POST /saml/sso/login   email + any password for a demo account; then the one-time code
 *                          when the request asks for MFA or the person chose "Use a
 *                          one-time code", else the Response (password)
 *   POST /saml/sso/code    the one-time code (123456): the Response (MFA)
 *
 * Each answer is a page whose visible Continue button POSTs SAMLResponse + RelayState to
 * the SP's ACS (no script: a script-free auto-post is impossible).
 */

/** How long a sign-in form stays usable. */
const PENDING_TTL_MS = 10 * 60_000;

/** The one-time code step of a pending sign-in (it has no Cancel). */
const codePage = (idpName: string, pending: string, error: string | null) =>
  oneTimeCodePage({
    idpName,
    action: '/saml/sso/code',
    hidden: html`<input type="hidden" name="pending" value="${pending}" />`,
    error,
  });
const MAX_PENDING = 1000;

interface Pending {
  requestId: string;
  sp: DemoSamlSp;
  relayState: string | null;
  asked: AskedAuthnContext | null;
  /** The strengths that satisfy the request, weakest first (never empty). */
  strengths: DemoStrength[];
  /** Set once the password step passed and the code is awaited. */
  awaitingCode: DemoSamlAccount | null;
  expiresAtMs: number;
}

export function createDemoSamlSignIn(deps: {
  idpName: string;
  accounts: DemoSamlAccount[];
  entities: DemoSamlEntities;
  responses: DemoSamlResponses;
  trusted: ReadonlyMap<string, DemoSamlSp>;
  logger: Pick<Logger, 'warn'>;
  send: (res: http.ServerResponse, status: number, body: string) => void;
  fail: (res: http.ServerResponse, status: number, heading: string, lines: string[]) => void;
}) {
  const { idpName, responses, send, fail } = deps;
  const byEmail = new Map(deps.accounts.map((a) => [a.email.toLowerCase(), a]));
  const demoEmails = deps.accounts.map((a) => a.email);
  const pending = new Map<string, Pending>();

  const prune = (now: number) => {
    for (const [key, entry] of pending) if (entry.expiresAtMs <= now) pending.delete(key);
    while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
  };

  const loginForm = (key: string, entry: Pending, email: string, error: string | null) =>
    samlLoginPage({
      idpName,
      pending: key,
      spName: entry.sp.name ?? entry.sp.entityId,
      email,
      error,
      demoEmails,
      secondStep: secondStepOf(entry.strengths),
    });

  /** The pending sign-in a form names, or null (expired, used, or never issued). */
  const pendingOf = (form: URLSearchParams) => {
    const key = form.get('pending') ?? '';
    const entry = pending.get(key);
    return entry && entry.expiresAtMs > Date.now() ? { key, entry } : null;
  };
  const expired = (res: http.ServerResponse) =>
    fail(res, 400, 'This sign-in has expired', [
      'It was started too long ago, or already used.',
      'Go back to the application and sign in again.',
    ]);

  /** Signs the person in at this strength: the Response, on a page that posts it. */
  const answer = async (
    res: http.ServerResponse,
    entry: Pending,
    account: DemoSamlAccount,
    strength: DemoStrength,
  ) => {
    const samlResponse = await responses.signIn(entry, account, classRefFor(strength, entry.asked));
    send(
      res,
      200,
      samlPostPage({
        idpName,
        heading: `Signed in as ${account.name}`,
        lead: 'Continue to return to the application.',
        acsUrl: entry.sp.acsUrl,
        samlResponse,
        relayState: entry.relayState,
      }),
    );
  };

  const sso = async (res: http.ServerResponse, url: URL) => {
    const request = url.searchParams.has('SAMLRequest') ? await readAuthnRequest(deps, url) : null;
    if (!request) {
      return fail(res, 400, 'Sign-in error', [
        'This sign-in request was not accepted: it is missing, malformed, unsigned, or from an application this IdP does not know.',
      ]);
    }
    const strengths = strengthsFor(request.asked);
    if (strengths.length === 0)
      return send(res, 200, noAuthnContextPage(idpName, responses, request));
    const now = Date.now();
    prune(now);
    const key = randomBytes(24).toString('base64url');
    const entry: Pending = {
      ...request,
      strengths,
      awaitingCode: null,
      expiresAtMs: now + PENDING_TTL_MS,
    };
    pending.set(key, entry);
    send(res, 200, loginForm(key, entry, '', null));
  };

  const login = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const form = await readForm(req);
    const found = pendingOf(form);
    if (!found || found.entry.awaitingCode) return expired(res);
    const { key, entry } = found;
    const signIn = signInFrom(form, byEmail, idpName);
    if (!signIn.account) return send(res, 422, loginForm(key, entry, signIn.email, signIn.problem));
    const chosen = form.get('second_step') === 'code' && entry.strengths.includes(2);
    if (chosen || !entry.strengths.includes(1)) {
      entry.awaitingCode = signIn.account;
      return send(res, 200, codePage(idpName, key, null));
    }
    pending.delete(key);
    await answer(res, entry, signIn.account, 1);
  };

  const code = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const form = await readForm(req);
    const found = pendingOf(form);
    const account = found?.entry.awaitingCode;
    if (!found || !account) return expired(res);
    if (!constantTimeEqual(form.get('code') ?? '', DEMO_ONE_TIME_CODE)) {
      const error = 'That code is not right. Try again.';
      return send(res, 422, codePage(idpName, found.key, error));
    }
    pending.delete(found.key);
    await answer(res, found.entry, account, 2);
  };

  return { sso, login, code };
}

/** The AuthnRequest of a trusted SP, its signature checked; null when none reads it. */
async function readAuthnRequest(
  deps: {
    entities: DemoSamlEntities;
    trusted: ReadonlyMap<string, DemoSamlSp>;
    logger: Pick<Logger, 'warn'>;
  },
  url: URL,
) {
  const { entities, trusted, logger } = deps;
  const octetString = octetStringOf(url);
  const query = Object.fromEntries(url.searchParams);
  for (const sp of trusted.values()) {
    try {
      const parsed = await entities
        .idpEntity(sp.signingCertificatePem !== null)
        .parseLoginRequest(entities.spEntity(sp), 'redirect', { query, octetString });
      if (String(parsed.extract.issuer) !== sp.entityId) continue;
      const request = parsed.extract.request as Record<string, string | undefined>;
      if (!request.id) continue;
      const acs = request.assertionConsumerServiceUrl;
      if (acs !== undefined && acs !== sp.acsUrl) {
        logger.warn(
          { component: 'demo-saml-idp', acs, sp: sp.entityId },
          'AuthnRequest names an ACS the SP did not register',
        );
        return null;
      }
      return {
        sp,
        requestId: request.id,
        relayState: url.searchParams.get('RelayState'),
        asked: askedAuthnContextOf(parsed.samlContent),
      };
    } catch {
      // Not this SP's request (or its signature is wrong): try the next one.
    }
  }
  return null;
}

/** Whether the sign-in form asks the code (only MFA satisfies), offers it, or neither. */
const secondStepOf = (strengths: DemoStrength[]) =>
  !strengths.includes(1) ? 'required' : strengths.includes(2) ? 'offered' : 'none';

/**
 * SAML Core §3.3.2.2.1: a RequestedAuthnContext the IdP cannot satisfy is answered with a
 * Responder status whose second level is NoAuthnContext, on a page that posts it back.
 */
function noAuthnContextPage(
  idpName: string,
  responses: DemoSamlResponses,
  request: Answering & { relayState: string | null },
): string {
  const samlResponse = responses.refusal(request, {
    top: STATUS_RESPONDER,
    second: STATUS_NO_AUTHN_CONTEXT,
    message: 'The requested authentication context cannot be satisfied.',
  });
  return samlPostPage({
    idpName,
    heading: 'This sign-in cannot be done here',
    lead: `The application asks for a kind of sign-in ${idpName} does not offer. Continue to return to the application.`,
    acsUrl: request.sp.acsUrl,
    samlResponse,
    relayState: request.relayState,
  });
}
