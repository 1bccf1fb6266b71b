import { expectForwardPage } from '../support/forward.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { sha256Hex } from '../../src/platform/crypto/index.js';
import { samlKeyPair } from '../support/saml-idp.js';
import { logoutIdp } from '../support/saml-logout-idp.js';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const policy = {
  idleTimeoutSeconds: 3600,
  absoluteLifetimeSeconds: 7200,
  maxSessionsPerUser: 20,
};
const ALICE = 'alice@globex.test';

/**
 * SAML Single Logout both ways, against a samlify IdP: an IdP's LogoutRequest ends exactly
 * the sessions it names and is answered with a signed LogoutResponse; one that is unsigned,
 * foreign-signed, expired, misdirected or from another connection's IdP ends nothing, each
 * with its own reason code; a user's sign-out sends the IdP a signed LogoutRequest it can
 * verify, and the IdP's signed LogoutResponse brings the browser back.
 */
describe('SAML Single Logout', () => {
  let f: SamlFixture;
  let sloUrl: string;
  let idpSloUrl: string;
  let globexIdp: ReturnType<typeof logoutIdp>;
  let initechIdp: ReturnType<typeof logoutIdp>;
  const attacker = samlKeyPair('Attacker');

  before(async () => {
    f = await startSamlFixture();
    idpSloUrl = `${f.globex.idp.entityId}/slo`;
    await f.t.app.connections.update(
      f.globex.orgId,
      f.globex.connectionId,
      { idp_slo_url: idpSloUrl },
      null,
      platform,
      ctx,
    );
    sloUrl = `${f.globex.sp.entityId}/slo`;
    globexIdp = logoutIdp(f.globex.idp);
    initechIdp = logoutIdp(f.initech.idp);
  });
  after(async () => {
    await f.close();
  });

  /** A session at globex as a SAML login leaves it (or from another connection). */
  const open = async (over: {
    nameId: string;
    sessionIndex?: string | null;
    connectionId?: string;
    userId?: string;
  }) =>
    (
      await f.t.app.sessions.open(
        {
          userId: over.userId ?? randomUUID(),
          orgId: f.globex.orgId,
          connectionId: over.connectionId ?? f.globex.connectionId,
          amr: ['fed'],
          upstreamSessionId: over.sessionIndex ?? `_idx-${randomUUID()}`,
          upstreamSubject: over.nameId,
          policy,
        },
        ctx,
      )
    ).session;
  const isLive = async (id: string) => (await f.t.app.sessions.get(f.globex.orgId, id)) !== null;

  const get = (url: string) => fetch(url, { redirect: 'manual' });
  const post = (form: Record<string, string>) =>
    fetch(sloUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });

  /** Refused with this reason: an error page naming it, and an auth.logout.failed audit row. */
  async function refusedWith(res: Response, reason: string) {
    const page = await res.text();
    assert.ok(res.status >= 400, `status ${res.status}`);
    assert.ok(page.includes(reason), `the page names ${reason}`);
    const { rows } = await f.t.app.db.query<{ reason: string }>(
      `SELECT reason FROM audit_events WHERE type = 'auth.logout.failed' AND request_id = $1`,
      [res.headers.get('x-request-id')],
    );
    assert.deepEqual(
      rows.map((r) => r.reason),
      [reason],
    );
  }

  it('when the IdP sends a signed LogoutRequest naming a NameID and SessionIndex (HTTP-Redirect), then exactly that session ends and the browser goes back with a signed LogoutResponse', async () => {
    const target = await open({ nameId: ALICE, sessionIndex: '_idx-1' });
    const sameUserOtherIndex = await open({
      nameId: ALICE,
      sessionIndex: '_idx-2',
      userId: target.userId,
    });
    const sameUserOtherConnection = await open({
      nameId: ALICE,
      sessionIndex: '_idx-1',
      userId: target.userId,
      connectionId: f.initech.connectionId,
    });
    const otherUser = await open({ nameId: 'bob@globex.test', sessionIndex: '_idx-1' });

    const { id, url } = globexIdp.requestRedirect(sloUrl, {
      nameId: ALICE,
      sessionIndex: '_idx-1',
      relayState: 'idp-state-1',
    });
    const res = await get(url);
    const location = await expectForwardPage(res);
    assert.ok(location.startsWith(`${idpSloUrl}?SAMLResponse=`), location);

    assert.equal(await isLive(target.id), false);
    assert.equal(await f.t.app.sessions.isRevoked(target.id), true, 'tombstoned');
    for (const kept of [sameUserOtherIndex, sameUserOtherConnection, otherUser])
      assert.equal(await isLive(kept.id), true);

    const answer = await globexIdp.read(f.globex.sp.metadataXml, location, 'LogoutResponse');
    const response = answer.extract.response as Record<string, string>;
    assert.equal(response.inResponseTo, id);
    assert.equal(response.destination, idpSloUrl);
    assert.equal(answer.extract.issuer, f.globex.sp.entityId);
    assert.match(answer.xml, /StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:Success"/);
    assert.equal(answer.relayState, 'idp-state-1');

    const { rows } = await f.t.app.db.query<{ reason: string }>(
      `SELECT reason FROM audit_events WHERE type = 'session.ended' AND target_id = $1`,
      [target.id],
    );
    assert.deepEqual(
      rows.map((r) => r.reason),
      ['upstream_logout'],
    );
  });

  it('when samlify’s IdP role sends its own signed LogoutRequest, then the session ends and it gets its LogoutResponse', async () => {
    const target = await open({ nameId: 'frank@globex.test', sessionIndex: '_idx-f' });
    const request = globexIdp
      .samlify(f.globex.sp.metadataXml)
      .request('frank@globex.test', '_idx-f');
    const res = await get(request.context);
    assert.equal(res.status, 303, await res.clone().text());
    assert.equal(await isLive(target.id), false);
    const answer = await globexIdp.read(
      f.globex.sp.metadataXml,
      res.headers.get('location')!,
      'LogoutResponse',
    );
    assert.equal((answer.extract.response as Record<string, string>).inResponseTo, request.id);
  });

  it('when the signed LogoutRequest names no SessionIndex (HTTP-POST), then every session of that NameID at this connection ends, and no other', async () => {
    const first = await open({ nameId: 'carol@globex.test' });
    const second = await open({ nameId: 'carol@globex.test', userId: first.userId });
    const otherConnection = await open({
      nameId: 'carol@globex.test',
      userId: first.userId,
      connectionId: f.initech.connectionId,
    });
    const otherUser = await open({ nameId: 'dave@globex.test' });
    const { samlRequest } = globexIdp.requestPost(sloUrl, { nameId: 'carol@globex.test' });
    const res = await post({ SAMLRequest: samlRequest });
    assert.equal(res.status, 303, await res.clone().text());
    assert.ok(res.headers.get('location')!.startsWith(`${idpSloUrl}?SAMLResponse=`));
    assert.equal(await isLive(first.id), false);
    assert.equal(await isLive(second.id), false);
    assert.equal(await isLive(otherConnection.id), true);
    assert.equal(await isLive(otherUser.id), true);
  });

  it('when alice signed in through the SAML IdP, then her session keeps the NameID and SessionIndex, and the IdP’s LogoutRequest for them ends it', async () => {
    const { browser, done } = await f.login(ALICE, { nameId: ALICE, sessionIndex: '_real-idx' });
    assert.equal(done?.status, 303);
    const session = await f.t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.equal(session?.upstreamSubject, ALICE);
    assert.equal(session?.upstreamSessionId, '_real-idx');
    const { url } = globexIdp.requestRedirect(sloUrl, {
      nameId: ALICE,
      sessionIndex: '_real-idx',
    });
    assert.equal((await get(url)).status, 303);
    assert.equal(await f.t.app.sessions.validate(browser.jar.get('latchkey')!), null);
  });

  describe('a LogoutRequest that is not the IdP’s, or not for now and here, ends nothing', () => {
    const cases: Array<[string, () => Promise<Response>, string]> = [
      [
        'unsigned (HTTP-Redirect)',
        () => get(globexIdp.requestRedirect(sloUrl, { nameId: ALICE, signWith: null }).url),
        'saml_logout_unsigned',
      ],
      [
        'unsigned (HTTP-POST)',
        () =>
          post({
            SAMLRequest: globexIdp.requestPost(sloUrl, { nameId: ALICE, signWith: null })
              .samlRequest,
          }),
        'saml_logout_unsigned',
      ],
      [
        'signed with the attacker’s key (HTTP-Redirect)',
        () => get(globexIdp.requestRedirect(sloUrl, { nameId: ALICE, signWith: attacker }).url),
        'saml_signature_invalid',
      ],
      [
        'signed with the attacker’s key and certificate in KeyInfo (HTTP-POST)',
        () =>
          post({
            SAMLRequest: globexIdp.requestPost(sloUrl, { nameId: ALICE, signWith: attacker })
              .samlRequest,
          }),
        'saml_certificate_unknown',
      ],
      [
        'expired (NotOnOrAfter past, beyond the clock skew)',
        () =>
          get(
            globexIdp.requestRedirect(sloUrl, {
              nameId: ALICE,
              issueInstant: new Date(Date.now() - 3 * 60_000),
              notOnOrAfter: new Date(Date.now() - 2 * 60_000),
            }).url,
          ),
        'saml_logout_expired',
      ],
      [
        'issued long ago without NotOnOrAfter',
        () =>
          get(
            globexIdp.requestRedirect(sloUrl, {
              nameId: ALICE,
              issueInstant: new Date(Date.now() - 30 * 60_000),
            }).url,
          ),
        'saml_logout_expired',
      ],
      [
        'issued in the future',
        () =>
          post({
            SAMLRequest: globexIdp.requestPost(sloUrl, {
              nameId: ALICE,
              issueInstant: new Date(Date.now() + 10 * 60_000),
            }).samlRequest,
          }),
        'saml_logout_not_yet_valid',
      ],
      [
        'addressed to another SLO URL (Destination)',
        () =>
          get(
            globexIdp.requestRedirect(sloUrl, {
              nameId: ALICE,
              destination: `${f.initech.sp.entityId}/slo`,
            }).url,
          ),
        'saml_destination_mismatch',
      ],
      [
        'from another connection’s IdP',
        () => get(initechIdp.requestRedirect(sloUrl, { nameId: ALICE }).url),
        'saml_issuer_mismatch',
      ],
      [
        'from another connection’s IdP claiming to be this one',
        () =>
          post({
            SAMLRequest: initechIdp.requestPost(sloUrl, {
              nameId: ALICE,
              issuer: f.globex.idp.entityId,
            }).samlRequest,
          }),
        'saml_certificate_unknown',
      ],
    ];
    for (const [name, send, reason] of cases) {
      it(`when it is ${name}, then it is refused with ${reason} and the session stays`, async () => {
        const victim = await open({ nameId: ALICE });
        await refusedWith(await send(), reason);
        assert.equal(await isLive(victim.id), true);
      });
    }

    it('when a genuine signed LogoutRequest is edited to name someone else, or wrapped inside a forged one (HTTP-POST), then it is refused', async () => {
      const victim = await open({ nameId: ALICE });
      const genuine = Buffer.from(
        globexIdp.requestPost(sloUrl, { nameId: 'mallory@globex.test' }).samlRequest,
        'base64',
      ).toString('utf8');
      const edited = genuine.replace('mallory@globex.test', ALICE);
      await refusedWith(
        await post({ SAMLRequest: Buffer.from(edited).toString('base64') }),
        'saml_signature_invalid',
      );
      // The signed request moved into Extensions of a forged one that keeps its Signature.
      const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(genuine)![0];
      const inner = genuine.replace(signature, '');
      const forged =
        `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_forged" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${sloUrl}">` +
        `<saml:Issuer>${f.globex.idp.entityId}</saml:Issuer>${signature}` +
        `<samlp:Extensions><x:w xmlns:x="urn:example:wrap">${inner.replace(/^<\?xml[^>]*>/, '')}</x:w></samlp:Extensions>` +
        `<saml:NameID>${ALICE}</saml:NameID></samlp:LogoutRequest>`;
      await refusedWith(
        await post({ SAMLRequest: Buffer.from(forged).toString('base64') }),
        'saml_signature_wrapping',
      );
      assert.equal(await isLive(victim.id), true);
    });

    it('when a deflated LogoutRequest inflates beyond 256 KB, then it is refused before parsing (saml_logout_too_large)', async () => {
      const bomb = encodeURIComponent(
        deflateRawSync(`<x>${'a'.repeat(2 * 1024 * 1024)}</x>`).toString('base64'),
      );
      await refusedWith(await get(`${sloUrl}?SAMLRequest=${bomb}`), 'saml_logout_too_large');
    });

    it('when a genuine LogoutRequest is sent again, then the replay is refused (saml_logout_replayed)', async () => {
      const { url } = globexIdp.requestRedirect(sloUrl, { nameId: 'erin@globex.test' });
      assert.equal((await get(url)).status, 303);
      const later = await open({ nameId: 'erin@globex.test' });
      await refusedWith(await get(url), 'saml_logout_replayed');
      assert.equal(await isLive(later.id), true);
    });
  });

  /** Alice signed in through globex's IdP, in a browser. */
  async function signedInAlice(sessionIndex: string) {
    const { browser, done } = await f.login(ALICE, { nameId: ALICE, sessionIndex });
    assert.equal(done?.status, 303);
    return { browser, token: browser.jar.get('latchkey')! };
  }

  it('when alice signs out at /oauth/logout, then her session ends and the browser carries a signed LogoutRequest (NameID, SessionIndex) the IdP verifies; the IdP’s signed LogoutResponse shows the signed-out page', async () => {
    const { browser, token } = await signedInAlice('_sp-idx-1');
    const res = await fetch(`${f.t.issuer}/oauth/logout`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: browser.header(),
      },
      body: new URLSearchParams({
        confirm: 'yes',
        csrf: sha256Hex(`logout-confirm:${token}`),
      }).toString(),
      redirect: 'manual',
    });
    const location = await expectForwardPage(res);
    assert.ok(location.startsWith(`${idpSloUrl}?SAMLRequest=`), location);
    assert.equal(await f.t.app.sessions.validate(token), null, 'ended before leaving');
    assert.ok(
      res.headers.getSetCookie().some((c) => /^latchkey=;/.test(c)),
      'session cookie cleared',
    );

    const request = await globexIdp.read(f.globex.sp.metadataXml, location, 'LogoutRequest');
    assert.equal(request.extract.nameID, ALICE);
    assert.equal(request.extract.sessionIndex, '_sp-idx-1');
    assert.equal(request.extract.issuer, f.globex.sp.entityId);
    const requestId = (request.extract.request as Record<string, string>).id!;

    // As samlify's IdP (the development IdP) answers.
    const answer = globexIdp.samlify(f.globex.sp.metadataXml).response(requestId);
    assert.ok(answer.context.startsWith(`${sloUrl}?SAMLResponse=`), answer.context);
    const back = await get(answer.context);
    assert.equal(back.status, 200, await back.clone().text());
    assert.match(await back.text(), /signed out/i);
    const { rows } = await f.t.app.db.query<{ type: string }>(
      `SELECT type FROM audit_events WHERE request_id = $1`,
      [back.headers.get('x-request-id')],
    );
    assert.deepEqual(
      rows.map((r) => r.type),
      ['auth.logout.succeeded'],
    );

    await refusedWith(
      await get(globexIdp.responseRedirect(sloUrl, { inResponseTo: requestId })),
      'saml_in_response_to_unknown',
    );
  });

  it('when alice signs out everywhere on the account page, then all her sessions end and the IdP gets a signed LogoutRequest; a LogoutResponse over HTTP-POST is accepted', async () => {
    const { browser, token } = await signedInAlice('_sp-idx-2');
    const res = await fetch(`${f.t.issuer}/account/sessions/end-all`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: browser.header(),
      },
      body: new URLSearchParams({ csrf: sha256Hex(`account-csrf:${token}`) }).toString(),
      redirect: 'manual',
    });
    const location = await expectForwardPage(res);
    const request = await globexIdp.read(f.globex.sp.metadataXml, location, 'LogoutRequest');
    assert.equal(request.extract.sessionIndex, '_sp-idx-2');
    assert.equal(await f.t.app.sessions.validate(token), null);
    const requestId = (request.extract.request as Record<string, string>).id!;
    const back = await post({
      SAMLResponse: globexIdp.responsePost(sloUrl, { inResponseTo: requestId }),
    });
    assert.equal(back.status, 200, await back.clone().text());
  });

  it('when the IdP’s LogoutResponse is unsigned or answers no request of Latchkey’s, then it is refused', async () => {
    await refusedWith(
      await get(globexIdp.responseRedirect(sloUrl, { inResponseTo: '_x', signWith: null })),
      'saml_logout_unsigned',
    );
    await refusedWith(
      await get(globexIdp.responseRedirect(sloUrl, { inResponseTo: `_${randomUUID()}` })),
      'saml_in_response_to_unknown',
    );
  });

  it('when the connection has no IdP SLO URL, then signing out shows the signed-out page directly', async () => {
    const { browser, done } = await f.login('ivy@initech.test', { nameId: 'ivy@initech.test' });
    assert.equal(done?.status, 303);
    const token = browser.jar.get('latchkey')!;
    const res = await fetch(`${f.t.issuer}/account/sessions/end-all`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: browser.header(),
      },
      body: new URLSearchParams({ csrf: sha256Hex(`account-csrf:${token}`) }).toString(),
      redirect: 'manual',
    });
    assert.equal(res.status, 200);
    assert.equal(await f.t.app.sessions.validate(token), null);
  });

  it('when a logout message comes to the SLO URL of an unknown connection, then it is refused', async () => {
    const res = await get(
      `${f.t.issuer}/saml/00000000-0000-4000-8000-000000000000/slo?SAMLRequest=x`,
    );
    assert.ok(res.status >= 400);
  });
});
