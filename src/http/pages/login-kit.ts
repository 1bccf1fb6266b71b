import express, { type Request, type RequestHandler, type Response } from 'express';
import { parse as parseCookies } from 'cookie';
import {
  DEFAULT_RETURN_TARGET,
  LoginFailure,
  MAX_SAML_MESSAGE_BYTES,
  safeReturnTarget,
  type LoginService,
} from '../../federation/index.js';
import { AppError } from '../../platform/errors.js';
import { contextOf, type RequestContext } from '../../platform/request-context.js';
import { continueToIdpPage } from '../views/login-pages.js';
import type { OrgLook } from '../views/layout.js';
import { fromElsewhere, pageForm, postFromElsewhere } from './page-form.js';
import type { Doors } from '../../platform/rate-limit/index.js';

/** The query of /login after a sign-in the person cancelled at their IdP. */
export const CANCELLED_NOTICE = 'notice=cancelled';

export interface LoginRoutesDeps {
  login: LoginService;
  issuer: string;
  bodyLimitBytes: number;
  session: {
    name: string;
    options: { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean };
  };
  /** Whether a URI is exactly one of an active client's redirect URIs. */
  isRegisteredRedirectUri(uri: string): Promise<boolean>;
  /** The email of the user a live session token belongs to, or null. */
  signedInEmail(sessionToken: string): Promise<string | null>;
  /** Rate limits of the sign-in pages (none: unlimited, for tools and tests). */
  doors?: PageDoors;
  /** An org's look on its employees' pages, or null (none: every page has the default). */
  pageBranding?: PageBrandingLookup;
}

/** An org's look by its id, or null for the default look. */
export type PageBrandingLookup = (orgId: string) => Promise<OrgLook | null>;

/**
 * The org's look, or the default when there is no lookup or it fails: branding decorates
 * a page, it never stops a sign-in.
 */
export const lookOf = (lookup: PageBrandingLookup | undefined, orgId: string) =>
  lookup ? lookup(orgId).catch(() => null) : Promise.resolve(null);

/** The doors of the sign-in pages (platform/rate-limit). */
export type PageDoors = Pick<Doors, 'login' | 'callback'>;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAX_EMAIL = 320;
// The ACS form: a 256 KB message grows by 4/3 in base64 and again when form-encoded; the
// message's own size is checked first of all by the ACS checks.
export const ACS_BODY_LIMIT_BYTES = MAX_SAML_MESSAGE_BYTES * 2 + 16 * 1024;
// SAML Bindings §3.5.3: RelayState is at most 80 bytes; Latchkey's handles are 43.
export const MAX_RELAY_STATE = 1024;

/** The SAML endpoints' form parser (ACS, SLO): room for a whole SAML message, few fields. */
export const acsForm = express.urlencoded({
  extended: false,
  limit: ACS_BODY_LIMIT_BYTES,
  parameterLimit: 10,
});

export const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The connection id of a route or form, checked to be a UUID; else the page refuses. */
export function connectionIdOf(raw: string): string {
  if (!UUID.test(raw))
    throw new AppError('connection_unavailable', 'This sign-in option is not available.');
  return raw;
}

/** A RelayState from a form post, or null where absent or over-long. */
export function relayStateOf(body: Record<string, unknown>): string | null {
  const relayState = typeof body.RelayState === 'string' ? body.RelayState : null;
  return relayState && relayState.length <= MAX_RELAY_STATE ? relayState : null;
}

/** What the login pages' route groups share: deps, the form parser, cookies and checks. */
export interface LoginKit {
  deps: LoginRoutesDeps;
  form: RequestHandler;
  /** The transaction cookie binds a login to the browser that started it. */
  txCookie: string;
  txOptions: {
    httpOnly: true;
    sameSite: 'lax';
    path: '/';
    secure: boolean;
    maxAge: number;
  };
  context(req: Request, res: Response): RequestContext;
  /** return_to, checked: a Latchkey path or a registered client redirect URI; else refused. */
  returnTarget(raw: unknown): Promise<string>;
  fromElsewhere(req: Request): boolean;
  refuseFromElsewhere(req: Request): void;
  /** A page with a login form: its posts must carry this origin (see fromElsewhere). */
  formPage(res: Response, page: string, status?: number): void;
  begin(req: Request, res: Response, start: BeginRequest): Promise<void>;
}

