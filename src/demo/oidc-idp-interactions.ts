import type { IncomingMessage, ServerResponse } from 'node:http';
import { constantTimeEqual } from '../platform/crypto/index.js';
import {
  DEMO_ONE_TIME_CODE,
  errorPage,
  loginPage,
  oneTimeCodePage,
  PAGE_HEADERS,
} from './oidc-idp-pages.js';
import { FormError, readForm, signInFrom } from './demo-form.js';

/**
 * The demo IdP's interaction pages, on plain node:http (no JavaScript in the browser,
 * plain form posts):
 *
 *   GET  /interaction/:uid         the sign-in form, or (consent prompt) auto-approval
 *   POST /interaction/:uid/login   email + password; any password for a demo account
 *   POST /interaction/:uid/otp     the one-time code (123456), when acr_values asks for MFA
 *                                  or the account requires it: amr [pwd, otp], acr …:mfa
 *   POST /interaction/:uid/abort   Cancel: the client receives error=access_denied
 *
 * What it needs of oidc-provider comes through `InteractionPort` (oidc-idp.ts), so this
 * module never imports it.
 */

/** The one-time code form of an interaction: Continue posts the code, Cancel aborts. */
const codeForm = (uid: string) => ({
  action: `/interaction/${uid}/otp`,
  cancelAction: `/interaction/${uid}/abort`,
});

export interface PendingInteraction {
  uid: string;
  prompt: string;
  clientName: string;
  loginHint: string | null;
  /** The acr_values of the authorization request (OIDC Core §3.1.2.1), in order. */
  acrValues: string[];
}

/** The levels the demo IdP proves (the same URNs as Latchkey's, docs/assurance.md). */
export const DEMO_ACR = { pwd: 'urn:latchkey:loa:pwd', mfa: 'urn:latchkey:loa:mfa' } as const;

export type InteractionResult =
  | { login: { accountId: string; amr: string[]; acr: string } }
  | { error: 'access_denied'; error_description: string };

export interface InteractionPort {
  /** The interaction bound to this browser (cookie); throws when there is none. */
  details(req: IncomingMessage, res: ServerResponse): Promise<PendingInteraction>;
  /** Records the result and redirects the browser back to the authorization endpoint. */
  finish(req: IncomingMessage, res: ServerResponse, result: InteractionResult): Promise<void>;
  /** Grants what the consent prompt asks for (first-party clients) and resumes. */
  approveConsent(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The interaction expired, or its cookie is missing (another browser). */
  isSessionNotFound(error: unknown): boolean;
}

export function createInteractionHandler(deps: {
  port: InteractionPort;
  /** The demo accounts (oidc-idp.ts DemoAccount): email → subject, and whether MFA is theirs. */
  accounts: Array<{ sub: string; email: string; requireMfa?: boolean }>;
  idpName: string;
  onError: (error: unknown) => void;
}) {
  const { port, idpName } = deps;
  const byEmail = new Map(deps.accounts.map((a) => [a.email.toLowerCase(), a]));
  const demoEmails = deps.accounts.map((a) => a.email);
  /** Interactions whose password step passed and whose code is awaited: uid → subject. */
  const awaitingCode = new Map<string, string>();

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, PAGE_HEADERS);
    res.end(body);
  };
  const loginForm = (pending: PendingInteraction, email: string, error: string | null) =>
    loginPage({
      idpName,
      uid: pending.uid,
      clientName: pending.clientName,
      email,
      error,
      demoEmails,
    });

  /** The interaction of this browser, and the uid in the path must be its own. */
  const pendingFor = async (req: IncomingMessage, res: ServerResponse, uid: string) => {
    const pending = await port.details(req, res);
    return pending.uid === uid ? pending : null;
  };

  const routes: Record<
    string,
    (req: IncomingMessage, res: ServerResponse, uid: string) => Promise<void>
  > = {
    async 'GET '(req, res, uid) {
      const pending = await pendingFor(req, res, uid);
      if (!pending) return expired(res);
      if (pending.prompt === 'login')
        return send(res, 200, loginForm(pending, pending.loginHint ?? '', null));
      // Every demo client is first-party: consent is granted without asking.
      if (pending.prompt === 'consent') return port.approveConsent(req, res);
      send(
        res,
        400,
        errorPage(idpName, 'Sign-in error', [`Unsupported prompt ${pending.prompt}.`]),
      );
    },

    async 'POST login'(req, res, uid) {
      const form = await readForm(req);
      const pending = await pendingFor(req, res, uid);
      if (!pending) return expired(res);
      if (pending.prompt !== 'login') return expired(res);
      const signIn = signInFrom(form, byEmail, idpName);
      if (!signIn.account) return send(res, 422, loginForm(pending, signIn.email, signIn.problem));
      const { sub } = signIn.account;
      if (signIn.account.requireMfa || pending.acrValues.includes(DEMO_ACR.mfa)) {
        awaitingCode.set(uid, sub);
        return send(res, 200, oneTimeCodePage({ idpName, ...codeForm(uid), error: null }));
      }
      await port.finish(req, res, { login: { accountId: sub, amr: ['pwd'], acr: DEMO_ACR.pwd } });
    },

    async 'POST otp'(req, res, uid) {
      const form = await readForm(req);
      const pending = await pendingFor(req, res, uid);
      const sub = awaitingCode.get(uid);
      if (!pending || pending.prompt !== 'login' || !sub) return expired(res);
      if (!constantTimeEqual(form.get('code') ?? '', DEMO_ONE_TIME_CODE)) {
        const error = 'That code is not right. Try again.';
        return send(res, 422, oneTimeCodePage({ idpName, ...codeForm(uid), error }));
      }
      awaitingCode.delete(uid);
      const login = { accountId: sub, amr: ['pwd', 'otp'], acr: DEMO_ACR.mfa };
      await port.finish(req, res, { login });
    },

    async 'POST abort'(req, res, uid) {
      await readForm(req);
      const pending = await pendingFor(req, res, uid);
      if (!pending) return expired(res);
      await port.finish(req, res, {
        error: 'access_denied',
        error_description: 'The user cancelled the sign-in.',
      });
    },
  };

  const expired = (res: ServerResponse) =>
    send(
      res,
      400,
      errorPage(idpName, 'This sign-in has expired', [
        'It was started too long ago or in another browser.',
        'Go back to the application and sign in again.',
      ]),
    );

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const match = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|otp|abort))?$/.exec(path);
    const route = match ? routes[`${req.method ?? ''} ${match[2] ?? ''}`] : undefined;
    if (!match || !route) {
      send(res, 404, errorPage(idpName, 'Not found', ['There is no such page.']));
      return;
    }
    try {
      await route(req, res, match[1]!);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof FormError) {
        send(
          res,
          error.status,
          errorPage(idpName, 'Sign-in error', ['The form was not accepted.']),
        );
      } else if (port.isSessionNotFound(error)) {
        expired(res);
      } else {
        deps.onError(error);
        send(res, 500, errorPage(idpName, 'Sign-in error', ['Something went wrong.']));
      }
    }
  };
}
