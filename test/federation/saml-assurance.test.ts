import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Browser, startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const MULTIPLE_AUTHN = 'http://schemas.microsoft.com/claims/multipleauthn';
const PASSWORD_PROTECTED =
  '<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>';

/**
 * An org that requires MFA at a SAML IdP (issue 19): the AuthnRequest asks for the
 * connection's class (RequestedAuthnContext), the assertion's AuthnContextClassRef is
 * read, and a response that proves less, or names no class at all, is refused.
 */
describe('SAML login: the org requires MFA', () => {
  let f: SamlFixture;

  before(async () => {
    f = await startSamlFixture();
    const { orgId, connectionId } = f.globex;
    await f.t.app.orgs.update(orgId, { settings: { require_mfa: true } }, null, platform, ctx);
    await f.t.app.connections.update(
      orgId,
      connectionId,
      { assurance: { request: { mfa: [MULTIPLE_AUTHN], comparison: 'exact' } } },
      null,
      platform,
      ctx,
    );
  });
  after(async () => {
    await f.close();
  });

  const alice = { nameId: 'alice@globex.test' };
  const withClass = (classRef: string | null) => (xml: string) =>
    xml.replace(
      PASSWORD_PROTECTED,
      // AuthnContext needs a child (SAML Core §2.7.2.2): without a class, a declaration reference.
      classRef === null
        ? '<saml:AuthnContextDeclRef>urn:example:declaration</saml:AuthnContextDeclRef>'
        : `<saml:AuthnContextClassRef>${classRef}</saml:AuthnContextClassRef>`,
    );

  it('when a login starts, then the AuthnRequest asks for the connection’s MFA class with its comparison', async () => {
    const { redirectUrl } = await f.startLogin('alice@globex.test');
    const xml = inflateRawSync(
      Buffer.from(new URL(redirectUrl).searchParams.get('SAMLRequest')!, 'base64'),
    ).toString();
    assert.match(
      xml,
      /<samlp:RequestedAuthnContext Comparison="exact"><saml:AuthnContextClassRef>http:\/\/schemas\.microsoft\.com\/claims\/multipleauthn<\/saml:AuthnContextClassRef><\/samlp:RequestedAuthnContext><\/samlp:AuthnRequest>$/,
    );
    // Still a request the IdP accepts (signed, its ID answerable).
    const request = await f.globex.idp.readRequest(f.globex.sp, redirectUrl);
    assert.equal(request.acsUrl, f.globex.sp.acsUrl);
  });

  it('when the assertion proves a password only, or names no AuthnContextClassRef, then it is refused with assurance_insufficient', async () => {
    for (const edit of [withClass(null), (xml: string) => xml]) {
      const { acs, done } = await f.login('alice@globex.test', { ...alice, edit });
      assert.equal(acs.status, 303);
      await f.assertLoginFailedWith(done!, 'assurance_insufficient');
    }
  });

  it('when the assertion proves MFA, then alice is signed in with acr and amr of MFA', async () => {
    const { browser, done } = await f.login('alice@globex.test', {
      ...alice,
      edit: withClass(MULTIPLE_AUTHN),
    });
    assert.equal(done?.status, 303);
    const session = await f.t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.equal(session?.acr, 'urn:latchkey:loa:mfa');
    assert.deepEqual(session?.amr, ['mfa']);
  });

  /** A login that returns to a forced sign-in (lk_auth_after: prompt=login, a too-old max_age). */
  async function forcedLogin(authnInstantMs: number) {
    const { idp, sp } = f.globex;
    const browser = new Browser();
    const returnTo = encodeURIComponent('/oauth/authorize?client_id=x&lk_auth_after=1.x');
    const start = await browser.get(
      `${f.t.issuer}/login?login_hint=alice%40globex.test&return_to=${returnTo}`,
    );
    assert.equal(start.status, 303, await start.text());
    const redirectUrl = start.headers.get('location')!;
    const xml = inflateRawSync(
      Buffer.from(new URL(redirectUrl).searchParams.get('SAMLRequest')!, 'base64'),
    ).toString();
    const request = await idp.readRequest(sp, redirectUrl);
    const samlResponse = await idp.respond(sp, {
      ...alice,
      inResponseTo: request.id,
      edit: (x) =>
        withClass(MULTIPLE_AUTHN)(x).replace(
          /AuthnInstant="[^"]+"/,
          `AuthnInstant="${new Date(authnInstantMs).toISOString()}"`,
        ),
    });
    const acs = await f.postToAcs(f.globex, samlResponse, request.relayState);
    return { browser, xml, acs };
  }

  it('when the login returns to a forced sign-in, then the AuthnRequest says ForceAuthn="true", and an AuthnInstant from before it (beyond the clock skew) is refused with saml_authn_instant_too_old', async () => {
    const { xml, acs } = await forcedLogin(Date.now() - 10 * 60_000);
    assert.match(xml, /^<samlp:AuthnRequest [^>]*ForceAuthn="true"/);
    await f.assertLoginFailedWith(acs, 'saml_authn_instant_too_old');
  });

  it('when a forced sign-in comes back with an AuthnInstant after the request, then alice is signed in', async () => {
    const { browser, acs } = await forcedLogin(Date.now() + 1000);
    assert.equal(acs.status, 303, await acs.clone().text());
    const done = await browser.continueSaml(
      new URL(acs.headers.get('location')!, f.t.issuer).toString(),
    );
    assert.equal(done.status, 303);
    assert.ok(await f.t.app.sessions.validate(browser.jar.get('latchkey')!));
  });

  it('when a forced sign-in starts at a connection that asks for no class (samlify’s own request template), then it says ForceAuthn="true" too', async () => {
    const returnTo = encodeURIComponent('/oauth/authorize?client_id=x&lk_auth_after=1.x');
    const start = await new Browser().get(
      `${f.t.issuer}/login?login_hint=bob%40initech.test&return_to=${returnTo}`,
    );
    assert.equal(start.status, 303, await start.text());
    const xml = inflateRawSync(
      Buffer.from(
        new URL(start.headers.get('location')!).searchParams.get('SAMLRequest')!,
        'base64',
      ),
    ).toString();
    assert.doesNotMatch(xml, /RequestedAuthnContext/);
    assert.match(xml, /^<samlp:AuthnRequest [^>]*ForceAuthn="true"/);
  });

  it('when a login forces nothing, then the AuthnRequest has no ForceAuthn', async () => {
    const { redirectUrl } = await f.startLogin('alice@globex.test');
    const xml = inflateRawSync(
      Buffer.from(new URL(redirectUrl).searchParams.get('SAMLRequest')!, 'base64'),
    ).toString();
    assert.doesNotMatch(xml, /ForceAuthn/);
  });
});
