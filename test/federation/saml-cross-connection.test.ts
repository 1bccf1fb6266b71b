import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';

/**
 * The SAML counterpart of the OIDC mix-up: another tenant's IdP (initech's) answers the
 * AuthnRequest Latchkey sent to globex's IdP, with its RelayState, at initech's ACS, and
 * the victim's own browser carries it on (an auto-submitted form). The login transaction
 * is the victim's, in the victim's browser, but it was started at globex: nothing opens.
 */
describe('SAML: one connection’s IdP cannot complete a login started at another', () => {
  let f: SamlFixture;
  before(async () => {
    f = await startSamlFixture();
  });
  after(async () => {
    await f.close();
  });

  it('when initech’s IdP answers globex’s pending request in the victim’s browser, then the login fails and no session opens', async () => {
    const victim = await f.startLogin('victim@globex.test');
    const response = await f.initech.idp.respond(f.initech.sp, {
      nameId: 'victim@globex.test',
      inResponseTo: victim.requestId,
    });
    const acs = await f.postToAcs(f.initech, response, victim.relayState);
    // Whether the ACS refuses it or the continue step does, the victim gets no session.
    if (acs.status === 303) {
      const done = await victim.browser.get(
        new URL(acs.headers.get('location')!, f.t.issuer).toString(),
      );
      await f.assertLoginFailedWith(done, 'transaction_not_found');
    } else {
      assert.ok(acs.status >= 400);
    }
    assert.equal(victim.browser.jar.has('latchkey'), false);
  });
});
