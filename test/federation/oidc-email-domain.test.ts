import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLiveApp, type LiveApp } from '../support/live.js';
import { Browser } from '../support/saml-sp-fixture.js';
import { activeOidcConnection, verifiedDomain } from '../support/federation-seed.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/**
 * An org's OIDC IdP is the authority for the addresses of that org's verified domains,
 * never for another org's: with allow_any_email_domain, an address in a domain that
 * another org verified is let in but unverified, whatever email_verified the IdP
 * asserts (as for SAML). Otherwise Latchkey's own ID tokens would say
 * email_verified: true for ceo@globex.test on the word of acme's IdP.
 */
describe('OIDC login: email_verified for another org’s verified domain', () => {
  let t: LiveApp;
  let idp: FakeIdp;
  let acmeId: string;

  before(async () => {
    idp = await startFakeIdp();
    t = await startLiveApp();
    acmeId = (await t.app.orgs.create({ slug: 'acme', name: 'Acme' }, platform, ctx)).id;
    const globexId = (await t.app.orgs.create({ slug: 'globex', name: 'Globex' }, platform, ctx))
      .id;
    for (const [owner, domain] of [
      [acmeId, 'acme.test'],
      [globexId, 'globex.test'],
    ] as const) {
      await verifiedDomain(t, owner, domain);
    }
    await activeOidcConnection(t, acmeId, idp, { name: 'Acme IdP', allow_any_email_domain: true });
  });

  after(async () => {
    await t.close();
    await idp.close();
  });

  async function login(identity: Record<string, unknown>) {
    const browser = new Browser();
    idp.next(identity);
    const start = await browser.get(
      `${t.issuer}/login?login_hint=alice%40acme.test&return_to=%2Faccount`,
    );
    assert.equal(start.status, 303, await start.text());
    const back = await fetch(new URL(start.headers.get('location')!), { redirect: 'manual' });
    return browser.get(back.headers.get('location')!);
  }

  const reasonOf = async (res: Response) =>
    /Reason<\/dt>\s*<dd><code>([^<]*)/.exec(await res.text())?.[1] ?? `status ${res.status}`;

  const stored = async (sub: string) =>
    (
      await t.app.db.query<{ email: string; email_verified: boolean }>(
        `SELECT u.email, u.email_verified FROM users u JOIN user_identities i ON i.user_id = u.id
         WHERE i.subject = $1`,
        [sub],
      )
    ).rows;

  it('when acme’s IdP asserts a verified address of globex’s domain, then it is not verified (acme requires verified email: refused)', async () => {
    const res = await login({
      sub: 'idp-ceo',
      email: 'ceo@globex.test',
      email_verified: true,
      name: 'Not The CEO',
    });
    assert.equal(res.status >= 400, true, `status ${res.status}`);
    assert.equal(await reasonOf(res), 'email_not_verified');
    assert.deepEqual(await stored('idp-ceo'), []);
  });

  it('when the domain is written in capitals, then it is still globex’s', async () => {
    const res = await login({ sub: 'idp-ceo2', email: 'ceo@GLOBEX.test', email_verified: true });
    assert.equal(await reasonOf(res), 'email_not_verified');
  });

  it('when acme’s IdP asserts a verified address of its own domain, or of a domain no org verified, then it stays verified', async () => {
    for (const [sub, email] of [
      ['idp-alice', 'alice@acme.test'],
      ['idp-eve', 'eve@outsider.test'],
    ] as const) {
      const res = await login({ sub, email, email_verified: true });
      assert.equal(res.status, 303, await reasonOf(res.clone()));
      assert.deepEqual(await stored(sub), [{ email, email_verified: true }]);
    }
  });
});
