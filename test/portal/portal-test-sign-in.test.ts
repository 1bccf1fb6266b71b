import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifiedDomain } from '../support/federation-seed.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import {
  createSamlTestIdp,
  samlKeyPair,
  type SamlTestIdp,
  type SpTarget,
} from '../support/saml-idp.js';
import { Browser, EMAIL, GROUPS, NAME } from '../support/saml-sp-fixture.js';
import type { ConnectionTestReport } from '../../src/federation/index.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const sameOrigin = { 'sec-fetch-site': 'same-origin' };

/**
 * The test sign-in of issue 18, driven as the IT admin's browser would (a fetch browser
 * with a cookie jar), against a real SAML IdP (samlify's IdP role in test/support): a
 * draft connection is tried from the portal, fails on purpose (no email attribute), is
 * shown why, passes, and only then can be activated. A test opens no session and
 * provisions no one.
 */
describe('test sign-in of a draft connection, from the setup portal', () => {
  let t: LiveApp;
  let orgId: string;
  let otherOrgId: string;
  let otherConnectionId: string;
  let idp: SamlTestIdp;
  let connectionId: string;
  let sp: SpTarget;

  const post = (
    browser: Browser,
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${t.issuer}${path}`, {
      method: 'POST',
      headers: {
        cookie: browser.header(),
        'content-type': 'application/x-www-form-urlencoded',
        ...sameOrigin,
        ...headers,
      },
      body: new URLSearchParams(form),
      redirect: 'manual',
    }).then((res) => {
      browser.take(res);
      return res;
    });

  /**
   * Where a test's begin sends the browser: a form post goes on to the IdP through the
   * hand-off page (CSP form-action 'self' forbids redirecting a form post off-site).
   */
  const idpUrlOf = async (begin: Response) => {
    const page = await begin.text();
    assert.equal(begin.status, 200, page);
    const href = new RegExp(`href="(${idp.ssoUrl.replace(/[.?]/g, '\\$&')}[^"]*)"`).exec(page)?.[1];
    assert.ok(href, page);
    return href.replace(/&amp;/g, '&');
  };

  /** A portal session in a new browser, from a link the admin API made, and its CSRF token. */
  const portalBrowser = async (org = orgId) => {
    const { url } = await t.app.portalLinks.create(
      org,
      { intents: ['sso', 'domain_verification'] },
      platform,
      ctx,
    );
    const token = new URL(url).searchParams.get('token')!;
    const browser = new Browser();
    const started = await post(browser, '/portal/start', { token });
    assert.equal(started.status, 303);
    const domains = await fetch(`${t.issuer}/portal/domains`, {
      headers: { cookie: browser.header(), ...sameOrigin },
    });
    const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(await domains.text())![1]!;
    return { browser, csrf };
  };

  /** Starts a test at the portal and answers it at the IdP; the report page's response. */
  const runTest = async (
    portal: { browser: Browser; csrf: string },
    answer: {
      nameId: string;
      nameIdFormat?: string;
      attributes: Record<string, string | string[]>;
    },
  ) => {
    const begin = await post(portal.browser, `/portal/sso/${connectionId}/test`, {
      csrf: portal.csrf,
    });
    const redirectUrl = await idpUrlOf(begin);
    assert.ok(redirectUrl.startsWith(`${idp.ssoUrl}?`), redirectUrl);
    const request = await idp.readRequest(sp, redirectUrl);
    const samlResponse = await idp.respond(sp, { inResponseTo: request.id, ...answer });
    const acs = await fetch(sp.acsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: request.relayState! }),
      redirect: 'manual',
    });
    assert.equal(acs.status, 303, await acs.clone().text());
    const done = await portal.browser.get(new URL(acs.headers.get('location')!, t.issuer).href);
    assert.equal(done.status, 303);
    const reportUrl = done.headers.get('location')!;
    assert.match(reportUrl, /^\/portal\/tests\/[0-9a-f-]{36}$/);
    assert.equal(portal.browser.jar.has('latchkey'), false, 'a test opens no session');
    const report = await fetch(`${t.issuer}${reportUrl}`, {
      headers: { cookie: portal.browser.header(), ...sameOrigin },
    });
    return { report, page: await report.text(), testId: reportUrl.split('/').pop()! };
  };

  const connectionStatus = async () =>
    (await t.app.connections.get(orgId, connectionId, platform)).status;
  const usersOfOrg = async () =>
    (
      await t.app.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE org_id = $1',
        [orgId],
      )
    ).rows[0]!.n;
  const testEvents = async () =>
    (
      await t.app.db.query<{ type: string; reason: string | null; actor_type: string }>(
        `SELECT type, reason, actor_type FROM audit_events
         WHERE org_id = $1 AND (type LIKE 'admin.connection.test_%' OR type LIKE 'auth.login.%')
         ORDER BY chain_seq`,
        [orgId],
      )
    ).rows;

  before(async () => {
    t = await startLiveApp();
    const org = await t.app.orgs.create({ slug: 'hooli', name: 'Hooli' }, platform, ctx);
    orgId = org.id;
    await verifiedDomain(t, orgId, 'hooli.test');
    idp = createSamlTestIdp();
    const connection = await t.app.connections.create(
      orgId,
      {
        type: 'saml',
        name: 'Hooli IdP',
        idp_entity_id: idp.entityId,
        idp_sso_url: idp.ssoUrl,
        idp_certificates: [idp.keys.certificatePem],
        role_mapping: { 'ads-managers': 'ads:manager' },
      },
      platform,
      ctx,
    );
    connectionId = connection.id;
    const base = `${t.issuer}/saml/${connectionId}`;
    const metadata = await fetch(`${base}/metadata`);
    sp = { entityId: base, acsUrl: `${base}/acs`, metadataXml: await metadata.text() };
    const other = await t.app.orgs.create({ slug: 'pied', name: 'Pied' }, platform, ctx);
    otherOrgId = other.id;
    otherConnectionId = (
      await t.app.connections.create(
        otherOrgId,
        {
          type: 'saml',
          name: 'Pied IdP',
          idp_entity_id: 'https://idp.pied.test',
          idp_sso_url: 'https://idp.pied.test/sso',
          idp_certificates: [idp.keys.certificatePem],
        },
        platform,
        ctx,
      )
    ).id;
  });
  after(async () => {
    await t.close();
  });

  it('when a draft is opened with a connection link, then it does not start: only a test sign-in may', async () => {
    const res = await fetch(`${t.issuer}/login?connection=${connectionId}`, {
      headers: sameOrigin,
      redirect: 'manual',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /connection_unavailable/);
  });

  it('when the IdP sends no email, then the test fails with email_missing and what to add at the IdP, nothing is provisioned, and Activate is refused', async () => {
    const portal = await portalBrowser();
    const { report, page } = await runTest(portal, {
      nameId: 'employee-7',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      attributes: { [NAME]: 'Gavin Belson', [GROUPS]: ['ads-managers'] },
    });
    assert.equal(report.status, 200);
    assert.match(page, /Test sign-in failed/);
    assert.match(page, /<code>email_missing<\/code>/);
    // The fix names the attribute the connection reads the email from.
    assert.ok(page.includes(`Add an attribute statement named &quot;${EMAIL}&quot;`), page);
    assert.match(page, /<code>employee-7<\/code>/);
    assert.match(page, /✗ Failed: An email address came back/);
    assert.doesNotMatch(page, /action="\/portal\/sso\/[^"]+\/activate"/);
    assert.equal(await usersOfOrg(), 0);

    const activate = await post(portal.browser, `/portal/sso/${connectionId}/activate`, {
      csrf: portal.csrf,
    });
    assert.equal(activate.status, 409);
    const refused = await activate.text();
    assert.match(refused, /connection_untested/);
    assert.match(refused, /Run a test sign-in that passes before activating this connection\./);
    // In the browser's language; its switcher returns to the connection, not to /login.
    const inGerman = await post(
      portal.browser,
      `/portal/sso/${connectionId}/activate`,
      { csrf: portal.csrf },
      { 'accept-language': 'de-DE' },
    );
    assert.equal(inGerman.status, 409);
    const german = await inGerman.text();
    assert.match(german, /<html lang="de"/);
    assert.match(german, /Führen Sie eine erfolgreiche Testanmeldung durch/);
    assert.ok(german.includes(`return_to=${encodeURIComponent(`/portal/sso/${connectionId}`)}`));
    assert.equal(await connectionStatus(), 'draft');
    // Audited as the test's own events, with the portal session as actor: no login events.
    const events = await testEvents();
    assert.deepEqual(
      events.map((e) => [e.type, e.reason, e.actor_type]),
      [
        ['admin.connection.test_started', null, 'portal_session'],
        ['admin.connection.test_failed', 'email_missing', 'portal_session'],
      ],
    );
  });

  it('when the IdP answer does not verify, then the test fails with the ACS reason code and the browser is sent to the report', async () => {
    const portal = await portalBrowser();
    const before = (await testEvents()).length;
    const begin = await post(portal.browser, `/portal/sso/${connectionId}/test`, {
      csrf: portal.csrf,
    });
    const request = await idp.readRequest(sp, await idpUrlOf(begin));
    const forged = await idp.respond(sp, {
      inResponseTo: request.id,
      nameId: 'richard@hooli.test',
      signWith: samlKeyPair('Another key'),
    });
    const acs = await fetch(sp.acsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: forged, RelayState: request.relayState! }),
      redirect: 'manual',
    });
    assert.equal(acs.status, 303);
    const reportUrl = acs.headers.get('location')!;
    assert.match(reportUrl, /^\/portal\/tests\//);
    // Arriving from the IdP's site, the Strict portal cookie is withheld: a link continues.
    const bounced = await fetch(`${t.issuer}${reportUrl}`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    const bouncedPage = await bounced.text();
    assert.match(bouncedPage, /See the result/);
    assert.doesNotMatch(bouncedPage, /richard|saml_/);
    const page = await (
      await fetch(`${t.issuer}${reportUrl}`, {
        headers: { cookie: portal.browser.header(), ...sameOrigin },
      })
    ).text();
    assert.match(page, /Test sign-in failed/);
    assert.match(
      page,
      /<code>saml_signature_invalid<\/code>|<code>saml_certificate_unknown<\/code>/,
    );
    const events = (await testEvents()).slice(before);
    assert.deepEqual(
      events.map((e) => e.type),
      ['admin.connection.test_started', 'admin.connection.test_failed'],
    );
  });

  const storedTest = async (testId: string) =>
    (
      await t.app.db.query<{
        outcome: string;
        reason: string | null;
        report: ConnectionTestReport;
      }>('SELECT outcome, reason, report FROM connection_tests WHERE id = $1', [testId])
    ).rows[0]!;

  it('when the org requires MFA and the IdP proves a password only, then the test fails with assurance_insufficient, its report names the level proven and the level required, and the identity checks still pass', async () => {
    await t.app.orgs.update(orgId, { settings: { require_mfa: true } }, null, platform, ctx);
    try {
      const portal = await portalBrowser();
      const { page, testId } = await runTest(portal, {
        nameId: 'erlich@hooli.test',
        attributes: { [EMAIL]: 'erlich@hooli.test', [NAME]: 'Erlich Bachman' },
      });
      assert.match(page, /Test sign-in failed/);
      assert.match(page, /<code>assurance_insufficient<\/code>/);
      assert.match(
        page,
        /✗ Failed: Your organization&#39;s sign-in strength policy \(MFA, phishing-resistant\) is met\s*\(<code>assurance_insufficient<\/code>\)/,
      );
      assert.match(page, /Turn on MFA for this application at the IdP/, 'what to fix');
      assert.match(
        page,
        /urn:latchkey:loa:pwd \(methods: pwd\); your organization requires urn:latchkey:loa:mfa/,
      );
      assert.equal((page.match(/✓ Passed/g) ?? []).length, 5, 'every identity check passed');
      const stored = await storedTest(testId);
      assert.equal(stored.outcome, 'failed');
      assert.equal(stored.reason, 'assurance_insufficient');
      // The test IdP's AuthnContextClassRef is PasswordProtectedTransport: one factor.
      assert.deepEqual(stored.report.assurance, {
        acr: 'urn:latchkey:loa:pwd',
        amr: ['pwd'],
        required: 'urn:latchkey:loa:mfa',
      });
      assert.deepEqual(stored.report.checks.at(-1), {
        name: 'assurance_sufficient',
        passed: false,
        reason: 'assurance_insufficient',
      });
      assert.equal(await usersOfOrg(), 0);
    } finally {
      await t.app.orgs.update(orgId, { settings: { require_mfa: false } }, null, platform, ctx);
    }
  });

  it('when the test passes, then the report shows what came back and the mapped roles, Activate works, and a later change would need a new test', async () => {
    const portal = await portalBrowser();
    const { page, testId } = await runTest(portal, {
      nameId: 'richard@hooli.test',
      attributes: {
        [EMAIL]: 'richard@hooli.test',
        [NAME]: 'Richard Hendricks',
        [GROUPS]: ['ads-managers', 'staff'],
      },
    });
    assert.match(page, /Test sign-in passed/);
    assert.match(page, /richard@hooli\.test/);
    assert.match(page, /ads-managers, staff/);
    assert.match(page, /<dd>ads:manager<\/dd>/);
    assert.equal((page.match(/✓ Passed/g) ?? []).length, 6, 'the identity checks and assurance');
    assert.match(page, /your organization requires nothing more than a password/);
    assert.deepEqual((await storedTest(testId)).report.assurance, {
      acr: 'urn:latchkey:loa:pwd',
      amr: ['pwd'],
      required: null,
    });
    assert.match(page, new RegExp(`action="/portal/sso/${connectionId}/activate"`));
    assert.equal(await usersOfOrg(), 0, 'a passed test provisions no one either');

    // Another org's portal sees neither the test nor the connection.
    const stranger = await portalBrowser(otherOrgId);
    const foreign = await fetch(`${t.issuer}/portal/tests/${testId}`, {
      headers: { cookie: stranger.browser.header(), ...sameOrigin },
    });
    assert.equal(foreign.status, 404);
    for (const path of [
      `/portal/sso/${connectionId}/test`,
      `/portal/sso/${connectionId}/activate`,
    ]) {
      const res = await post(stranger.browser, path, { csrf: stranger.csrf });
      assert.equal(res.status, 404, path);
    }
    const ownOther = await post(portal.browser, `/portal/sso/${otherConnectionId}/test`, {
      csrf: portal.csrf,
    });
    assert.equal(ownOther.status, 404);
    // Without the CSRF token nothing is done.
    const noCsrf = await post(portal.browser, `/portal/sso/${connectionId}/activate`, {});
    assert.equal(noCsrf.status, 403);
    assert.equal(await connectionStatus(), 'draft');

    const activated = await post(portal.browser, `/portal/sso/${connectionId}/activate`, {
      csrf: portal.csrf,
    });
    assert.equal(activated.status, 303, await activated.clone().text());
    assert.equal(activated.headers.get('location'), `/portal/sso/${connectionId}`);
    assert.equal(await connectionStatus(), 'active');
  });

  it('when the connection changed after its passed test, then the service refuses to activate it until it passes again', async () => {
    const current = await t.app.connections.get(orgId, connectionId, platform);
    await t.app.connections.update(
      orgId,
      connectionId,
      { status: 'disabled' },
      null,
      platform,
      ctx,
    );
    await t.app.connections.update(orgId, connectionId, { name: 'Hooli SSO' }, null, platform, ctx);
    assert.ok(
      (await t.app.connections.get(orgId, connectionId, platform)).version > current.version,
    );
    await assert.rejects(
      t.app.connectionTests.activate(orgId, connectionId, platform, ctx),
      (error: { code?: string; message?: string }) =>
        error.code === 'connection_untested' && /changed since/.test(error.message ?? ''),
    );
    // A disabled connection cannot be tested either: the admin makes it a draft again first.
    await assert.rejects(
      t.app.connectionTests.create(orgId, connectionId, platform, ctx),
      (error: { code?: string }) => error.code === 'connection_disabled',
    );
  });
});
