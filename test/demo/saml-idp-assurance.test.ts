import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import samlify from 'samlify';
import { withRequestedAuthnContext } from '../../src/federation/saml/requested-authn-context.js';
import { strengthsFor, type AskedAuthnContext } from '../../src/demo/saml-idp-authn-context.js';
import { startDemoSamlIdp, type DemoSamlIdp } from '../../src/demo/saml-idp.js';
import { samlKeyPair } from '../support/saml-idp.js';

/**
 * The development SAML IdP's second factor: what an SP's RequestedAuthnContext lets it do
 * (password, or password and the one-time code 123456), the AuthnContextClassRef it then
 * names, and the Responder/NoAuthnContext Response when it cannot satisfy the request.
 * Through Latchkey: test/browser/assurance-dev-idps.test.ts.
 */
const BINDING = samlify.Constants.namespace.binding;
const RSA_SHA256 = samlify.Constants.algorithms.signature.RSA_SHA256;
const SP_ENTITY = 'http://127.0.0.1:9/saml/conn-mfa';
const ACS = `${SP_ENTITY}/acs`;
const PPT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
const REFEDS_MFA = 'https://refeds.org/profile/mfa';
const MS_MFA = 'http://schemas.microsoft.com/claims/multipleauthn';
const SMARTCARD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI';

