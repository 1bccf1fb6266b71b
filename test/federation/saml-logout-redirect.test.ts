import assert from 'node:assert/strict';
import { randomUUID, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { logoutIdp } from '../support/saml-logout-idp.js';
import { startSamlFixture, type SamlFixture } from '../support/saml-sp-fixture.js';

const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };
const policy = { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 7200, maxSessionsPerUser: 20 };
const ALICE = 'alice@globex.test';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';

/**
 * The HTTP-Redirect binding's signature (Bindings §3.4.4.1) covers
 * SAMLRequest=…&RelayState=…&SigAlg=… exactly as sent, in that order: a SHA-1 SigAlg, a
 * SigAlg or RelayState changed after signing, or a RelayState added, ends nothing; the
 * same signed parameters in another order in the URL are the same signed message.
 */
describe('SAML Single Logout over HTTP-Redirect: what the query signature covers', () => {
  let f: SamlFixture;
  let sloUrl: string;
  let idp: ReturnType<typeof logoutIdp>;
  before(async () => {
    f = await startSamlFixture();
    sloUrl = `${f.globex.sp.entityId}/slo`;
    idp = logoutIdp(f.globex.idp);
  });
  after(async () => {
    await f.close();
  });

  const open = async () =>
    (
      await f.t.app.sessions.open(
        {
          userId: randomUUID(),
          orgId: f.globex.orgId,
          connectionId: f.globex.connectionId,
          amr: ['fed'],
          upstreamSessionId: `_idx-${randomUUID()}`,
          upstreamSubject: ALICE,
          policy,
        },
        ctx,
      )
    ).session;
  const isLive = async (id: string) => (await f.t.app.sessions.get(f.globex.orgId, id)) !== null;

  /** The raw parameters of a genuine signed LogoutRequest URL, in order. */
  const paramsOf = (url: string) =>
    new URL(url).search
      .slice(1)
      .split('&')
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string]);
  const urlOf = (params: Array<[string, string]>) =>
    `${sloUrl}?${params.map(([k, v]) => `${k}=${v}`).join('&')}`;
  /** Signs the SAMLRequest, RelayState and SigAlg of `params` again, with this algorithm. */
  const resign = (params: Array<[string, string]>, sigAlg: string, hash: string) => {
    const kept = params.filter(([k]) => k === 'SAMLRequest' || k === 'RelayState');
    const withAlg: Array<[string, string]> = [...kept, ['SigAlg', encodeURIComponent(sigAlg)]];
    const octets = withAlg.map(([k, v]) => `${k}=${v}`).join('&');
    const signature = sign(hash, Buffer.from(octets), f.globex.idp.keys.privateKeyPem);
    return [...withAlg, ['Signature', encodeURIComponent(signature.toString('base64'))]] as Array<
      [string, string]
    >;
  };
  const reasonOf = async (res: Response) =>
    /<code>(saml_[a-z_]+)<\/code>/.exec(await res.text())?.[1] ?? `status ${res.status}`;

  const genuine = (relayState?: string) =>
    paramsOf(
      idp.requestRedirect(sloUrl, { nameId: ALICE, ...(relayState ? { relayState } : {}) }).url,
    );

  const refusals: Array<[string, () => Array<[string, string]>, string]> = [
    [
      'signed with RSA-SHA1 (SigAlg rsa-sha1)',
      () => resign(genuine('rs'), SHA1, 'RSA-SHA1'),
      'saml_signature_algorithm_weak',
    ],
    [
      'SigAlg changed after signing',
      () =>
        genuine('rs').map(([k, v]): [string, string] =>
          k === 'SigAlg' ? [k, encodeURIComponent(SHA512)] : [k, v],
        ),
      'saml_signature_invalid',
    ],
    [
      'RelayState changed after signing',
      () =>
        genuine('rs').map(([k, v]): [string, string] =>
          k === 'RelayState' ? [k, 'other'] : [k, v],
        ),
      'saml_signature_invalid',
    ],
    [
      'a RelayState added after signing',
      () => {
        const p = genuine();
        return [p[0]!, ['RelayState', 'added'], ...p.slice(1)];
      },
      'saml_signature_invalid',
    ],
    [
      'the RelayState removed after signing',
      () => genuine('rs').filter(([k]) => k !== 'RelayState'),
      'saml_signature_invalid',
    ],
    [
      'the SigAlg removed',
      () => genuine('rs').filter(([k]) => k !== 'SigAlg'),
      'saml_logout_unsigned',
    ],
  ];
  for (const [what, build, reason] of refusals) {
    it(`when it is ${what}, then it is refused with ${reason} and the session stays`, async () => {
      const session = await open();
      const res = await fetch(urlOf(build()), { redirect: 'manual' });
      assert.ok(res.status >= 400, `status ${res.status}`);
      assert.equal(await reasonOf(res), reason);
      assert.equal(await isLive(session.id), true);
    });
  }

  it('when the signed parameters come in another order, then it is the same signed message and the session ends', async () => {
    const session = await open();
    const p = genuine('rs');
    const res = await fetch(urlOf([...p].reverse()), { redirect: 'manual' });
    assert.ok(res.status < 400, `status ${res.status}: ${await reasonOf(res.clone())}`);
    assert.equal(await isLive(session.id), false);
  });

  it('when it is signed with RSA-SHA256 again by the IdP, then it is accepted (the re-signing above is sound)', async () => {
    const session = await open();
    const res = await fetch(urlOf(resign(genuine('rs'), SHA256, 'RSA-SHA256')), {
      redirect: 'manual',
    });
    assert.ok(res.status < 400, `status ${res.status}: ${await reasonOf(res.clone())}`);
    assert.equal(await isLive(session.id), false);
  });
});
