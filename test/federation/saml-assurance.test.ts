import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';

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
});
