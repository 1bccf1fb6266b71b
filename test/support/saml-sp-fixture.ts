import { loginFailureRowsOf } from './rate-limits.js';
import assert from 'node:assert/strict';
import { startLiveApp, type LiveApp } from './live.js';
import {
  createSamlTestIdp,
  type ResponseOptions,
  type SamlTestIdp,
  type SpTarget,
} from './saml-idp.js';
import { verifiedDomain } from './federation-seed.js';

/**
 * A live Latchkey with SAML connections to test IdPs (samlify's IdentityProvider role),
 * for the SAML login tests:
 *   globex   (globex.test)   SP-initiated only; requests signed; assertions must be signed
 *   initech  (initech.test)  IdP-initiated allowed; requests unsigned; signed response
 *                            enough (want_assertions_signed off)
 */
const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

export const GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
export const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
export const NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

/** Cookies of one browser, as a jar: name → value (enough for Latchkey's Path=/ cookies). */
export class Browser {
  readonly jar = new Map<string, string>();
  header() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const name = pair!.slice(0, pair!.indexOf('=')).trim();
      const value = pair!.slice(pair!.indexOf('=') + 1);
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
  async get(url: string) {
    const res = await fetch(url, { headers: { cookie: this.header() }, redirect: 'manual' });
    this.take(res);
    return res;
  }
  /**
   * The SAML login's continue step: an IdP-initiated sign-in shows a page to confirm,
   * whose button the person presses (a form post from Latchkey's own origin).
   */
  async continueSaml(url: string) {
    const res = await this.get(url);
    if (res.status !== 200) return res;
    const page = await res.text();
    const handle = /name="handle" value="([^"]+)"/.exec(page)?.[1];
    if (!handle) throw new Error('the continue step answered 200 without a confirmation form');
    const confirmed = await fetch(new URL('/login/saml/continue', url), {
      method: 'POST',
      headers: {
        cookie: this.header(),
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams({ handle }),
      redirect: 'manual',
    });
    this.take(confirmed);
    return confirmed;
  }
}

export interface SamlConnectionUnderTest {
  orgId: string;
  connectionId: string;
  idp: SamlTestIdp;
  sp: SpTarget;
}

export interface SamlFixture {
  t: LiveApp;
  globex: SamlConnectionUnderTest;
  initech: SamlConnectionUnderTest;
  close(): Promise<void>;
  /**
   * Starts a login at /login for the email in a fresh browser (or the one given), and
   * reads the AuthnRequest the IdP receives.
   */
  startLogin(
    email: string,
    browser?: Browser,
  ): Promise<{ browser: Browser; requestId: string; relayState: string; redirectUrl: string }>;
  /** POSTs a SAMLResponse to the ACS as the IdP's page would (cross-site: no cookies). */
  postToAcs(
    connection: SamlConnectionUnderTest,
    samlResponse: string,
    relayState: string | null,
  ): Promise<Response>;
  /** The whole way: login → IdP response → ACS → continue in the browser. */
  login(
    email: string,
    response: Omit<ResponseOptions, 'inResponseTo'> & { inResponseTo?: string | null },
  ): Promise<{ browser: Browser; acs: Response; done: Response | null }>;
  /** Asserts the login failed with this reason: error page, correlation id, audit row, no session. */
  assertLoginFailedWith(res: Response, reason: string): Promise<void>;
}

export async function startSamlFixture(env: Record<string, string> = {}): Promise<SamlFixture> {
  const t = await startLiveApp({ env });
  const connectionFor = async (
    slug: string,
    domain: string,
    settings: Record<string, unknown>,
  ): Promise<SamlConnectionUnderTest> => {
    const org = await t.app.orgs.create({ slug, name: slug }, platform, ctx);
    await verifiedDomain(t, org.id, domain);
    const idp = createSamlTestIdp();
    const connection = await t.app.connections.create(
      org.id,
      {
        type: 'saml',
        name: `${slug} IdP`,
        idp_entity_id: idp.entityId,
        idp_sso_url: idp.ssoUrl,
        idp_certificates: [idp.keys.certificatePem],
        role_mapping: { 'ads-managers': 'ads:manager' },
        ...settings,
      },
      platform,
      ctx,
    );
    await t.app.connections.update(
      org.id,
      connection.id,
      { status: 'active' },
      null,
      platform,
      ctx,
    );
    const base = `${t.issuer}/saml/${connection.id}`;
    const metadata = await fetch(`${base}/metadata`);
    assert.equal(metadata.status, 200);
    return {
      orgId: org.id,
      connectionId: connection.id,
      idp,
      sp: { entityId: base, acsUrl: `${base}/acs`, metadataXml: await metadata.text() },
    };
  };

  const globex = await connectionFor('globex', 'globex.test', {});
  const initech = await connectionFor('initech', 'initech.test', {
    allow_idp_initiated: true,
    sign_requests: false,
    want_assertions_signed: false,
  });

  const fixture: SamlFixture = {
    t,
    globex,
    initech,
    close: () => t.close(),

    async startLogin(email, browser = new Browser()) {
      const start = await browser.get(
        `${t.issuer}/login?login_hint=${encodeURIComponent(email)}&return_to=%2Faccount`,
      );
      assert.equal(start.status, 303, await start.text());
      const redirectUrl = start.headers.get('location')!;
      const connection = email.endsWith('@initech.test') ? initech : globex;
      assert.ok(redirectUrl.startsWith(`${connection.idp.ssoUrl}?`), redirectUrl);
      const request = await connection.idp.readRequest(connection.sp, redirectUrl, {
        expectSigned: connection === globex,
      });
      assert.ok(request.relayState);
      return { browser, requestId: request.id, relayState: request.relayState, redirectUrl };
    },

    postToAcs(connection, samlResponse, relayState) {
      const form = new URLSearchParams({ SAMLResponse: samlResponse });
      if (relayState !== null) form.set('RelayState', relayState);
      return fetch(connection.sp.acsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
      });
    },

    async login(email, response) {
      const connection = email.endsWith('@initech.test') ? initech : globex;
      const { browser, requestId, relayState } = await fixture.startLogin(email);
      const samlResponse = await connection.idp.respond(connection.sp, {
        ...response,
        inResponseTo: response.inResponseTo === undefined ? requestId : response.inResponseTo,
      });
      const acs = await fixture.postToAcs(connection, samlResponse, relayState);
      if (acs.status !== 303) return { browser, acs, done: null };
      const done = await browser.continueSaml(
        new URL(acs.headers.get('location')!, t.issuer).toString(),
      );
      return { browser, acs, done };
    },

    async assertLoginFailedWith(res, reason) {
      assert.equal(res.status >= 400, true, `status ${res.status}`);
      const page = await res.text();
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.ok(
        page.includes(reason),
        `the page names ${reason}: ${/Reason<\/dt>\s*<dd><code>([^<]*)/.exec(page)?.[1]}`,
      );
      assert.ok(
        page.includes(res.headers.get('x-request-id')!),
        'the page shows the correlation id',
      );
      assert.doesNotMatch(page, /at \w+ \(|node_modules|stack/i);
      assert.equal(
        res.headers
          .getSetCookie()
          .some((c) => c.startsWith('latchkey=') && !/Expires=Thu, 01 Jan 1970/i.test(c)),
        false,
        'no session cookie',
      );
      const rows = await loginFailureRowsOf(t, res.headers.get('x-request-id'), reason);
      assert.deepEqual(
        rows.map((r) => [r.reason, r.data.protocol]),
        [[reason, 'saml']],
      );
    },
  };
  return fixture;
}
