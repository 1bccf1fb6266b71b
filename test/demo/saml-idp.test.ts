import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import samlify from 'samlify';
import { startDemoSamlIdp, type DemoSamlIdp } from '../../src/demo/saml-idp.js';
import { samlKeyPair } from '../support/saml-idp.js';

/**
 * The development SAML IdP on its own: metadata, the signed AuthnRequest it requires of
 * an SP registered with a certificate, the sign-in form, the signed Response its
 * Continue page posts, and Single Logout (a signed LogoutRequest in, recorded, a signed
 * LogoutResponse back). The whole paths through Latchkey are test/browser/saml-login.test.ts
 * and test/browser/saml-logout.test.ts.
 */
const BINDING = samlify.Constants.namespace.binding;
const RSA_SHA256 = samlify.Constants.algorithms.signature.RSA_SHA256;
const SP_ENTITY = 'http://127.0.0.1:9/saml/conn-1';
const ACS = `${SP_ENTITY}/acs`;
const SP_SLO = `${SP_ENTITY}/slo`;

describe('development SAML IdP', () => {
  let idp: DemoSamlIdp;
  const spKeys = samlKeyPair('Test SP');

  before(async () => {
    idp = await startDemoSamlIdp({
      host: '127.0.0.1',
      port: 0,
      accounts: [{ email: 'carol@globex.test', name: 'Carol Diaz', groups: ['ads-managers'] }],
    });
    idp.trust({
      entityId: SP_ENTITY,
      acsUrl: ACS,
      name: 'Latchkey',
      signingCertificatePem: spKeys.certificatePem,
      singleLogout: { url: SP_SLO, signingCertificatePem: spKeys.certificatePem },
    });
  });
  after(async () => {
    await idp.close();
  });

  const sp = (signed: boolean) =>
    samlify.ServiceProvider({
      entityID: SP_ENTITY,
      assertionConsumerService: [{ Binding: BINDING.post, Location: ACS }],
      authnRequestsSigned: signed,
      wantAssertionsSigned: true,
      wantMessageSigned: true,
      ...(signed
        ? {
            privateKey: spKeys.privateKeyPem,
            signingCert: spKeys.certificatePem,
            requestSignatureAlgorithm: RSA_SHA256,
          }
        : {}),
    });
  const idpAsSpSeesIt = () =>
    quietly(() => samlify.IdentityProvider({ metadata: idp.metadataXml }));
  /** The IdP as an SP that does not sign would configure it (against its metadata). */
  const idpForUnsignedSp = () =>
    quietly(() =>
      samlify.IdentityProvider({
        entityID: idp.entityId,
        singleSignOnService: [{ Binding: BINDING.redirect, Location: idp.ssoUrl }],
        wantAuthnRequestsSigned: false,
      }),
    );

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const hidden = (page: string, name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1]?.replace(/&amp;/g, '&');

  it('when its metadata is fetched, then it names its entity id, the HTTP-Redirect SSO and SLO endpoints and its signing certificate', async () => {
    const res = await fetch(idp.entityId);
    assert.equal(res.status, 200);
    const xml = await res.text();
    assert.equal(xml, idp.metadataXml);
    assert.match(xml, new RegExp(`entityID="${idp.entityId}"`));
    assert.match(xml, /WantAuthnRequestsSigned="true"/);
    assert.match(
      xml,
      new RegExp(`Binding="${BINDING.redirect}" Location="${idp.ssoUrl.replace(/\//g, '\\/')}"`),
    );
    assert.match(
      xml,
      new RegExp(
        `<SingleLogoutService Binding="${BINDING.redirect}" Location="${idp.sloUrl.replace(/\//g, '\\/')}"`,
      ),
    );
    const body = idp.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
    assert.ok(xml.replace(/\s/g, '').includes(body));
  });

  it('when a trusted SP sends a signed AuthnRequest and carol signs in, then Continue posts a signed Response for that ACS, audience and request', async () => {
    const request = sp(true).createLoginRequest(idpAsSpSeesIt(), 'redirect', {
      relayState: 'handle-123',
    });
    const login = await fetch(request.context);
    assert.equal(login.status, 200);
    const loginPage = await login.text();
    assert.match(loginPage, /to continue to Latchkey/);
    const pending = hidden(loginPage, 'pending');
    assert.ok(pending);

    const done = await fetch(
      `${new URL(idp.ssoUrl).origin}/saml/sso/login`,
      form({ pending, email: 'carol@globex.test', password: 'anything' }),
    );
    assert.equal(done.status, 200);
    const page = await done.text();
    assert.match(page, new RegExp(`<form method="post" action="${ACS}">`));
    assert.match(page, /<button type="submit" autofocus>Continue<\/button>/);
    assert.doesNotMatch(page, /<script/i);
    assert.equal(hidden(page, 'RelayState'), 'handle-123');
    const samlResponse = hidden(page, 'SAMLResponse')!;
    const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
    assert.match(xml, new RegExp(`Destination="${ACS}"`));
    assert.match(xml, new RegExp(`Recipient="${ACS}"`));
    assert.match(xml, new RegExp(`<saml:Audience>${SP_ENTITY}</saml:Audience>`));
    assert.equal(xml.match(new RegExp(`InResponseTo="${request.id}"`, 'g'))?.length, 2);
    assert.equal(
      xml.match(
        /SignatureMethod Algorithm="http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256"/g,
      )?.length,
      2,
      'the Response and the assertion are signed with RSA-SHA256',
    );

    // As an SP reads it: signatures verified against the metadata's certificate.
    const parsed = await sp(true).parseLoginResponse(idpAsSpSeesIt(), 'post', {
      body: { SAMLResponse: samlResponse },
    });
    assert.equal(parsed.extract.nameID, 'carol@globex.test');
    assert.deepEqual(parsed.extract.attributes, {
      email: 'carol@globex.test',
      name: 'Carol Diaz',
      groups: 'ads-managers',
    });
    assert.match(xml, /Format="urn:oasis:names:tc:SAML:1\.1:nameid-format:emailAddress"/);

    // The sign-in form is used once.
    const again = await fetch(
      `${new URL(idp.ssoUrl).origin}/saml/sso/login`,
      form({ pending, email: 'carol@globex.test', password: 'anything' }),
    );
    assert.equal(again.status, 400);
  });

  it('when the SP is registered with a certificate but its AuthnRequest is unsigned, then the IdP refuses it', async () => {
    const request = sp(false).createLoginRequest(idpForUnsignedSp(), 'redirect');
    const res = await fetch(request.context);
    assert.equal(res.status, 400);
    assert.doesNotMatch(await res.text(), /name="pending"/);
  });

  it('when an email the IdP does not know is typed, then the form is shown again with the reason and no Response', async () => {
    const request = sp(true).createLoginRequest(idpAsSpSeesIt(), 'redirect');
    const pending = hidden(await (await fetch(request.context)).text(), 'pending')!;
    const res = await fetch(
      `${new URL(idp.ssoUrl).origin}/saml/sso/login`,
      form({ pending, email: 'mallory@globex.test', password: 'x' }),
    );
    assert.equal(res.status, 422);
    const page = await res.text();
    assert.match(page, /There is no .* account for that email/);
    assert.doesNotMatch(page, /SAMLResponse/);
  });

  /** An SP with Single Logout; it signs its LogoutRequests when the IdP entity wants them signed. */
  const sloSp = () =>
    samlify.ServiceProvider({
      entityID: SP_ENTITY,
      assertionConsumerService: [{ Binding: BINDING.post, Location: ACS }],
      singleLogoutService: [{ Binding: BINDING.redirect, Location: SP_SLO }],
      privateKey: spKeys.privateKeyPem,
      signingCert: spKeys.certificatePem,
      requestSignatureAlgorithm: RSA_SHA256,
      wantLogoutResponseSigned: true,
    });
  const idpForLogout = (signed: boolean) =>
    quietly(() =>
      samlify.IdentityProvider({ metadata: idp.metadataXml, wantLogoutRequestSigned: signed }),
    );
  const octetString = (url: URL, param: string) =>
    url.search
      .slice(1)
      .split('&')
      .filter((p) => p.startsWith(`${param}=`) || /^(RelayState|SigAlg)=/.test(p))
      .join('&');

  it('when a trusted SP sends a signed LogoutRequest, then the IdP records it and redirects back with a signed LogoutResponse to it', async () => {
    const before = idp.receivedLogoutRequests().length;
    const request = sloSp().createLogoutRequest(
      idpForLogout(true),
      'redirect',
      { logoutNameID: 'carol@globex.test', sessionIndex: '_session-1' },
      'relay-1',
    );
    assert.ok(request.context.startsWith(`${idp.sloUrl}?SAMLRequest=`), request.context);
    const res = await fetch(request.context, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, SP_SLO);
    assert.equal(location.searchParams.get('RelayState'), 'relay-1');
    assert.ok(location.searchParams.has('Signature'));

    const received = idp.receivedLogoutRequests().slice(before);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.nameId, 'carol@globex.test');
    assert.equal(received[0]!.sessionIndex, '_session-1');
    assert.equal(received[0]!.spEntityId, SP_ENTITY);

    // As the SP reads it: the query-string signature verified against the IdP metadata.
    const parsed = await sloSp().parseLogoutResponse(idpForLogout(true), 'redirect', {
      query: Object.fromEntries(location.searchParams),
      octetString: octetString(location, 'SAMLResponse'),
    });
    assert.equal(parsed.extract.issuer, idp.entityId);
    const response = parsed.extract.response as Record<string, string>;
    assert.equal(response.inResponseTo, request.id);
    assert.equal(response.destination, SP_SLO);
  });

  it('when an SP sends an unsigned LogoutRequest, then the IdP refuses it and records nothing', async () => {
    const before = idp.receivedLogoutRequests().length;
    const request = sloSp().createLogoutRequest(idpForLogout(false), 'redirect', {
      logoutNameID: 'carol@globex.test',
    });
    assert.doesNotMatch(request.context, /Signature=/);
    const res = await fetch(request.context, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(idp.receivedLogoutRequests().length, before);
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
