import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  createAcsHarness,
  endpoints,
  REQUEST_ID,
  type AcsHarness,
} from '../support/saml-acs-harness.js';

/**
 * What the Web Browser SSO profile (Profiles §4.1.4) requires of the assertion, beyond
 * saml-acs-checks.test.ts: shapes the IdP itself signed, run through the whole ACS list
 * without a server (same harness).
 */
describe('the SAML ACS: what the Web Browser SSO profile requires of the assertion', () => {
  let h: AcsHarness;
  before(() => {
    h = createAcsHarness();
  });

  it('when the signed assertion has no AuthnStatement, then it is refused with saml_authn_statement_missing', async () => {
    const xml = await h.respond({
      attributes: { email: 'mallory@acme.test' },
      edit: (x) => x.replace(/<saml:AuthnStatement\b[\s\S]*<\/saml:AuthnStatement>/, ''),
    });
    assert.doesNotMatch(xml, /AuthnStatement/);
    assert.equal(await h.outcome(xml), 'saml_authn_statement_missing');
  });

  it('when it has one, then it is accepted (the baseline)', async () => {
    assert.equal(await h.outcome(await h.respond()), 'accepted');
  });

  // Checked and correct: each refused or accepted as the profile says.
  const SC = (method: string, recipient: string) =>
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:${method}"><saml:SubjectConfirmationData NotOnOrAfter="${new Date(Date.now() + 300_000).toISOString()}" Recipient="${recipient}" InResponseTo="${REQUEST_ID}"/></saml:SubjectConfirmation>`;
  const ONE_SC = /<saml:SubjectConfirmation\b[^>]*>[\s\S]*?<\/saml:SubjectConfirmation>/;
  const shapes: Array<[string, (x: string) => string, string]> = [
    [
      "the assertion's Issuer is not the Response's (and not the IdP)",
      (x) => x.replace(/(<saml:Assertion\b[\s\S]*?<saml:Issuer>)[^<]*/, '$1https://other.test'),
      'saml_issuer_mismatch',
    ],
    [
      "the Response's Issuer is not the assertion's (and not the IdP)",
      (x) => x.replace(/(<saml:Issuer>)[^<]*/, '$1https://other.test'),
      'saml_issuer_mismatch',
    ],
    [
      'the assertion has no Subject',
      (x) => x.replace(/<saml:Subject>[\s\S]*<\/saml:Subject>/, ''),
      'saml_recipient_mismatch',
    ],
    [
      'only a holder-of-key confirmation names this ACS (the bearer one names another)',
      (x) =>
        x.replace(
          ONE_SC,
          SC('holder-of-key', endpoints.acsUrl) + SC('bearer', 'https://evil.test/acs'),
        ),
      'saml_recipient_mismatch',
    ],
    [
      'a second bearer confirmation names this ACS',
      (x) =>
        x.replace(ONE_SC, SC('bearer', 'https://evil.test/acs') + SC('bearer', endpoints.acsUrl)),
      'accepted',
    ],
    [
      'OneTimeUse (the replay cache uses it once)',
      (x) =>
        x.replace('</saml:AudienceRestriction>', '</saml:AudienceRestriction><saml:OneTimeUse/>'),
      'accepted',
    ],
  ];
  for (const [what, edit, expected] of shapes) {
    it(`when ${what}, then the outcome is ${expected}`, async () => {
      assert.equal(await h.outcome(await h.respond({ edit })), expected);
    });
  }

  // Signature wrapping by duplicate IDs: an element of another namespace (where the
  // schema lets anything in, samlp:Extensions) carrying the signed assertion's ID as
  // ID, Id or id; the signed assertion is then no longer the only element its reference
  // could mean, and xml-crypto refuses it. Also a second Signature in the assertion.
  /** samlp:Extensions where the schema wants it: after the Issuer and any Signature. */
  const withExtensions = (x: string, inner: string) =>
    x.replace(
      /(<\/saml:Issuer>(?:<ds:Signature\b[\s\S]*?<\/ds:Signature>)?)(<samlp:Status)/,
      `$1<samlp:Extensions>${inner}</samlp:Extensions>$2`,
    );
  const idOf = (x: string) => /<saml:Assertion\b[^>]*? ID="([^"]+)"/.exec(x)![1]!;
  for (const sign of [
    { response: true, assertion: true },
    { response: false, assertion: true },
  ]) {
    for (const attribute of ['ID', 'Id', 'id']) {
      it(`when an element of another namespace repeats the assertion's ID as ${attribute} (response signed: ${sign.response}), then it is refused`, async () => {
        const x = await h.respond({ sign });
        const edited = withExtensions(x, `<x:F xmlns:x="urn:x" ${attribute}="${idOf(x)}"/>`);
        assert.notEqual(edited, x);
        assert.notEqual(await h.outcome(edited), 'accepted');
      });
    }
  }

  it('when a second Signature is added to the signed assertion, then it is refused', async () => {
    const x = await h.respond();
    const sig = [...x.matchAll(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/g)][1]![0];
    assert.notEqual(await h.outcome(x.replace(sig, sig + sig)), 'accepted');
  });

  // want_assertions_signed: the assertion's own signature must cover the assertion. The
  // Response's signature moved into the assertion still verifies (it covers the Response
  // and, enveloped, leaves itself out) but signs the Response, not the assertion.
  it("when the Response's signature is moved into an unsigned assertion, then the connection that wants signed assertions refuses it (saml_assertion_unsigned)", async () => {
    const x = await h.respond({ sign: { response: true, assertion: false } });
    const sig = /<ds:Signature\b[\s\S]*?<\/ds:Signature>/.exec(x)![0];
    const moved = x
      .replace(sig, '')
      .replace(/(<saml:Assertion\b[\s\S]*?<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1${sig}`);
    assert.notEqual(moved, x);
    assert.equal(await h.outcome(x), 'saml_assertion_unsigned');
    assert.equal(await h.outcome(moved), 'saml_assertion_unsigned');
  });
});
