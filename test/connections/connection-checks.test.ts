import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { startFakeIdp, type FakeIdp } from '../support/fake-idp.js';
import { startLocalServer, type LocalServer } from '../support/local-http.js';
import { assertMatchesSpec } from '../support/openapi.js';
import { samlKeyPair } from '../support/saml-idp.js';

type Check = { check: string; ok: boolean; reason?: string; message: string };
type Problem = { code: string; errors?: Array<{ field: string; message: string }> };

const ONE = '/api/v1/orgs/{orgId}/connections/{connectionId}';
const CHECK = '/api/v1/orgs/{orgId}/connections/{connectionId}/check';

/** SAML IdP metadata around one signing certificate. */
const metadataOf = (certificatePem: string) => `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.checks.example.com/saml">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${certificatePem
      .replace(/-----[^-]+-----/g, '')
      .replace(/\s+/g, '')}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.checks.example.com/saml/sso"/>
  </IDPSSODescriptor>
</EntityDescriptor>`;

/**
 * Issue 18: nothing goes live untested. Activation through the admin API runs the
 * connection's live checks against its IdP (real HTTP to local IdPs) and refuses with the
 * reasons; POST …/check runs them on demand and changes nothing.
 */
describe('connection live checks', () => {
  let f: AdminFixture;
  let idp: FakeIdp;
  let liar: LocalServer;
  let noKeys: LocalServer;
  let closedPort: number;
  const clock = createFakeClock(Date.now());

  before(async () => {
    f = await startAdminFixture({ clock });
    idp = await startFakeIdp();
    // Discovery naming another issuer (a mix-up waiting to happen), and one without keys.
    liar = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: 'https://someone-else.example.com' }));
    });
    noKeys = await startLocalServer((req, res) => {
      const issuer = `http://127.0.0.1:${noKeys.port}`;
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['ES256'],
          }),
        );
        return;
      }
      res.writeHead(404).end();
    });
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  after(async () => {
    await idp?.close();
    await liar?.close();
    await noKeys?.close();
    await f?.t.close();
  });

  const path = (id = '') => `/api/v1/orgs/${f.orgA.id}/connections${id ? `/${id}` : ''}`;
  const oidc = async (issuer: string, clientSecret = idp.clientSecret) => {
    const res = await f.orgA.admin.post(path(), {
      type: 'oidc',
      name: `IdP at ${issuer}`,
      issuer,
      client_id: idp.clientId,
      client_secret: clientSecret,
    });
    assert.equal(res.status, 201, res.text);
    return (res.body as { id: string }).id;
  };
  const activate = (id: string) => f.orgA.admin.patch(path(id), { status: 'active' });
  const eventsOf = async (id: string) =>
    (
      await f.t.app.db.query<{ type: string }>(
        'SELECT type FROM audit_events WHERE target_id = $1 ORDER BY id',
        [id],
      )
    ).rows.map((r) => r.type);
  const assertRefused = async (
    res: request.Response,
    id: string,
    field: string,
    reason: string,
  ) => {
    assert.equal(res.status, 422, res.text);
    assertMatchesSpec(res, 'patch', ONE);
    const problem = res.body as Problem;
    assert.equal(problem.code, 'connection_check_failed');
    assert.deepEqual(
      problem.errors?.map((e) => e.field),
      [field],
    );
    assert.match(problem.errors[0]!.message, new RegExp(`^${reason}: `));
    const now = await f.orgA.admin.get(path(id));
    assert.equal((now.body as { status: string }).status, 'draft', 'still a draft');
    assert.ok(!(await eventsOf(id)).includes('admin.connection.activated'));
  };

  it('when an OIDC IdP answers discovery, publishes keys and accepts the client, then activation passes and is audited, and check says why', async () => {
    const id = await oidc(idp.issuer);
    const checked = await f.orgA.admin.post(`${path(id)}/check`, {});
    assert.equal(checked.status, 200, checked.text);
    assertMatchesSpec(checked, 'post', CHECK);
    const body = checked.body as { ok: boolean; checks: Check[] };
    assert.equal(body.ok, true);
    assert.deepEqual(
      body.checks.map((c) => [c.check, c.ok]),
      [
        ['discovery', true],
        ['jwks', true],
        ['client_authentication', true],
      ],
    );
    assert.match(body.checks[2]!.message, /accepted the client/);
    assert.ok(!JSON.stringify(body).includes(idp.clientSecret), 'no secret in the answer');
    const res = await activate(id);
    assert.equal(res.status, 200, res.text);
    assert.ok((await eventsOf(id)).includes('admin.connection.activated'));
  });

  it('when the issuer does not answer, then activation is 422 idp_unreachable and the connection stays a draft', async () => {
    const id = await oidc(`http://127.0.0.1:${closedPort}`);
    await assertRefused(await activate(id), id, 'discovery', 'idp_unreachable');
  });

  it('when discovery names another issuer, then activation is 422 issuer_mismatch', async () => {
    const id = await oidc(`http://127.0.0.1:${liar.port}`);
    await assertRefused(await activate(id), id, 'discovery', 'issuer_mismatch');
  });

  it('when the JWKS cannot be had, then activation is 422 jwks_unusable', async () => {
    const id = await oidc(`http://127.0.0.1:${noKeys.port}`);
    await assertRefused(await activate(id), id, 'jwks', 'jwks_unusable');
  });

  it('when the IdP refuses the client secret, then activation is 422 client_rejected; a PATCH with the right secret and the activation together passes', async () => {
    const id = await oidc(idp.issuer, 'not-the-secret');
    await assertRefused(await activate(id), id, 'client_authentication', 'client_rejected');
    const fixed = await f.orgA.admin.patch(path(id), {
      client_secret: idp.clientSecret,
      status: 'active',
    });
    assert.equal(fixed.status, 200, fixed.text);
    assert.equal((fixed.body as { status: string }).status, 'active');
  });

  it('when a SAML connection’s only certificate has expired since it was created, then check fails and re-activation is 422 certificate_invalid', async () => {
    const { certificatePem } = samlKeyPair('checks.example.com');
    const created = await f.orgA.admin.post(path(), {
      type: 'saml',
      name: 'Expiring SAML',
      idp_metadata_xml: metadataOf(certificatePem),
    });
    assert.equal(created.status, 201, created.text);
    const id = (created.body as { id: string }).id;
    assert.equal((await activate(id)).status, 200);
    assert.equal((await f.orgA.admin.patch(path(id), { status: 'disabled' })).status, 200);
    clock.advance(400 * 86_400_000); // past the certificate's year
    const checked = (await f.orgA.admin.post(`${path(id)}/check`, {})).body as {
      ok: boolean;
      checks: Check[];
    };
    assert.equal(checked.ok, false);
    assert.equal(checked.checks[0]!.reason, 'certificate_invalid');
    assert.match(checked.checks[0]!.message, /one has expired \(not after /);
    const res = await activate(id);
    assert.equal(res.status, 422, res.text);
    assert.equal((res.body as Problem).errors?.[0]?.field, 'certificates');
    clock.advance(-400 * 86_400_000);
  });

  it('when another org asks for a check, then 404 and nothing is fetched', async () => {
    const id = await oidc(idp.issuer);
    const res = await f.orgB.admin.post(`/api/v1/orgs/${f.orgA.id}/connections/${id}/check`, {});
    assert.equal(res.status, 404, res.text);
    const theirs = await f.orgB.admin.post(`/api/v1/orgs/${f.orgB.id}/connections/${id}/check`, {});
    assert.equal(theirs.status, 404, theirs.text);
  });
});
