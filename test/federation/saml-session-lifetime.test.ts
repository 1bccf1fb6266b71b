import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';

/**
 * Profiles §4.1.4.3: "If an <AuthnStatement> used to establish a security context for the
 * principal contains a SessionNotOnOrAfter attribute, the security context SHOULD be
 * discarded once this time is reached". The IdP says how long the sign-in may last:
 * Latchkey's session ends then at the latest (the org's own lifetime when shorter).
 */
describe('SAML: the session ends by the AuthnStatement’s SessionNotOnOrAfter', () => {
  let f: SamlFixture;
  before(async () => {
    f = await startSamlFixture();
  });
  after(async () => {
    await f.close();
  });

  const withSessionEnd = (at: Date) => (xml: string) =>
    xml.replace(
      '<saml:AuthnStatement ',
      `<saml:AuthnStatement SessionNotOnOrAfter="${at.toISOString()}" `,
    );

  it('when the IdP ends the sign-in in 10 minutes, then the session’s absolute expiry is at most then', async () => {
    const end = new Date(Date.now() + 10 * 60_000);
    const { browser, done } = await f.login('alice@globex.test', {
      nameId: 'alice@globex.test',
      edit: withSessionEnd(end),
    });
    assert.equal(done?.status, 303);
    const session = await f.t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.ok(session);
    assert.ok(
      session.absoluteExpiresAtMs <= end.getTime(),
      `session ends ${new Date(session.absoluteExpiresAtMs).toISOString()}, after ${end.toISOString()}`,
    );
    assert.ok(session.absoluteExpiresAtMs > Date.now() + 9 * 60_000);
  });

  it('when the IdP’s end is later than the org’s lifetime, then the org’s lifetime holds', async () => {
    const end = new Date(Date.now() + 365 * 86_400_000);
    const { browser, done } = await f.login('bob@globex.test', {
      nameId: 'bob@globex.test',
      edit: withSessionEnd(end),
    });
    assert.equal(done?.status, 303);
    const session = await f.t.app.sessions.validate(browser.jar.get('latchkey')!);
    assert.ok(session);
    assert.ok(session.absoluteExpiresAtMs < end.getTime() - 86_400_000);
  });
});
