import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { samlKeyPair, type ResponseOptions } from '../support/saml-idp.js';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';
import {
  commentInNameId,
  decode,
  encode,
  stripKeyInfo,
  stripSignatures,
  wrapAround,
  wrapBeside,
  wrapInside,
  wrapResponse,
} from '../support/saml-xml.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/**
 * The ACS against the known attacks on SAML service providers: every refusal below is a
 * Response the attacker can really build (from one the IdP signed for the attacker's own
 * account, or from scratch), posted to the ACS of a pending login, and each is refused by
 * a named check with its own reason code, audited and counted, with no session.
 */
describe('the SAML ACS refuses forged, replayed and misdirected responses', () => {
  let f: SamlFixture;
  const mallory = { nameId: 'mallory@globex.test' };

  before(async () => {
    f = await startSamlFixture();
  });
  after(async () => {
    await f.close();
  });

  /** A pending login at globex; the IdP's genuine signed response for it, as XML. */
  async function pending(options: Partial<ResponseOptions> = {}) {
    const login = await f.startLogin('mallory@globex.test');
    const xml = decode(
      await f.globex.idp.respond(f.globex.sp, {
        ...mallory,
        ...options,
        inResponseTo: options.inResponseTo === undefined ? login.requestId : options.inResponseTo,
      }),
    );
    return { ...login, xml };
  }

  const post = (xml: string, relayState: string | null) =>
    f.postToAcs(f.globex, encode(xml), relayState);

  it('when a genuine response is posted, then it is accepted (the baseline the attacks start from)', async () => {
    const { xml, relayState } = await pending();
    assert.equal((await post(xml, relayState)).status, 303);
  });

  describe('XML signature wrapping', () => {
    // Every family adds a second assertion; the first check to see it refuses it: the
    // SAML schema when the shape is invalid, else the one-assertion check. (That samlify's
    // signature check alone also refuses them, or reads only the signed assertion, is shown
    // in saml-acs-checks.test.ts.)
    const families: Array<[string, (xml: string) => string, ResponseOptions['sign'], string]> = [
      [
        'a forged assertion placed before the signed one',
        (xml) => wrapBeside(xml, 'ceo@globex.test', 'before'),
        undefined,
        'saml_assertion_count',
      ],
      [
        'a forged assertion placed after the signed one',
        (xml) => wrapBeside(xml, 'ceo@globex.test', 'after'),
        undefined,
        'saml_assertion_count',
      ],
      [
        'a forged assertion placed beside the signed one in an unsigned response',
        (xml) => wrapBeside(xml, 'ceo@globex.test', 'before'),
        { response: false, assertion: true },
        'saml_assertion_count',
      ],
      [
        'a forged assertion wrapped around the signed one (in saml:Advice)',
        (xml) => wrapAround(xml, 'ceo@globex.test'),
        undefined,
        'saml_assertion_count',
      ],
      [
        'a forged assertion wrapped around the signed one (as a bare child)',
        (xml) => wrapAround(xml, 'ceo@globex.test', false),
        undefined,
        'saml_response_invalid',
      ],
      [
        "a forged assertion inside the signed one's Signature",
        (xml) => wrapInside(xml, 'ceo@globex.test'),
        undefined,
        'saml_assertion_count',
      ],
      [
        "the signed response inside a forged response's Signature (XSW1)",
        (xml) => wrapResponse(xml, 'ceo@globex.test', 'signature'),
        undefined,
        'saml_assertion_count',
      ],
      [
        'the signed response tucked into a forged response’s Extensions',
        (xml) => wrapResponse(xml, 'ceo@globex.test', 'extensions'),
        undefined,
        'saml_response_invalid',
      ],
    ];
    for (const [what, wrap, sign, reason] of families) {
      it(`when ${what}, then it is refused with ${reason}`, async () => {
        const { xml, relayState } = await pending(sign ? { sign } : {});
        await f.assertLoginFailedWith(await post(wrap(xml), relayState), reason);
      });
    }
  });

  it('when a comment is injected into the NameID (alice@globex.test<!---->.evil.test), then it is refused before anyone can read a truncated identity', async () => {
    const { xml, relayState } = await pending({ nameId: 'alice@globex.test.evil.test' });
    const injected = commentInNameId(xml, 'alice@globex.test');
    assert.match(injected, /alice@globex\.test<!---->\.evil\.test/);
    await f.assertLoginFailedWith(await post(injected, relayState), 'saml_xml_comment_forbidden');
  });

  it('when every signature is stripped, then it is refused with saml_signature_invalid', async () => {
    const { xml, relayState } = await pending();
    await f.assertLoginFailedWith(
      await post(stripSignatures(xml), relayState),
      'saml_signature_invalid',
    );
  });

  it('when the signed content is altered, then it is refused with saml_signature_invalid', async () => {
    const { xml, relayState } = await pending();
    const altered = xml.replace('>mallory@globex.test<', '>ceo@globex.test<');
    assert.notEqual(altered, xml);
    await f.assertLoginFailedWith(await post(altered, relayState), 'saml_signature_invalid');
  });

  it('when a signed response holds an unsigned assertion and the connection wants signed assertions, then it is refused with saml_assertion_unsigned', async () => {
    const { xml, relayState } = await pending({ sign: { response: true, assertion: false } });
    await f.assertLoginFailedWith(await post(xml, relayState), 'saml_assertion_unsigned');
  });

  it("when the response is re-signed with the attacker's own key and certificate (in KeyInfo), then it is refused with saml_certificate_unknown", async () => {
    const attacker = samlKeyPair('Attacker');
    const { xml, relayState } = await pending({ nameId: 'ceo@globex.test', signWith: attacker });
    assert.match(xml, /<ds:X509Certificate>/);
    await f.assertLoginFailedWith(await post(xml, relayState), 'saml_certificate_unknown');
  });

  it("when the response is signed with the attacker's key and no KeyInfo, then the metadata certificates do not verify it (saml_signature_invalid)", async () => {
    const attacker = samlKeyPair('Attacker');
    const { xml, relayState } = await pending({ nameId: 'ceo@globex.test', signWith: attacker });
    await f.assertLoginFailedWith(
      await post(stripKeyInfo(xml), relayState),
      'saml_signature_invalid',
    );
  });

  it("when the IdP signs with a certificate that is not in the connection's metadata (yet), then it is refused with saml_certificate_unknown", async () => {
    const next = samlKeyPair('Test IdP signing (next)');
    const { xml, relayState } = await pending({ signWith: next });
    await f.assertLoginFailedWith(await post(xml, relayState), 'saml_certificate_unknown');
  });

  it('when the connection lists several IdP certificates (a rotation), then a response signed by any of them is accepted, with or without KeyInfo', async () => {
    const next = samlKeyPair('Test IdP signing (next)');
    await f.t.app.connections.update(
      f.globex.orgId,
      f.globex.connectionId,
      { idp_certificates: [f.globex.idp.keys.certificatePem, next.certificatePem] },
      null,
      platform,
      ctx,
    );
    try {
      for (const signWith of [next, f.globex.idp.keys]) {
        for (const edit of [(xml: string) => xml, stripKeyInfo]) {
          const { xml, relayState } = await pending({ signWith });
          assert.equal((await post(edit(xml), relayState)).status, 303);
        }
      }
    } finally {
      await f.t.app.connections.update(
        f.globex.orgId,
        f.globex.connectionId,
        { idp_certificates: [f.globex.idp.keys.certificatePem] },
        null,
        platform,
        ctx,
      );
    }
  });

  // Options are built when each test runs (times relative to then, not to module load).
  const misdirected: Array<[string, () => Partial<ResponseOptions>, string]> = [
    [
      'the wrong audience',
      () => ({ audience: 'https://other-sp.test/saml' }),
      'saml_audience_mismatch',
    ],
    [
      'the wrong SubjectConfirmationData Recipient',
      () => ({ recipient: 'https://other-sp.test/saml/acs' }),
      'saml_recipient_mismatch',
    ],
    [
      'the wrong Destination',
      () => ({ destination: 'https://other-sp.test/saml/acs' }),
      'saml_destination_mismatch',
    ],
    ['another IdP as Issuer', () => ({ issuer: 'https://evil-idp.test' }), 'saml_issuer_mismatch'],
    [
      'an expired assertion (beyond the 60 s skew)',
      () => ({
        notBefore: new Date(Date.now() - 600_000),
        notOnOrAfter: new Date(Date.now() - 90_000),
      }),
      'saml_assertion_expired',
    ],
    [
      'a not-yet-valid assertion (10 minutes ahead, beyond the 60 s skew)',
      () => ({
        notBefore: new Date(Date.now() + 600_000),
        notOnOrAfter: new Date(Date.now() + 1_200_000),
      }),
      'saml_assertion_not_yet_valid',
    ],
    [
      'a non-Success status',
      () => ({ statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Requester' }),
      'saml_status_not_success',
    ],
    [
      'an InResponseTo naming no request of ours',
      () => ({ inResponseTo: '_never-sent-by-latchkey' }),
      'saml_in_response_to_unknown',
    ],
    [
      'no InResponseTo while IdP-initiated login is off',
      () => ({ inResponseTo: null }),
      'saml_unsolicited_not_allowed',
    ],
  ];
  for (const [what, options, reason] of misdirected) {
    it(`when the response has ${what}, then it is refused with ${reason}`, async () => {
      const { xml, relayState } = await pending(options());
      await f.assertLoginFailedWith(await post(xml, relayState), reason);
    });
  }

  // The clock skew's exact boundaries are tested with a fixed clock in saml-acs-checks.test.ts.

  it('when the same response is posted twice, then the second is refused with saml_in_response_to_reused', async () => {
    const { xml, relayState } = await pending();
    assert.equal((await post(xml, relayState)).status, 303);
    await f.assertLoginFailedWith(await post(xml, relayState), 'saml_in_response_to_reused');
  });

  it('when a second, freshly signed response answers an already answered request, then it is refused with saml_in_response_to_reused', async () => {
    const { xml, relayState, requestId } = await pending();
    assert.equal((await post(xml, relayState)).status, 303);
    const again = decode(
      await f.globex.idp.respond(f.globex.sp, { ...mallory, inResponseTo: requestId }),
    );
    await f.assertLoginFailedWith(await post(again, relayState), 'saml_in_response_to_reused');
  });

  it('when the RelayState is not the handle of the request answered, then it is refused with saml_relay_state_mismatch', async () => {
    const { xml } = await pending();
    const other = await f.startLogin('mallory@globex.test');
    await f.assertLoginFailedWith(await post(xml, other.relayState), 'saml_relay_state_mismatch');
  });

  it('when an unsolicited response is replayed where IdP-initiated login is on, then the second is refused with saml_assertion_replayed', async () => {
    const samlResponse = await f.initech.idp.respond(f.initech.sp, {
      inResponseTo: null,
      nameId: 'ivy@initech.test',
    });
    assert.equal((await f.postToAcs(f.initech, samlResponse, null)).status, 303);
    await f.assertLoginFailedWith(
      await f.postToAcs(f.initech, samlResponse, null),
      'saml_assertion_replayed',
    );
  });

  it('when an assertion ID already used answers a new request, then it is refused with saml_assertion_replayed', async () => {
    const first = await pending({ assertionId: '_assertion-used-once' });
    assert.equal((await post(first.xml, first.relayState)).status, 303);
    const second = await pending({ assertionId: '_assertion-used-once' });
    await f.assertLoginFailedWith(
      await post(second.xml, second.relayState),
      'saml_assertion_replayed',
    );
  });

  it('when the message carries a DOCTYPE with an external entity, then it is refused with saml_doctype_forbidden', async () => {
    const { xml, relayState } = await pending();
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${xml.replace('>mallory@globex.test<', '>&xxe;<')}`;
    await f.assertLoginFailedWith(await post(xxe, relayState), 'saml_doctype_forbidden');
  });

  it('when the response holds two assertions, both signed by the IdP, then it is refused with saml_assertion_count', async () => {
    const { xml, relayState } = await pending();
    const other = await pending({ nameId: 'ceo@globex.test' });
    const second = /<saml:Assertion\b[\s\S]*<\/saml:Assertion>/.exec(other.xml)![0];
    const doubled = xml.replace('</samlp:Response>', `${second}</samlp:Response>`);
    await f.assertLoginFailedWith(await post(doubled, relayState), 'saml_assertion_count');
  });

  it('when the message is larger than 256 KB, then it is refused with saml_response_too_large before it is parsed', async () => {
    const { xml, relayState } = await pending();
    const padded = xml.replace(
      '</samlp:Response>',
      `<!--${'x'.repeat(300 * 1024)}--></samlp:Response>`,
    );
    await f.assertLoginFailedWith(await post(padded, relayState), 'saml_response_too_large');
  });

  it('when the form body itself is far too large, then the body parser refuses it (413) before the ACS runs', async () => {
    const res = await f.postToAcs(f.globex, 'A'.repeat(2 * 1024 * 1024), null);
    assert.equal(res.status, 413);
    assert.match(await res.text(), /payload_too_large/);
  });

  it('when the signature uses SHA-1, then it is refused with saml_signature_algorithm_weak', async () => {
    const { xml, relayState } = await pending();
    const sha1 = xml.replaceAll(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    );
    await f.assertLoginFailedWith(await post(sha1, relayState), 'saml_signature_algorithm_weak');
  });

  it('when the message is not base64 of XML, or breaks the SAML schema, then it is refused (saml_response_malformed, saml_response_invalid)', async () => {
    const { xml, relayState } = await pending();
    await f.assertLoginFailedWith(
      await f.postToAcs(f.globex, '%%% not base64 %%%', relayState),
      'saml_response_malformed',
    );
    await f.assertLoginFailedWith(
      await post('<samlp:Response', relayState),
      'saml_response_malformed',
    );
    const invalid = xml.replace(
      '<samlp:Status>',
      '<samlp:Nonsense xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/><samlp:Status>',
    );
    await f.assertLoginFailedWith(await post(invalid, relayState), 'saml_response_invalid');
  });

  it('when responses are refused, then each is counted by reason under protocol="saml"', async () => {
    const metrics = await (await fetch(`${f.t.managementUrl}/metrics`)).text();
    for (const reason of [
      'saml_assertion_count',
      'saml_signature_invalid',
      'saml_certificate_unknown',
      'saml_assertion_replayed',
    ]) {
      assert.match(
        metrics,
        new RegExp(
          `latchkey_login_attempts_total\\{protocol="saml",outcome="failure",reason="${reason}"\\} [1-9]`,
        ),
      );
    }
  });
});
