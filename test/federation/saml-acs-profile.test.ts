import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runAcsChecks, type AcsContext } from '../../src/federation/saml/acs-checks.js';
import {
  buildEntities,
  type SamlConnectionConfig,
} from '../../src/federation/saml/saml-entities.js';
import {
  createSamlTestIdp,
  samlKeyPair,
  type ResponseOptions,
  type SamlTestIdp,
  type SpTarget,
} from '../support/saml-idp.js';
import { decode, encode } from '../support/saml-xml.js';

/**
 * What the Web Browser SSO profile (Profiles §4.1.4) requires of the assertion, beyond
 * saml-acs-checks.test.ts: shapes the IdP itself signed, run through the whole ACS list
 * without a server (same harness).
 */
const SP = 'https://latchkey.test/saml/c0ffee00-0000-4000-8000-000000000001';
const endpoints = { entityId: SP, acsUrl: `${SP}/acs`, sloUrl: `${SP}/slo` };
const REQUEST_ID = '_request-1';
const HANDLE = 'handle-of-the-login-transaction';

describe('the SAML ACS: what the Web Browser SSO profile requires of the assertion', () => {
  let idp: SamlTestIdp;
  let config: SamlConnectionConfig & { allowIdpInitiated: boolean };
  let entities: ReturnType<typeof buildEntities>;
  let target: SpTarget;

  before(() => {
    idp = createSamlTestIdp();
    config = {
      id: 'c0ffee00-0000-4000-8000-000000000001',
      version: 1,
      idpEntityId: idp.entityId,
      idpSsoUrl: idp.ssoUrl,
      idpSloUrl: null,
      idpCertificates: [idp.keys.certificatePem],
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      signRequests: true,
      wantAssertionsSigned: true,
      allowIdpInitiated: false,
    };
    entities = buildEntities(config, endpoints, { current: samlKeyPair('SP'), next: null });
    target = { entityId: SP, acsUrl: endpoints.acsUrl, metadataXml: entities.sp.getMetadata() };
  });

  /** A context whose one pending request is REQUEST_ID (usable once), with an empty replay cache. */
  const contextAt = (nowMs: number, overrides: Partial<AcsContext> = {}): AcsContext => {
    const pending = new Map([[REQUEST_ID, HANDLE]]);
    const used = new Set<string>();
    const claimed = new Set<string>();
    return {
      connection: config,
      endpoints,
      entities,
      nowMs,
      skewMs: 60_000,
      consumeRequest: async (id) => {
        const handle = pending.get(id);
        pending.delete(id);
        if (handle) used.add(id);
        return Promise.resolve(
          handle
            ? { ok: true as const, handle }
            : {
                ok: false as const,
                reason: used.has(id) ? ('reused' as const) : ('unknown' as const),
              },
        );
      },
      claimAssertion: async (key) => {
        const first = !claimed.has(key);
        claimed.add(key);
        return Promise.resolve(first);
      },
      ...overrides,
    };
  };

  const respond = async (options: Partial<ResponseOptions> = {}) =>
    decode(
      await idp.respond(target, {
        nameId: 'mallory@acme.test',
        inResponseTo: REQUEST_ID,
        ...options,
      }),
    );

  /** Runs the whole list; the reason code it refuses with, or 'accepted'. */
  const outcome = async (xml: string, ctx = contextAt(Date.now()), relayState = HANDLE) => {
    try {
      await runAcsChecks({ samlResponse: encode(xml), relayState }, ctx);
      return 'accepted';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };
  // Profiles §4.1.4.2: the bearer assertions "MUST contain at least one <AuthnStatement>
  // that reflects the authentication of the principal to the identity provider". An
  // assertion that only states attributes says nobody signed in: it opens no session.
  it('when the signed assertion has no AuthnStatement, then it is refused with saml_authn_statement_missing', async () => {
    const xml = await respond({
      attributes: { email: 'mallory@acme.test' },
      edit: (x) => x.replace(/<saml:AuthnStatement\b[\s\S]*<\/saml:AuthnStatement>/, ''),
    });
    assert.doesNotMatch(xml, /AuthnStatement/);
    assert.equal(await outcome(xml), 'saml_authn_statement_missing');
  });

  it('when it has one, then it is accepted (the baseline)', async () => {
    assert.equal(await outcome(await respond()), 'accepted');
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
      assert.equal(await outcome(await respond({ edit })), expected);
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
        const x = await respond({ sign });
        const edited = withExtensions(x, `<x:F xmlns:x="urn:x" ${attribute}="${idOf(x)}"/>`);
        assert.notEqual(edited, x);
        assert.notEqual(await outcome(edited), 'accepted');
      });
    }
  }

  it('when a second Signature is added to the signed assertion, then it is refused', async () => {
    const x = await respond();
    const sig = [...x.matchAll(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/g)][1]![0];
    assert.notEqual(await outcome(x.replace(sig, sig + sig)), 'accepted');
  });

  // want_assertions_signed: the assertion's own signature must cover the assertion. The
  // Response's signature moved into the assertion still verifies (it covers the Response
  // and, enveloped, leaves itself out) but signs the Response, not the assertion.
  it("when the Response's signature is moved into an unsigned assertion, then the connection that wants signed assertions refuses it (saml_assertion_unsigned)", async () => {
    const x = await respond({ sign: { response: true, assertion: false } });
    const sig = /<ds:Signature\b[\s\S]*?<\/ds:Signature>/.exec(x)![0];
    const moved = x
      .replace(sig, '')
      .replace(/(<saml:Assertion\b[\s\S]*?<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1${sig}`);
    assert.notEqual(moved, x);
    assert.equal(await outcome(x), 'saml_assertion_unsigned');
    assert.equal(await outcome(moved), 'saml_assertion_unsigned');
  });
});