export interface BeginRequest {
  connectionId: string;
  returnTo: string;
  loginHint: string | null;
  viaForm?: boolean;
  /** A test sign-in (its report at returnTo, no session); a draft connection only so. */
  test?: { id: string };
}

/**
 * A test sign-in that failed goes to its report, where the reason is shown to the admin
 * who started it, instead of the error page: true when the browser was sent there.
 */
export function sentToTestReport(error: unknown, res: Response): boolean {
  if (!(error instanceof LoginFailure) || !error.test) return false;
  res.redirect(303, error.test.returnTo);
  return true;
}

export function loginKit(deps: LoginRoutesDeps): LoginKit {
  const secure = deps.session.options.secure;
  const txCookie = secure ? '__Host-latchkey-login' : 'latchkey-login';
  const txOptions = {
    httpOnly: true as const,
    sameSite: 'lax' as const,
    path: '/' as const,
    secure,
    maxAge: 10 * 60_000,
  };
  const context = (req: Request, res: Response) => contextOf(req, res.locals);

  const returnTarget = async (raw: unknown): Promise<string> => {
    if (raw === undefined || raw === '') return DEFAULT_RETURN_TARGET;
    const registered =
      typeof raw === 'string' && !raw.startsWith('/')
        ? await deps.isRegisteredRedirectUri(raw)
        : false;
    const target = safeReturnTarget(raw, () => registered);
    if (!target) {
      throw new AppError(
        'return_to_refused',
        'This sign-in link points somewhere Latchkey will not send you.',
        { status: 400 },
      );
    }
    return target;
  };

  /**
   * Login CSRF (a tenant that runs its own IdP signing a victim's browser in to the
   * tenant's account): a login starts only from this origin (page-form.ts fromElsewhere).
   */
  const issuerOrigin = new URL(deps.issuer).origin;
  const refuseFromElsewhere = (req: Request) => {
    if (postFromElsewhere(req, issuerOrigin))
      throw new AppError(
        'login_cross_site',
        'This sign-in was started by another site. Start again from the sign-in page.',
        { status: 403 },
      );
  };
  const formPage = (res: Response, page: string, status = 200) => {
    res.status(status).set('Referrer-Policy', 'same-origin').type('html').send(page);
  };

  /**
   * Starts the login at one connection (in place of the browser's previous one) and hands
   * the browser to its IdP: by a 303, or, after a form post (`viaForm`), by a page that
   * continues there.
   */
  const begin = async (req: Request, res: Response, start: BeginRequest) => {
    const { viaForm = false, ...request } = start;
    // The browser's previous login (its cookie, about to be replaced) is removed.
    const previousTransactionCookie = parseCookies(req.get('cookie') ?? '')[txCookie] ?? null;
    let started;
    try {
      started = await deps.login.start(
        { ...request, previousTransactionCookie },
        context(req, res),
      );
    } catch (error) {
      if (sentToTestReport(error, res)) return;
      throw error;
    }
    res.cookie(txCookie, started.transactionCookie, txOptions);
    if (viaForm) {
      res
        .type('html')
        .send(continueToIdpPage({ url: started.redirectUrl, name: 'your company sign-in' }));
    } else {
      res.redirect(303, started.redirectUrl);
    }
  };

  return {
    deps,
    form: pageForm(deps.bodyLimitBytes),
    txCookie,
    txOptions,
    context,
    returnTarget,
    fromElsewhere: (req: Request) => fromElsewhere(req, issuerOrigin),
    refuseFromElsewhere,
    formPage,
    begin,
  };
}