describe('development SAML IdP: the second factor', () => {
  let idp: DemoSamlIdp;
  const spKeys = samlKeyPair('Test SP');
  const sp = () =>
    samlify.ServiceProvider({
      entityID: SP_ENTITY,
      assertionConsumerService: [{ Binding: BINDING.post, Location: ACS }],
      authnRequestsSigned: true,
      wantAssertionsSigned: true,
      wantMessageSigned: true,
      privateKey: spKeys.privateKeyPem,
      signingCert: spKeys.certificatePem,
      requestSignatureAlgorithm: RSA_SHA256,
    });
  const idpAsSpSeesIt = () =>
    quietly(() => samlify.IdentityProvider({ metadata: idp.metadataXml }));

  before(async () => {
    idp = await startDemoSamlIdp({
      host: '127.0.0.1',
      port: 0,
      accounts: [{ email: 'carol@globex.test', name: 'Carol Diaz', groups: [] }],
    });
    idp.trust({
      entityId: SP_ENTITY,
      acsUrl: ACS,
      name: 'Latchkey',
      signingCertificatePem: spKeys.certificatePem,
    });
  });
  after(async () => {
    await idp.close();
  });

  const origin = () => new URL(idp.ssoUrl).origin;
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${origin()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const hidden = (page: string, name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1]?.replace(/&amp;/g, '&');
  const responseXml = (page: string) =>
    Buffer.from(hidden(page, 'SAMLResponse') ?? '', 'base64').toString('utf8');
  const classRefOf = (xml: string) =>
    /<saml:AuthnContextClassRef>([^<]+)<\/saml:AuthnContextClassRef>/.exec(xml)?.[1];

  /** The sign-in page for an AuthnRequest asking `asked` (nothing: no RequestedAuthnContext). */
  const begin = async (asked?: AskedAuthnContext) => {
    const request = sp().createLoginRequest(
      idpAsSpSeesIt(),
      'redirect',
      asked
        ? withRequestedAuthnContext(
            { sp: sp(), idp: idpAsSpSeesIt() },
            asked as { classRefs: string[]; comparison: 'exact' },
          )
        : undefined,
    );
    const res = await fetch(request.context);
    assert.equal(res.status, 200);
    return { requestId: request.id, page: await res.text() };
  };
  const password = (page: string, extra: Record<string, string> = {}) =>
    post('/saml/sso/login', {
      pending: hidden(page, 'pending')!,
      email: 'carol@globex.test',
      password: 'any',
      ...extra,
    });

  it('when nothing is asked and carol signs in with her password, then the assertion names PasswordProtectedTransport', async () => {
    const { page } = await begin();
    assert.match(page, /Use a one-time code/, 'the code is offered');
    const done = await password(page);
    assert.equal(done.status, 200);
    assert.equal(classRefOf(responseXml(await done.text())), PPT);
  });

  it('when nothing is asked and carol chooses the one-time code, then a wrong code is refused and 123456 gives the REFEDS MFA class', async () => {
    const { page } = await begin();
    const codePage = await (await password(page, { second_step: 'code' })).text();
    assert.match(codePage, /Enter your one-time code/);
    assert.doesNotMatch(codePage, /SAMLResponse/);
    const pending = hidden(codePage, 'pending')!;
    const wrong = await post('/saml/sso/code', { pending, code: '654321' });
    assert.equal(wrong.status, 422);
    assert.doesNotMatch(await wrong.text(), /SAMLResponse/);
    const done = await post('/saml/sso/code', { pending, code: '123456' });
    assert.equal(done.status, 200);
    assert.equal(classRefOf(responseXml(await done.text())), REFEDS_MFA);
    // Used once.
    assert.equal((await post('/saml/sso/code', { pending, code: '123456' })).status, 400);
  });

  it('when MFA is asked (minimum REFEDS MFA), then the password alone is not enough: the code is asked and the class is the one asked', async () => {
    const { page } = await begin({ comparison: 'minimum', classRefs: [REFEDS_MFA] });
    assert.match(page, /a one-time code will be asked/);
    assert.doesNotMatch(page, /Use a one-time code/);
    const codePage = await (await password(page)).text();
    assert.doesNotMatch(codePage, /SAMLResponse/);
    const done = await post('/saml/sso/code', {
      pending: hidden(codePage, 'pending')!,
      code: '123456',
    });
    assert.equal(classRefOf(responseXml(await done.text())), REFEDS_MFA);
  });

  it('when exact Microsoft multipleauthn is asked, then after the code the assertion names exactly that class', async () => {
    const { page } = await begin({ comparison: 'exact', classRefs: [MS_MFA] });
    const codePage = await (await password(page)).text();
    const done = await post('/saml/sso/code', {
      pending: hidden(codePage, 'pending')!,
      code: '123456',
    });
    assert.equal(classRefOf(responseXml(await done.text())), MS_MFA);
  });

  it('when exact PasswordProtectedTransport is asked, then no code is offered and a posted choice of the code is ignored', async () => {
    const { page } = await begin({ comparison: 'exact', classRefs: [PPT] });
    assert.doesNotMatch(page, /one-time code/);
    const done = await password(page, { second_step: 'code' });
    assert.equal(classRefOf(responseXml(await done.text())), PPT);
  });

  it('when better than PasswordProtectedTransport is asked, then the code is asked and the IdP names its MFA class', async () => {
    const { page } = await begin({ comparison: 'better', classRefs: [PPT] });
    const codePage = await (await password(page)).text();
    const done = await post('/saml/sso/code', {
      pending: hidden(codePage, 'pending')!,
      code: '123456',
    });
    assert.equal(classRefOf(responseXml(await done.text())), REFEDS_MFA);
  });

  for (const asked of [
    { comparison: 'minimum', classRefs: [SMARTCARD] },
    { comparison: 'better', classRefs: [REFEDS_MFA] },
  ] as const) {
    it(`when ${asked.comparison} ${asked.classRefs[0]} is asked, then no form is shown: a signed Responder/NoAuthnContext Response answers the request`, async () => {
      const { requestId, page } = await begin({ ...asked, classRefs: [...asked.classRefs] });
      assert.doesNotMatch(page, /name="password"/);
      assert.match(page, new RegExp(`<form method="post" action="${ACS}">`));
      const xml = responseXml(page);
      assert.match(
        xml,
        /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2\.0:status:NoAuthnContext"\/>/,
      );
      assert.match(xml, new RegExp(`InResponseTo="${requestId}"`));
      assert.doesNotMatch(xml, /Assertion/);
      // Signed by the IdP's key, as its metadata says.
      const signed = new (await import('xml-crypto')).SignedXml({
        publicCert: idp.certificatePem,
      });
      const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0];
      assert.ok(signature);
      signed.loadSignature(signature);
      assert.equal(signed.checkSignature(xml), true);
    });
  }

  it('when the comparisons are read, then each keeps the strengths SAML Core §3.3.2.2.1 allows of the IdP’s two', () => {
    const cases: Array<[AskedAuthnContext | null, number[]]> = [
      [null, [1, 2]],
      [{ comparison: 'exact', classRefs: [PPT, MS_MFA] }, [1, 2]],
      [{ comparison: 'exact', classRefs: [SMARTCARD] }, []],
      [{ comparison: 'minimum', classRefs: [PPT] }, [1, 2]],
      [{ comparison: 'minimum', classRefs: [SMARTCARD, MS_MFA] }, [2]],
      [{ comparison: 'better', classRefs: [PPT] }, [2]],
      [{ comparison: 'better', classRefs: [PPT, REFEDS_MFA] }, []],
      [{ comparison: 'maximum', classRefs: [PPT, REFEDS_MFA] }, [2]],
      [{ comparison: 'maximum', classRefs: [PPT] }, [1]],
    ];
    for (const [asked, strengths] of cases)
      assert.deepEqual(strengthsFor(asked), strengths, JSON.stringify(asked));
  });
});

/** samlify warns on the console about optional endpoints it does not find. */
function quietly<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}
