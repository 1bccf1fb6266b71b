import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { diag } from 'libxml2-wasm';
import { checkLogoutMessage } from '../../src/federation/saml/logout-messages.js';
import { createAcsHarness, endpoints, type AcsHarness } from '../support/saml-acs-harness.js';
import { logoutIdp } from '../support/saml-logout-idp.js';
import { stripKeyInfo, wrapBeside } from '../support/saml-xml.js';

/**
 * The ACS and the SLO parse each message into a libxml2 document in wasm memory (and an
 * encrypted assertion's clear text into another): every one must be freed again, whether
 * the message is accepted or refused at any check, or wasm memory grows under load.
 */
describe('the SAML checks free every libxml2 document they parse', () => {
  let h: AcsHarness;
  let messages: string[];
  before(async () => {
    h = createAcsHarness();
    const genuine = await h.respond();
    messages = [
      genuine, // accepted (once; replayed after that)
      await h.respond({ encrypt: true }), // decrypted, verified, read
      await h.respond({ encrypt: true, sign: { response: false, assertion: true } }),
      genuine.replace('<samlp:Status>', '<samlp:Status Extra="1">'), // schema
      '<samlp:Response', // not well-formed
      genuine.replace(/(<ds:SignatureValue>)./, '$1A'), // signature
      stripKeyInfo(genuine).replace(/(<ds:DigestValue>)./g, '$1A'), // digest
      wrapBeside(genuine, 'ceo@acme.test', 'after'), // wrapping
    ];
  });

  it('when accepted and refused responses and logout messages are checked many times, then no document is left undisposed', async () => {
    const slo = logoutIdp(h.idp);
    const logout = () =>
      checkLogoutMessage(
        {
          binding: 'post',
          kind: 'LogoutRequest',
          relayState: null,
          samlMessage: slo.requestPost(endpoints.sloUrl, { nameId: 'mallory@acme.test' })
            .samlRequest,
        },
        { ...h.contextAt(Date.now()), connection: h.config },
      ).catch(() => null);
    const round = async () => {
      for (const xml of messages) await h.outcome(xml);
      await logout();
    };
    await round(); // compiles the schema and the XPaths, kept for the process
    diag.configure({ enabled: true });
    try {
      for (let i = 0; i < 20; i++) await round();
      assert.deepEqual(diag.report(), {});
    } finally {
      diag.configure({ enabled: false });
    }
  });
});
