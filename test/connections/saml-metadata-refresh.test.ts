import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { connectionStore } from '../../src/connections/connection-store.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { startLocalServer, type LocalServer } from '../support/local-http.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), 'utf8').trim();
const VALID_PEM = fixture('idp-signing-cert.pem');
const ROTATED_PEM = fixture('idp-rotated-cert.pem');
const base64Of = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const DAY_MS = 24 * 60 * 60 * 1000;
const VALID_NOT_AFTER_MS = Date.parse(new X509Certificate(VALID_PEM).validTo);

const IDP_ENTITY = 'https://idp.example.com/saml';
const SSO_BEFORE = 'https://idp.example.com/saml/sso';
const SSO_AFTER = 'https://idp.example.com/saml/sso-v2';

function metadataXml(certificates: string[], ssoUrl: string) {
  const keys = certificates
    .map(
      (pem) => `
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64Of(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP_ENTITY}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

describe('SAML metadata refresh', () => {
  const clock = createFakeClock(Date.now());
  let f: AdminFixture;
  let server: LocalServer;
  /** What the local IdP publishes, by path; a missing path answers 500. */
  const published = new Map<string, string>();
  let rotating: string;
  let failing: string;
  let fromXml: string;

  const create = async (body: Record<string, unknown>) => {
    const res = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/connections`, {
      type: 'saml',
      name: 'IdP',
      ...body,
    });
    assert.equal(res.status, 201, res.text);
    return (res.body as { id: string }).id;
  };
  const stored = async (id: string) => {
    const found = await connectionStore(f.t.app.db).getById(id);
    assert.ok(found && found.connection.type === 'saml');
    return found.connection;
  };
  const auditOf = async (id: string, type: string) =>
    (
      await f.t.app.db.query<{
        actor_type: string;
        outcome: string;
        reason: string | null;
        data: Record<string, unknown>;
      }>(
        'SELECT actor_type, outcome, reason, data FROM audit_events WHERE target_id = $1 AND type = $2 ORDER BY id',
        [id, type],
      )
    ).rows;
  const metricValue = async (name: string) => {
    const metric = f.t.app.metrics.registry.getSingleMetric(name);
    assert.ok(metric, `${name} is registered`);
    return (await metric.get()).values[0]?.value;
  };

  before(async () => {
    f = await startAdminFixture({ clock });
    server = await startLocalServer((req, res) => {
      const xml = published.get(req.url ?? '');
      if (xml === undefined) {
        res.writeHead(500).end('down');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(xml);
    });
    published.set('/rotating.xml', metadataXml([VALID_PEM], SSO_BEFORE));
    published.set('/failing.xml', metadataXml([VALID_PEM], SSO_BEFORE));
    rotating = await create({ idp_metadata_url: `${server.url}/rotating.xml` });
    failing = await create({ idp_metadata_url: `${server.url}/failing.xml` });
    fromXml = await create({ idp_metadata_xml: metadataXml([VALID_PEM], SSO_BEFORE) });
  });

  after(async () => {
    await server?.close();
    await f?.t.close();
  });

  it('when the IdP rotates its certificate and moves its SSO URL, then one pass updates the connection and audits it', async () => {
    const before = await stored(rotating);
    assert.deepEqual(before.settings.idpCertificates, [VALID_PEM]);
    published.set('/rotating.xml', metadataXml([VALID_PEM, ROTATED_PEM], SSO_AFTER));

    await f.t.app.samlMetadataRefresh.runOnce();

    const after = await stored(rotating);
    assert.deepEqual(after.settings.idpCertificates, [VALID_PEM, ROTATED_PEM]);
    assert.equal(after.settings.idpSsoUrl, SSO_AFTER);
    assert.equal(after.settings.idpEntityId, IDP_ENTITY);
    assert.equal(after.settings.idpMetadataUrl, `${server.url}/rotating.xml`);
    assert.equal(after.version, before.version + 1);
    const events = await auditOf(rotating, 'admin.connection.metadata_refreshed');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.actor_type, 'system');
    assert.deepEqual(events[0]?.data.after, {
      idpSsoUrl: SSO_AFTER,
      idpCertificates: [VALID_PEM, ROTATED_PEM],
    });

    await f.t.app.samlMetadataRefresh.runOnce();
    assert.equal((await stored(rotating)).version, after.version);
    assert.equal((await auditOf(rotating, 'admin.connection.metadata_refreshed')).length, 1);
  });

  it('when the metadata URL fails, then the connection is left as it was and the failure is audited', async () => {
    const before = await stored(failing);
    published.delete('/failing.xml');

    await f.t.app.samlMetadataRefresh.runOnce();

    assert.deepEqual(await stored(failing), before);
    const failures = await auditOf(failing, 'admin.connection.metadata_refresh_failed');
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.actor_type, 'system');
    assert.equal(failures[0]?.outcome, 'failure');
    assert.equal(failures[0]?.reason, 'metadata_fetch_failed');
    assert.equal((await auditOf(failing, 'admin.connection.metadata_refreshed')).length, 0);
  });

  it('when a signing certificate expires in 60 days, then no expiry event is raised', async () => {
    clock.set(VALID_NOT_AFTER_MS - 60 * DAY_MS);

    await f.t.app.samlMetadataRefresh.runOnce();

    const { rows } = await f.t.app.db.query(
      "SELECT 1 FROM audit_events WHERE type = 'saml.certificate.expiring'",
    );
    assert.equal(rows.length, 0);
    assert.equal(await metricValue('latchkey_saml_certificates_expiring_total'), 0);
    assert.equal(await metricValue('latchkey_saml_certificate_expiry_seconds'), 60 * 24 * 3600);
  });

  it('when a signing certificate expires in 10 days, then it is audited once and the metrics move', async () => {
    clock.set(VALID_NOT_AFTER_MS - 10 * DAY_MS);

    await f.t.app.samlMetadataRefresh.runOnce();

    const events = await auditOf(fromXml, 'saml.certificate.expiring');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.actor_type, 'system');
    assert.equal(events[0]?.data.seconds_left, 10 * 24 * 3600);
    assert.equal(events[0]?.data.not_after, new Date(VALID_NOT_AFTER_MS).toISOString());
    assert.equal(await metricValue('latchkey_saml_certificate_expiry_seconds'), 10 * 24 * 3600);
    const counted = await metricValue('latchkey_saml_certificates_expiring_total');
    assert.ok(counted !== undefined && counted >= 1);

    clock.advance(60 * 60 * 1000);
    await f.t.app.samlMetadataRefresh.runOnce();

    assert.equal((await auditOf(fromXml, 'saml.certificate.expiring')).length, 1);
    assert.equal(await metricValue('latchkey_saml_certificates_expiring_total'), counted);
  });
});
