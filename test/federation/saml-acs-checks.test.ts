import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  acsChecks,
  checkAssertionSigned,
  checkMessageSize,
  checkNoDoctype,
  checkSignature,
  checkWellFormed,
  runAcsChecks,
  type AcsState,
} from '../../src/federation/saml/acs-checks.js';
import { assertionOf, disposeAcsState } from '../../src/federation/saml/acs-context.js';
import {
  createAcsHarness,
  HANDLE,
  REQUEST_ID,
  type AcsHarness,
} from '../support/saml-acs-harness.js';
import {
  commentInNameId,
  encode,
  wrapAround,
  wrapBeside,
  wrapInside,
  wrapResponse,
} from '../support/saml-xml.js';

/**
 * The ACS checks one by one, without a server: a samlify IdP signs responses for an SP
 * built from a connection's settings, and each check (or the whole list) runs on them
 * with a controlled clock, request store and replay cache.
 */
describe('the SAML ACS checks, one by one', () => {
  let h: AcsHarness;
  before(() => {
    h = createAcsHarness();
  });

  it('when the checks are listed, then they run in this order: cheap refusals of the raw message, the cryptography, then what the signed assertion says', () => {
    assert.deepEqual(
      acsChecks.map((check) => check.name),
      [
        'checkMessageSize',
        'checkNoDoctype',
        'checkWellFormed',
        'checkSchema',
        'checkNoAuthnContext',
        'checkStatus',
        'checkSingleAssertion',
        'checkNoComments',
        'checkSignatureAlgorithms',
        'checkSignature',
        'checkAssertionSigned',
        'checkIssuer',
        'checkAudience',
        'checkDestination',
        'checkRecipient',
        'checkAuthnStatement',
        'checkTimeWindow',
        'checkInResponseTo',
        'checkAuthnInstant',
        'checkReplay',
      ],
    );
  });

  it('when a genuine response is checked, then it is accepted and the identity is read from the signed assertion', async () => {
    const state = await runAcsChecks(
      { samlResponse: encode(await h.respond()), relayState: HANDLE },
      h.contextAt(Date.now()),
    );
    assert.equal(state.assertion?.nameId, 'mallory@acme.test');
    assert.deepEqual(state.solicited, { requestId: REQUEST_ID, handle: HANDLE });
  });

  describe('checkMessageSize', () => {
    it('when the message is 256 KB or less, then it passes; when larger, empty or not base64, then it is refused', async () => {
      const sized = (bytes: number) => Buffer.alloc(bytes, 'a').toString('base64');
      const code = async (samlResponse: string) => {
        try {
          await checkMessageSize({ samlResponse, relayState: null }, {});
          return 'passed';
        } catch (error) {
          return (error as { code: string }).code;
        }
      };
      assert.equal(await code(sized(256 * 1024)), 'passed');
      assert.equal(await code(sized(256 * 1024 + 1)), 'saml_response_too_large');
      assert.equal(await code('A'.repeat(1024 * 1024)), 'saml_response_too_large');
      assert.equal(await code(''), 'saml_response_malformed');
      assert.equal(await code('<samlp:Response/>'), 'saml_response_malformed');
    });
  });

  describe('checkNoDoctype and checkWellFormed', () => {
    it('when a DOCTYPE or ENTITY is written in any case or spacing, then it is refused', async () => {
      for (const xml of ['<!DOCTYPE x>', '<! doctype x>', '<!ENTITY x "y">', '<!entity x "y">']) {
        await assert.rejects(checkNoDoctype({ samlResponse: '', relayState: null }, { xml }), {
          code: 'saml_doctype_forbidden',
        });
      }
    });

    it('when the XML is not well-formed or its root is not a Response, then it is malformed', async () => {
      for (const xml of [
        '<samlp:Response',
        '<a><b></a>',
        '<samlp:AuthnRequest xmlns:samlp="urn:x"/>',
      ]) {
        await assert.rejects(checkWellFormed({ samlResponse: '', relayState: null }, { xml }), {
          code: 'saml_response_malformed',
        });
      }
    });
  });

  describe('checkNoAuthnContext and checkStatus', () => {
    /** An IdP's error Response (no assertion, unsigned as most are) with these status codes. */
    const errorResponse = (top: string, second: string | null) =>
      encode(
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_err" Version="2.0" IssueInstant="${new Date().toISOString()}" InResponseTo="${REQUEST_ID}">` +
          `<saml:Issuer>https://idp.test</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:${top}">` +
          (second
            ? `<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:${second}"/>`
            : '') +
          `</samlp:StatusCode></samlp:Status></samlp:Response>`,
      );
    const refusalOf = async (samlResponse: string) => {
      try {
        await runAcsChecks({ samlResponse, relayState: HANDLE }, h.contextAt(Date.now()));
        return 'accepted';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };

    it('when the IdP answers Responder with NoAuthnContext, then it is refused with saml_no_authn_context; any other non-Success status with saml_status_not_success', async () => {
      assert.equal(
        await refusalOf(errorResponse('Responder', 'NoAuthnContext')),
        'saml_no_authn_context',
      );
      for (const [top, second] of [
        ['Responder', 'AuthnFailed'],
        ['Responder', null],
        ['Requester', 'NoAuthnContext'],
      ] as const) {
        assert.equal(
          await refusalOf(errorResponse(top, second)),
          'saml_status_not_success',
          `${top}/${second}`,
        );
      }
    });
  });

  describe('checkSignature alone, under the structural checks (defence in depth)', () => {
    /** Only the signature steps: what would be read if the structural checks were missing. */
    const signatureLayer = async (xml: string) => {
      const state: AcsState = { xml };
      const message = { samlResponse: '', relayState: null };
      const ctx = h.contextAt(Date.now());
      try {
        await checkWellFormed(message, state);
        await checkSignature(message, state, ctx);
        await checkAssertionSigned(message, state, ctx);
        return { nameId: assertionOf(state).nameId };
      } catch (error) {
        return { refused: (error as { code: string }).code };
      } finally {
        disposeAcsState(state);
      }
    };

    const wraps: Array<[string, (xml: string) => string]> = [
      ['beside (before)', (xml) => wrapBeside(xml, 'ceo@acme.test', 'before')],
      ['beside (after)', (xml) => wrapBeside(xml, 'ceo@acme.test', 'after')],
      ['around (in Advice)', (xml) => wrapAround(xml, 'ceo@acme.test')],
      ['around (bare)', (xml) => wrapAround(xml, 'ceo@acme.test', false)],
      ['inside the Signature', (xml) => wrapInside(xml, 'ceo@acme.test')],
      ['XSW1 on the Response', (xml) => wrapResponse(xml, 'ceo@acme.test', 'signature')],
      ['XSW7 on the Response', (xml) => wrapResponse(xml, 'ceo@acme.test', 'extensions')],
    ];
    for (const [what, wrap] of wraps) {
      it(`when an assertion is wrapped ${what}, then the signature layer either refuses it or reads only the signed assertion, never the forged one`, async () => {
        const result = await signatureLayer(wrap(await h.respond()));
        assert.notEqual(result.nameId, 'ceo@acme.test');
        if (!('refused' in result)) assert.equal(result.nameId, 'mallory@acme.test');
      });
    }

    it('when a comment splits the NameID, then the signature layer never reads the part before the comment (the strict verifier refuses any comment in what it verifies)', async () => {
      const xml = commentInNameId(
        await h.respond({ nameId: 'alice@acme.test.evil.test' }),
        'alice@acme.test',
      );
      assert.deepEqual(await signatureLayer(xml), { refused: 'saml_xml_comment_forbidden' });
      assert.equal(await h.outcome(xml), 'saml_xml_comment_forbidden');
    });

    it('when a forged assertion sits in SubjectConfirmationData, then the signature layer refuses it as wrapping', async () => {
      const xml = await h.respond({
        sign: { response: false, assertion: true },
        edit: (x) =>
          x.replace(
            /(<saml:SubjectConfirmationData\b[^>]*?)\/>/,
            '$1><saml:Assertion ID="_inner" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>x</saml:Issuer></saml:Assertion></saml:SubjectConfirmationData>',
          ),
      });
      assert.deepEqual(await signatureLayer(xml), { refused: 'saml_signature_wrapping' });
    });
  });

  describe('what the signed assertion says', () => {
    it('when an AudienceRestriction does not name the SP, then it is refused even if another does (each restriction must be met)', async () => {
      const xml = await h.respond({
        edit: (x) =>
          x.replace(
            '</saml:AudienceRestriction>',
            '</saml:AudienceRestriction><saml:AudienceRestriction><saml:Audience>https://other.test</saml:Audience></saml:AudienceRestriction>',
          ),
      });
      assert.equal(await h.outcome(xml), 'saml_audience_mismatch');
    });

    it('when one AudienceRestriction names several audiences, one of them the SP, then it is accepted', async () => {
      const xml = await h.respond({
        edit: (x) =>
          x.replace(
            '</saml:AudienceRestriction>',
            '<saml:Audience>https://other.test</saml:Audience></saml:AudienceRestriction>',
          ),
      });
      assert.equal(await h.outcome(xml), 'accepted');
    });

    it('when the subject confirmation is not bearer, then no Recipient counts (saml_recipient_mismatch)', async () => {
      const xml = await h.respond({
        edit: (x) =>
          x.replace(
            'urn:oasis:names:tc:SAML:2.0:cm:bearer',
            'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
          ),
      });
      assert.equal(await h.outcome(xml), 'saml_recipient_mismatch');
    });

    it('when the bearer confirmation says no NotOnOrAfter, then it is refused as expired (a bearer assertion must end)', async () => {
      const xml = await h.respond({
        edit: (x) =>
          x.replace(/(<saml:SubjectConfirmationData\b[^>]*?) NotOnOrAfter="[^"]+"/, '$1'),
      });
      assert.equal(await h.outcome(xml), 'saml_assertion_expired');
    });

    it('when now is within the skew of NotBefore / NotOnOrAfter, then it passes; beyond it, it is refused', async () => {
      const notBefore = new Date('2030-01-01T10:00:00Z');
      const notOnOrAfter = new Date('2030-01-01T10:05:00Z');
      const xml = await h.respond({ notBefore, notOnOrAfter });
      const at = (ms: number) => h.outcome(xml, h.contextAt(ms));
      assert.equal(await at(notBefore.getTime() - 60_000), 'accepted');
      assert.equal(await at(notBefore.getTime() - 60_001), 'saml_assertion_not_yet_valid');
      assert.equal(await at(notOnOrAfter.getTime() + 59_999), 'accepted');
      assert.equal(await at(notOnOrAfter.getTime() + 60_000), 'saml_assertion_expired');
    });

    it('when the AuthnStatement session has ended (SessionNotOnOrAfter), then it is refused as expired', async () => {
      const now = Date.now();
      const xml = await h.respond({
        edit: (x) =>
          x.replace(
            '<saml:AuthnStatement ',
            `<saml:AuthnStatement SessionNotOnOrAfter="${new Date(now - 120_000).toISOString()}" `,
          ),
      });
      assert.equal(await h.outcome(xml, h.contextAt(now)), 'saml_assertion_expired');
    });

    it("when the Response's InResponseTo differs from the signed SubjectConfirmationData's, then it is refused", async () => {
      const xml = await h.respond({
        edit: (x) =>
          x.replace(/^(<samlp:Response\b[^>]*?) InResponseTo="[^"]+"/, '$1 InResponseTo="_other"'),
      });
      assert.equal(await h.outcome(xml), 'saml_in_response_to_unknown');
    });

    it('when the request was sent with ForceAuthn, then an AuthnInstant earlier than it by more than the skew is refused with saml_authn_instant_too_old; at the limit or later it passes; without ForceAuthn an old one passes', async () => {
      const sentAtMs = Date.parse('2030-01-01T10:00:00Z');
      const xml = await h.respond({
        notBefore: new Date(sentAtMs - 60_000),
        notOnOrAfter: new Date(sentAtMs + 300_000),
        edit: (x) => x.replace(/AuthnInstant="[^"]+"/, 'AuthnInstant="2030-01-01T09:59:00Z"'),
      });
      const forcedAt = (forceAuthnAtMs: number | null) =>
        h.outcome(
          xml,
          h.contextAt(sentAtMs + 5_000, {
            consumeRequest: async () =>
              Promise.resolve({ ok: true, handle: HANDLE, forceAuthnAtMs }),
          }),
        );
      // AuthnInstant is 60 s before the request: exactly the skew.
      assert.equal(await forcedAt(sentAtMs), 'accepted');
      assert.equal(await forcedAt(sentAtMs + 1), 'saml_authn_instant_too_old');
      assert.equal(await forcedAt(sentAtMs + 3_600_000), 'saml_authn_instant_too_old');
      assert.equal(await forcedAt(sentAtMs - 120_000), 'accepted');
      assert.equal(await forcedAt(null), 'accepted');
    });

    it('when the same assertion is checked twice, then the replay cache refuses the second (keyed by IdP and assertion ID, kept until it expires)', async () => {
      const claims: Array<[string, number]> = [];
      const seen = new Set<string>();
      const now = Date.now();
      const ctx = h.contextAt(now, {
        consumeRequest: async () => Promise.resolve({ ok: true, handle: HANDLE }),
        claimAssertion: async (key, ttlMs) => {
          claims.push([key, ttlMs]);
          const first = !seen.has(key);
          seen.add(key);
          return Promise.resolve(first);
        },
      });
      const xml = await h.respond({
        assertionId: '_once',
        notOnOrAfter: new Date(now + 300_000),
      });
      assert.equal(await h.outcome(xml, ctx), 'accepted');
      assert.equal(await h.outcome(xml, ctx), 'saml_assertion_replayed');
      assert.equal(claims[0]![0], `${h.idp.entityId}\0_once`);
      assert.equal(claims[0]![1], 300_000 + 60_000);
    });

    it('when the connection does not want signed assertions, then a signed response around an unsigned assertion is accepted', async () => {
      const xml = await h.respond({ sign: { response: true, assertion: false } });
      assert.equal(await h.outcome(xml), 'saml_assertion_unsigned');
      const relaxed = h.contextAt(Date.now(), {
        connection: { ...h.config, wantAssertionsSigned: false },
      });
      assert.equal(await h.outcome(xml, relaxed), 'accepted');
    });

    it('when the connection has no IdP certificate at all, then nothing verifies (never a KeyInfo certificate alone)', async () => {
      const none = h.contextAt(Date.now(), {
        entities: { ...h.entities, idpKeys: [] },
      });
      assert.equal(await h.outcome(await h.respond(), none), 'saml_certificate_unknown');
    });
  });
});
