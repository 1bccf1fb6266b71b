import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  Browser,
  EMAIL,
  GROUPS,
  NAME,
  startSamlFixture,
  type SamlFixture,
} from '../support/saml-sp-fixture.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

describe('browser SSO through a SAML 2.0 IdP (Latchkey as the SP)', () => {
  let f: SamlFixture;

  before(async () => {
    f = await startSamlFixture();
  });
  after(async () => {
    await f.close();
  });

  const alice = {
    nameId: 'alice@globex.test',
    attributes: { [NAME]: 'Alice Martin', [GROUPS]: ['ads-managers', 'staff'] },
  };

  /** The login events written while answering this response, in chain order. */
  const loginEventsOf = async (res: Response) =>
    (
      await f.t.app.db.query<{ type: string; reason: string | null; data: Record<string, string> }>(
        `SELECT type, reason, data FROM audit_events
         WHERE request_id = $1 AND type LIKE 'auth.login.%' ORDER BY chain_seq`,
        [res.headers.get('x-request-id')],
      )
    ).rows;
  const auditRowCount = async () =>
    (await f.t.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`)).rows[0]!
      .n;

  it('when alice signs in at the login page, then the AuthnRequest is signed and names the ACS, she lands on the account page with a session, and she is provisioned by (connection, NameID)', async () => {
    const { browser, acs, done } = await f.login('alice@globex.test', alice);
    assert.equal(acs.status, 303, await acs.clone().text());
    assert.match(acs.headers.get('location')!, /^\/login\/saml\/continue\?handle=/);
    assert.equal(done!.status, 303);
    assert.equal(done!.headers.get('location'), '/account');
    assert.ok(browser.jar.get('latchkey'), 'session cookie set');
    assert.equal(browser.jar.has('latchkey-login'), false, 'transaction cookie cleared');

    const session = await f.t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.ok(session);
    assert.equal(session.orgId, f.globex.orgId);
    assert.equal(session.connectionId, f.globex.connectionId);
    assert.ok(session.upstreamSessionId?.startsWith('_session-'), 'SessionIndex kept for SLO');
    assert.equal(session.upstreamSubject, 'alice@globex.test');
    const { rows } = await f.t.app.db.query<{
      email: string;
      email_verified: boolean;
      name: string;
      roles: string[];
    }>(
      `SELECT u.email, u.email_verified, u.name, u.roles FROM users u JOIN user_identities i ON i.user_id = u.id
       WHERE i.connection_id = $1 AND i.subject = $2`,
      [f.globex.connectionId, 'alice@globex.test'],
    );
    assert.deepEqual(rows, [
      {
        email: 'alice@globex.test',
        email_verified: true,
        name: 'Alice Martin',
        roles: ['ads:manager'],
      },
    ]);
    const account = await browser.get(`${f.t.issuer}/account`);
    assert.match(await account.text(), /Signed in as Alice Martin/);
    const metrics = await (await fetch(`${f.t.issuer}/metrics`)).text();
    assert.match(
      metrics,
      /latchkey_login_attempts_total\{protocol="saml",outcome="success",reason="ok"\} [1-9]/,
    );
    // The begin wrote nothing; the continue audits it just before the success.
    const audit = await loginEventsOf(done!);
    assert.deepEqual(
      audit.map((r) => r.type),
      ['auth.login.started', 'auth.login.succeeded'],
    );
    assert.equal(audit[0]!.data.protocol, 'saml');
    assert.ok(Date.parse(audit[0]!.data.started_at!) <= Date.now(), 'the begin’s time');
  });

  it('when the AuthnRequest is read, then RelayState is an opaque handle (not a URL) and the request asks for the ACS over HTTP-POST', async () => {
    const { relayState, redirectUrl } = await f.startLogin('alice@globex.test');
    assert.match(relayState, /^[A-Za-z0-9_-]{43}$/);
    const url = new URL(redirectUrl);
    assert.equal(
      url.searchParams.get('SigAlg'),
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    );
    assert.ok(url.searchParams.get('Signature'));
    const request = await f.globex.idp.readRequest(f.globex.sp, redirectUrl);
    assert.equal(request.acsUrl, f.globex.sp.acsUrl);
    assert.equal(request.issuer, f.globex.sp.entityId);
  });

  it('when the connection does not sign requests, then the AuthnRequest carries no signature', async () => {
    const { redirectUrl } = await f.startLogin('ivy@initech.test');
    const url = new URL(redirectUrl);
    assert.equal(url.searchParams.get('Signature'), null);
    assert.equal(url.searchParams.get('SigAlg'), null);
  });

  it('when the email attribute is given, then it is used; a NameID that is not an email is the subject only', async () => {
    const { browser, done } = await f.login('alice@globex.test', {
      nameId: 'employee-0042',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      attributes: { [EMAIL]: 'bob@globex.test', [NAME]: 'Bob Stone' },
    });
    assert.equal(done!.status, 303);
    const session = await f.t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.equal(session?.upstreamSubject, 'employee-0042');
  });

  it('when the IdP encrypts the assertion for the SP, then Latchkey decrypts it with its key and signs alice in (signed response around it, or not)', async () => {
    for (const sign of [
      { response: true, assertion: true },
      { response: false, assertion: true },
    ]) {
      const { done } = await f.login('alice@globex.test', { ...alice, encrypt: true, sign });
      assert.equal(done?.status, 303);
      assert.equal(done?.headers.get('location'), '/account');
    }
  });

  it('when the response is unsolicited and the connection allows IdP-initiated login, then the user is signed in and sent to the account page', async () => {
    const samlResponse = await f.initech.idp.respond(f.initech.sp, {
      inResponseTo: null,
      nameId: 'ivy@initech.test',
    });
    const acs = await f.postToAcs(f.initech, samlResponse, null);
    assert.equal(acs.status, 303);
    const browser = new Browser();
    const done = await browser.continueSaml(
      new URL(acs.headers.get('location')!, f.t.issuer).toString(),
    );
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/account');
    assert.ok(browser.jar.get('latchkey'));
  });

  it('when an unsolicited sign-in reaches a browser signed in as someone else, then Latchkey asks before switching accounts, and only a confirmation from its own page switches', async () => {
    const unsolicited = async (nameId: string) => {
      const acs = await f.postToAcs(
        f.initech,
        await f.initech.idp.respond(f.initech.sp, { inResponseTo: null, nameId }),
        null,
      );
      assert.equal(acs.status, 303);
      return new URL(acs.headers.get('location')!, f.t.issuer);
    };
    // Signed in as ivy (IdP-initiated, at once: the browser was signed in to no one).
    const browser = new Browser();
    const first = await browser.get((await unsolicited('ivy@initech.test')).toString());
    assert.equal(first.status, 303);
    // The same person again: no question.
    assert.equal(
      (await browser.get((await unsolicited('ivy@initech.test')).toString())).status,
      303,
    );
    const ivySession = browser.jar.get('latchkey')!;

    // Another account's response arrives in ivy's browser.
    const continueUrl = await unsolicited('jack@initech.test');
    const handle = continueUrl.searchParams.get('handle')!;
    const asked = await browser.get(continueUrl.toString());
    assert.equal(asked.status, 200);
    assert.equal(asked.headers.getSetCookie().length, 0, 'the session is not replaced');
    const page = await asked.text();
    assert.match(page, /ivy@initech\.test/);
    assert.match(page, /jack@initech\.test/);
    assert.match(page, /<form method="post" action="\/login\/saml\/continue"/);
    // A form on another site cannot confirm it.
    const forged = await fetch(`${f.t.issuer}/login/saml/continue`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        cookie: browser.header(),
      },
      body: new URLSearchParams({ handle }),
      redirect: 'manual',
    });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /login_cross_site/);
    assert.equal(browser.jar.get('latchkey'), ivySession);
    // The page's own form (same origin) switches, once.
    const confirm = () =>
      fetch(`${f.t.issuer}/login/saml/continue`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          origin: 'null',
          cookie: browser.header(),
        },
        body: new URLSearchParams({ handle }),
        redirect: 'manual',
      });
    const done = await confirm();
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/account');
    assert.ok(done.headers.getSetCookie().some((c) => c.startsWith('latchkey=')));
    assert.equal((await confirm()).status, 400, 'the handle is used once');
  });

  it('when only the response is signed and the connection does not want signed assertions, then the login succeeds', async () => {
    const { done } = await f.login('ivy@initech.test', {
      nameId: 'ivy@initech.test',
      sign: { response: true, assertion: false },
    });
    assert.equal(done?.status, 303);
  });

  it('when the continue link is opened in another browser, then it fails (login CSRF) and opens no session', async () => {
    const { browser, requestId, relayState } = await f.startLogin('alice@globex.test');
    void browser;
    const acs = await f.postToAcs(
      f.globex,
      await f.globex.idp.respond(f.globex.sp, { ...alice, inResponseTo: requestId }),
      relayState,
    );
    assert.equal(acs.status, 303);
    const victim = new Browser();
    await f.assertLoginFailedWith(
      await victim.get(new URL(acs.headers.get('location')!, f.t.issuer).toString()),
      'transaction_foreign_browser',
    );
  });

  it('when the continue link is used twice, then the second one fails', async () => {
    const { browser, requestId, relayState } = await f.startLogin('alice@globex.test');
    const acs = await f.postToAcs(
      f.globex,
      await f.globex.idp.respond(f.globex.sp, { ...alice, inResponseTo: requestId }),
      relayState,
    );
    const next = new URL(acs.headers.get('location')!, f.t.issuer).toString();
    assert.equal((await browser.get(next)).status, 303);
    await f.assertLoginFailedWith(await browser.get(next), 'transaction_not_found');
  });

  it('when the asserted email is outside the org’s verified domains, then the domain guard refuses it', async () => {
    const { acs, done } = await f.login('alice@globex.test', {
      nameId: 'eve@outsider.test',
    });
    assert.equal(acs.status, 303);
    await f.assertLoginFailedWith(done!, 'email_domain_not_allowed');
  });

  it('when the login fails in the browser after the IdP answered, then the continue audits the begin just before the failure', async () => {
    const { done } = await f.login('alice@globex.test', { nameId: 'eve@outsider.test' });
    await f.assertLoginFailedWith(done!, 'email_domain_not_allowed');
    assert.deepEqual(
      (await loginEventsOf(done!)).map((e) => [e.type, e.reason, e.data.protocol]),
      [
        ['auth.login.started', null, 'saml'],
        ['auth.login.failed', 'email_domain_not_allowed', 'saml'],
      ],
    );
  });

  it('when the ACS refuses a response that answered the pending request, then it audits the begin just before the failure and removes the transaction', async () => {
    const { requestId, relayState } = await f.startLogin('alice@globex.test');
    // The transaction's key: the hash of its state, for SAML the RelayState handle.
    const stateHash = createHash('sha256').update(relayState).digest('hex');
    const transactionKeys = () => f.t.redis.client.keys(`${f.t.redis.keyPrefix}*ltx:${stateHash}`);
    assert.equal((await transactionKeys()).length, 1);
    const other = await f.startLogin('alice@globex.test');
    const acs = await f.postToAcs(
      f.globex,
      await f.globex.idp.respond(f.globex.sp, { ...alice, inResponseTo: requestId }),
      other.relayState,
    );
    await f.assertLoginFailedWith(acs, 'saml_relay_state_mismatch');
    const events = await loginEventsOf(acs);
    assert.deepEqual(
      events.map((e) => [e.type, e.reason]),
      [
        ['auth.login.started', null],
        ['auth.login.failed', 'saml_relay_state_mismatch'],
      ],
    );
    assert.ok(events[0]!.data.started_at);
    assert.deepEqual(await transactionKeys(), [], 'the answered login’s transaction is gone');
  });

  it('when browsers begin SAML logins and never come back, then no audit row is written', async () => {
    const before = await auditRowCount();
    for (let i = 0; i < 3; i++) await f.startLogin('alice@globex.test');
    assert.equal(await auditRowCount(), before);
  });

  it('when a browser begins a second SAML login, then its first transaction and pending request are removed: the IdP’s answer to the first is refused', async () => {
    const first = await f.startLogin('alice@globex.test');
    await f.startLogin('alice@globex.test', first.browser);
    const acs = await f.postToAcs(
      f.globex,
      await f.globex.idp.respond(f.globex.sp, { ...alice, inResponseTo: first.requestId }),
      first.relayState,
    );
    await f.assertLoginFailedWith(acs, 'saml_in_response_to_unknown');
    assert.deepEqual(
      (await loginEventsOf(acs)).map((e) => e.type),
      ['auth.login.failed'],
    );
  });

  it('when the NameID is transient and no identity attribute is configured, then the login is refused (no stable subject)', async () => {
    const { done } = await f.login('alice@globex.test', {
      nameId: '_transient-1234',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
      attributes: { [EMAIL]: 'alice@globex.test' },
    });
    await f.assertLoginFailedWith(done!, 'subject_missing');
  });

  it('when the connection allows any email domain, then an email outside the org’s verified domains is unverified: refused while the org requires verified email, accepted (unverified) once it does not', async () => {
    const { initech } = f;
    const update = (changes: Record<string, unknown>) =>
      f.t.app.connections.update(initech.orgId, initech.connectionId, changes, null, platform, ctx);
    await update({ allow_any_email_domain: true });
    try {
      const unsolicited = async (nameId: string) =>
        f.postToAcs(
          initech,
          await initech.idp.respond(initech.sp, { inResponseTo: null, nameId }),
          null,
        );
      const continueIn = async (acs: Response) =>
        new Browser().continueSaml(new URL(acs.headers.get('location')!, f.t.issuer).toString());

      await f.assertLoginFailedWith(
        await continueIn(await unsolicited('contractor@outside.test')),
        'email_not_verified',
      );

      await f.t.app.orgs.update(
        initech.orgId,
        { settings: { require_verified_email: false } },
        null,
        platform,
        ctx,
      );
      assert.equal((await continueIn(await unsolicited('temp@outside.test'))).status, 303);
      const { rows } = await f.t.app.db.query<{ email_verified: boolean }>(
        `SELECT email_verified FROM users WHERE email = 'temp@outside.test'`,
      );
      assert.deepEqual(rows, [{ email_verified: false }]);
    } finally {
      await update({ allow_any_email_domain: false });
      await f.t.app.orgs.update(
        initech.orgId,
        { settings: { require_verified_email: true } },
        null,
        platform,
        ctx,
      );
    }
  });

  it('when the org hint or the chooser picks a SAML connection, then the browser is sent to the IdP with an AuthnRequest, bound by the login cookie', async () => {
    const browser = new Browser();
    const hinted = await browser.get(`${f.t.issuer}/login?org=globex`);
    assert.equal(hinted.status, 303);
    assert.ok(hinted.headers.get('location')!.startsWith(`${f.globex.idp.ssoUrl}?SAMLRequest=`));
    assert.ok(browser.jar.get('latchkey-login'));

    const chosen = await fetch(`${f.t.issuer}/login/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ connection: f.globex.connectionId, return_to: '/account' }),
      redirect: 'manual',
    });
    assert.equal(chosen.status, 200);
    const target = /content="0; url=([^"]+)"/
      .exec(await chosen.text())?.[1]
      ?.replaceAll('&amp;', '&');
    assert.ok(target?.startsWith(`${f.globex.idp.ssoUrl}?SAMLRequest=`), target);
    const request = await f.globex.idp.readRequest(f.globex.sp, target!);
    assert.ok(request.id);
    assert.ok(chosen.headers.getSetCookie().some((c) => c.startsWith('latchkey-login=')));
  });

  it('when the SP metadata is fetched, then it names the entity id, the ACS (HTTP-POST), the SLO and the signing and encryption certificate', async () => {
    const res = await fetch(`${f.t.issuer}/saml/${f.globex.connectionId}/metadata`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/samlmetadata\+xml/);
    const xml = await res.text();
    assert.match(xml, new RegExp(`entityID="${f.globex.sp.entityId}"`));
    assert.match(
      xml,
      new RegExp(
        `<AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${f.globex.sp.acsUrl}"`,
      ),
    );
    assert.match(xml, new RegExp(`SingleLogoutService[^>]*Location="${f.globex.sp.entityId}/slo"`));
    assert.match(xml, /AuthnRequestsSigned="true"/);
    assert.match(xml, /WantAssertionsSigned="true"/);
    const certificates = [...xml.matchAll(/<ds:X509Certificate>([^<]+)</g)].map((m) => m[1]!);
    assert.match(xml, /<KeyDescriptor use="signing">/);
    assert.match(xml, /<KeyDescriptor use="encryption">/);
    assert.equal(certificates.length, 2);
    const certificate = new X509Certificate(Buffer.from(certificates[0]!, 'base64'));
    assert.match(certificate.subject, /Latchkey SAML SP/);
  });

  it('when metadata is asked for an unknown connection, then it is 404', async () => {
    const res = await fetch(`${f.t.issuer}/saml/00000000-0000-4000-8000-000000000000/metadata`);
    assert.equal(res.status, 404);
  });
});
