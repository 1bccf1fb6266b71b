import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeIdp, type FakeIdp, type IdTokenFaults } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { Browser } from '../support/saml-sp-fixture.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/**
 * An ID token MACed with the client secret (HS256) is never taken for the IdP's word:
 * the secret is shared with Latchkey (and, through the connection's admins, with people),
 * and Latchkey checks every ID token's signature against the IdP's published keys
 * (enableNonRepudiationChecks). Not even when the IdP's discovery lists HS256.
 */
describe('OIDC login: an ID token MACed with the client secret', () => {
  let t: LiveApp;
  let idp: FakeIdp;
  before(async () => {
    idp = await startFakeIdp();
    t = await startLiveApp();
    const org = await t.app.orgs.create({ slug: 'acme', name: 'Acme' }, platform, ctx);
    await verifiedDomain(t, org.id, 'acme.test');
    await activeOidcConnection(t, org.id, idp, { name: 'Acme IdP' });
  });
  after(async () => {
    await t.close();
    await idp.close();
  });

  const login = async (faults: IdTokenFaults) => {
    const browser = new Browser();
    idp.next(
      { sub: 'idp-alice', email: 'alice@acme.test', email_verified: true, name: 'Alice' },
      faults,
    );
    const start = await browser.get(`${t.issuer}/login?login_hint=alice%40acme.test`);
    assert.equal(start.status, 303);
    const back = await fetch(new URL(start.headers.get('location')!), { redirect: 'manual' });
    return browser.get(back.headers.get('location')!);
  };
  const reasonOf = async (res: Response) =>
    /Reason<\/dt>\s*<dd><code>([^<]*)/.exec(await res.text())?.[1] ?? `status ${res.status}`;

  it('when the IdP publishes ES256 and HS256 and the ID token is HS256 with the client secret, then it is refused', async () => {
    const res = await login({
      signWith: 'hs256-client-secret',
      advertisedAlgs: ['ES256', 'HS256'],
    });
    assert.ok(res.status >= 400, `status ${res.status}`);
    assert.equal(await reasonOf(res), 'id_token_algorithm_invalid');
  });

  it('when the IdP publishes ES256 only, then an HS256 ID token with the client secret is refused', async () => {
    const res = await login({ signWith: 'hs256-client-secret' });
    assert.ok(res.status >= 400, `status ${res.status}`);
    assert.equal(await reasonOf(res), 'id_token_algorithm_invalid');
  });
});
