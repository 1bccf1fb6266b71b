import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import {
  connectionChecker,
  createConnectionService,
  oidcRedirectUri,
  type ConnectionService,
} from '../../src/connections/index.js';
import { createOidcConnectionCheck } from '../../src/federation/index.js';
import type { AdminPrincipal } from '../../src/platform/admin/index.js';
import { createSecretBox } from '../../src/platform/crypto/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import type { OutboundPolicy } from '../../src/platform/net/index.js';
import { startAdminFixture, type AdminClient, type AdminFixture } from '../support/admin.js';
import { startLocalServer, withoutDialling, type LocalServer } from '../support/local-http.js';
import { assertMatchesSpec } from '../support/openapi.js';

const LIST = '/api/v1/orgs/{orgId}/connections';
const ONE = '/api/v1/orgs/{orgId}/connections/{connectionId}';
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const KEY_ENCRYPTION_KEY = randomBytes(32).toString('base64');

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), 'utf8');
const VALID_PEM = fixture('idp-signing-cert.pem').trim();
const EXPIRED_PEM = fixture('idp-expired-cert.pem').trim();
const base64Of = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

const IDP_ENTITY = 'https://idp.example.com/saml';
const IDP_SSO = 'https://idp.example.com/saml/sso';
const IDP_SLO = 'https://idp.example.com/saml/slo';

/** IdP metadata as an IdP would publish it. */
function metadataXml(
  options: { certificates?: string[]; entityId?: string; ssoBinding?: string } = {},
) {
  const certificates = options.certificates ?? [VALID_PEM];
  const keys = certificates
    .map(
      (pem) => `
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64Of(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>`,
    )
    .join('');
  const binding = options.ssoBinding ?? 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${options.entityId ?? IDP_ENTITY}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}
    <md:KeyDescriptor use="encryption">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${IDP_SLO}"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${IDP_SSO}/post"/>
    <md:SingleSignOnService Binding="${binding}" Location="${IDP_SSO}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

type Problem = { code: string; errors?: Array<{ field: string; message: string }> };
type ConnectionBody = Record<string, unknown> & {
  id: string;
  type: string;
  status: string;
  name: string;
};

const codeOf = (res: request.Response) => (res.body as Problem).code;
const fieldsOf = (res: request.Response) =>
  ((res.body as Problem).errors ?? []).map((e) => e.field).sort();

describe('admin API: SSO connections', () => {
  let f: AdminFixture;
  let service: ConnectionService;
  let metadataServer: LocalServer;
  const secretBox = createSecretBox(KEY_ENCRYPTION_KEY);
  /** Every response body and header set seen, to search for secrets at the end. */
  const seen: string[] = [];
  const track = (res: request.Response) => {
    seen.push(res.text ?? '', JSON.stringify(res.headers));
    return res;
  };
  const path = (orgId: string, id?: string) =>
    `/api/v1/orgs/${orgId}/connections${id ? `/${id}` : ''}`;
  const oidcBody = (overrides: Record<string, unknown> = {}) => ({
    type: 'oidc',
    name: 'Okta',
    issuer: 'https://acme.okta.example.com',
    client_id: 'latchkey-client',
    client_secret: `cs-${randomBytes(24).toString('base64url')}`,
    ...overrides,
  });
  const samlBody = (overrides: Record<string, unknown> = {}) => ({
    type: 'saml',
    name: 'ADFS',
    idp_metadata_xml: metadataXml(),
    ...overrides,
  });
  const create = async (admin: AdminClient, orgId: string, body: Record<string, unknown>) => {
    const res = track(await admin.post(path(orgId), body));
    assert.equal(res.status, 201, res.text);
    return res.body as ConnectionBody;
  };
  const serviceWith = (outbound: Partial<OutboundPolicy>, extra: Record<string, unknown> = {}) =>
    createConnectionService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock: f.t.app.clock,
      secretBox,
      issuer: f.t.config.server.issuer,
      outbound: { ...f.t.config.outbound, ...outbound },
      checks: connectionChecker({
        oidc: createOidcConnectionCheck({
          policy: { ...f.t.config.outbound, ...outbound },
          redirectUri: (id) => oidcRedirectUri(f.t.config.server.issuer, id),
        }),
        now: () => f.t.app.clock.now(),
      }),
      ...extra,
    });
  const auditOf = async (connectionId: string) =>
    (
      await f.t.app.db.query<{ type: string; data: Record<string, unknown>; actor_id: string }>(
        'SELECT type, data, actor_id FROM audit_events WHERE target_id = $1 ORDER BY id',
        [connectionId],
      )
    ).rows;

  before(async () => {
    f = await startAdminFixture({
      env: { LATCHKEY_SECRETS_KEY_ENCRYPTION_KEY: KEY_ENCRYPTION_KEY },
    });
    service = serviceWith({});
    metadataServer = await startLocalServer((req, res) => {
      if (req.url === '/metadata.xml') {
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
        res.end(metadataXml({ entityId: 'https://idp.from-url.example.com' }));
      } else if (req.url === '/moved') {
        res.writeHead(302, { location: '/metadata.xml' }).end();
      } else if (req.url === '/huge.xml') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<x>${'a'.repeat(300 * 1024)}</x>`);
      } else if (req.url === '/doctype.xml') {
        res.writeHead(200).end('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>');
      } else {
        res.writeHead(404).end('no such metadata');
      }
    });
  });
  after(async () => {
    await metadataServer.close();
    await f.t.close();
  });

  describe('happy paths', () => {
    it('when an org admin creates an OIDC connection, then 201 draft with defaults, Location, ETag and no secret', async () => {
      const body = oidcBody();
      const res = track(await f.orgA.admin.post(path(f.orgA.id), body));
      assert.equal(res.status, 201, res.text);
      assertMatchesSpec(res, 'post', LIST);
      const c = res.body as ConnectionBody;
      assert.equal(res.headers.location, path(f.orgA.id, c.id));
      assert.equal(res.headers.etag, '"1"');
      assert.match(c.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      assert.deepEqual(
        { ...c, id: undefined, created_at: undefined, updated_at: undefined },
        {
          id: undefined,
          org_id: f.orgA.id,
          type: 'oidc',
          name: 'Okta',
          status: 'draft',
          client_secret_set: true,
          issuer: 'https://acme.okta.example.com',
          client_id: 'latchkey-client',
          scopes: ['openid', 'email', 'profile'],
          token_endpoint_auth_method: 'client_secret_basic',
          claim_mapping: {
            subject: 'sub',
            email: 'email',
            email_verified: 'email_verified',
            name: 'name',
            groups: 'groups',
          },
          role_mapping: {},
          allow_any_email_domain: false,
          assurance: { mapping: {}, request: {} },
          redirect_uri: `${f.t.config.server.issuer}/login/oidc/callback/${c.id}`,
          created_at: undefined,
          updated_at: undefined,
        },
      );
      assert.ok(!res.text.includes(body.client_secret));
      const got = track(await f.orgA.admin.get(path(f.orgA.id, c.id)));
      assert.equal(got.status, 200);
      assertMatchesSpec(got, 'get', ONE);
      assert.equal(got.headers.etag, '"1"');
      assert.deepEqual(got.body, res.body);
      const events = await auditOf(c.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['admin.connection.created'],
      );
      const created = events[0]!.data as { before: null; after: Record<string, unknown> };
      assert.equal(created.before, null);
      assert.equal(created.after.client_secret, '[secret]');
      assert.equal(created.after.issuer, 'https://acme.okta.example.com');
    });

    it('when an OIDC connection sets its own scopes, auth method and mappings, then they are kept', async () => {
      const c = await create(
        f.orgA.admin,
        f.orgA.id,
        oidcBody({
          issuer: 'http://127.0.0.1:9999/realms/dev',
          scopes: ['openid', 'email', 'groups'],
          token_endpoint_auth_method: 'client_secret_post',
          claim_mapping: { groups: 'roles', email: 'upn' },
          role_mapping: { 'Ad Admins': 'admin', Viewers: 'viewer' },
          allow_any_email_domain: true,
        }),
      );
      assert.equal(c.issuer, 'http://127.0.0.1:9999/realms/dev');
      assert.deepEqual(c.scopes, ['openid', 'email', 'groups']);
      assert.equal(c.token_endpoint_auth_method, 'client_secret_post');
      assert.deepEqual(c.claim_mapping, {
        subject: 'sub',
        email: 'upn',
        email_verified: 'email_verified',
        name: 'name',
        groups: 'roles',
      });
      assert.deepEqual(c.role_mapping, { 'Ad Admins': 'admin', Viewers: 'viewer' });
      assert.equal(c.allow_any_email_domain, true);
    });

    it('when a SAML connection is created from metadata XML, then the IdP entity, endpoints and signing certificate are extracted', async () => {
      const res = track(await f.orgA.admin.post(path(f.orgA.id), samlBody()));
      assert.equal(res.status, 201, res.text);
      assertMatchesSpec(res, 'post', LIST);
      const c = res.body as ConnectionBody;
      const issuer = f.t.config.server.issuer;
      assert.deepEqual(
        { ...c, id: undefined, created_at: undefined, updated_at: undefined },
        {
          id: undefined,
          org_id: f.orgA.id,
          type: 'saml',
          name: 'ADFS',
          status: 'draft',
          client_secret_set: false,
          idp_entity_id: IDP_ENTITY,
          idp_sso_url: IDP_SSO,
          idp_slo_url: IDP_SLO,
          idp_certificates: [VALID_PEM],
          idp_metadata_url: null,
          attribute_mapping: {
            email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
            name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
            groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
          },
          name_id_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          identity_attribute: null,
          sign_requests: true,
          allow_idp_initiated: false,
          want_assertions_signed: true,
          role_mapping: {},
          allow_any_email_domain: false,
          assurance: { mapping: {}, request: {} },
          sp: {
            entity_id: `${issuer}/saml/${c.id}`,
            acs_url: `${issuer}/saml/${c.id}/acs`,
            slo_url: `${issuer}/saml/${c.id}/slo`,
            metadata_url: `${issuer}/saml/${c.id}/metadata`,
          },
          created_at: undefined,
          updated_at: undefined,
        },
      );
    });

    it('when a SAML connection is given entity id, SSO URL and certificates by hand, then they are used with its options', async () => {
      const c = await create(f.orgA.admin, f.orgA.id, {
        type: 'saml',
        name: 'Hand-made',
        idp_entity_id: 'urn:idp:hand',
        idp_sso_url: 'https://idp.hand.example.com/sso',
        idp_certificates: [VALID_PEM],
        name_id_format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        identity_attribute: 'employeeNumber',
        attribute_mapping: { email: 'mail' },
        sign_requests: false,
        allow_idp_initiated: true,
      });
      assert.equal(c.idp_entity_id, 'urn:idp:hand');
      assert.equal(c.idp_sso_url, 'https://idp.hand.example.com/sso');
      assert.equal(c.idp_slo_url, null);
      assert.equal(c.name_id_format, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
      assert.equal(c.identity_attribute, 'employeeNumber');
      assert.equal((c.attribute_mapping as { email: string }).email, 'mail');
      assert.equal(c.sign_requests, false);
      assert.equal(c.allow_idp_initiated, true);
    });

    it('when a SAML connection names a metadata URL on 127.0.0.1, then it is fetched (redirects too) and its contents used', async () => {
      for (const file of ['metadata.xml', 'moved']) {
        const url = `${metadataServer.url}/${file}`;
        const res = track(
          await f.orgA.admin.post(path(f.orgA.id), {
            type: 'saml',
            name: 'From URL',
            idp_metadata_url: url,
          }),
        );
        assert.equal(res.status, 201, res.text);
        assertMatchesSpec(res, 'post', LIST);
        const c = res.body as ConnectionBody;
        assert.equal(c.idp_entity_id, 'https://idp.from-url.example.com');
        assert.equal(c.idp_metadata_url, url);
        assert.deepEqual(c.idp_certificates, [VALID_PEM]);
      }
    });

    it('when connections outnumber a page, then cursors walk every one exactly once, oldest first', async () => {
      const org = await f.makeOrg('paged-connections');
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        made.push((await create(org.admin, org.id, oidcBody({ name: `c${i}` }))).id);
      }
      const seenIds: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = track(
          await org.admin.get(`${path(org.id)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        );
        assert.equal(res.status, 200);
        assertMatchesSpec(res, 'get', LIST);
        const page = res.body as { items: ConnectionBody[]; next_cursor: string | null };
        assert.ok(page.items.length <= 2);
        seenIds.push(...page.items.map((c) => c.id));
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seenIds, made);
      const bad = await org.admin.get(`${path(org.id)}?cursor=nope`);
      assert.equal(bad.status, 400);
      assertMatchesSpec(bad, 'get', LIST);
    });
  });

  describe('updates, secrets and state', () => {
    it('when the name changes and the secret rotates, then the new secret is sealed, never shown, and audited masked', async () => {
      const first = oidcBody();
      const c = await create(f.orgA.admin, f.orgA.id, first);
      const rotated = `rotated-${randomBytes(24).toString('base64url')}`;
      const res = track(
        await f.orgA.admin.patch(
          path(f.orgA.id, c.id),
          { name: 'Okta (prod)', client_secret: rotated, scopes: ['openid', 'email'] },
          '"1"',
        ),
      );
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'patch', ONE);
      assert.equal(res.headers.etag, '"2"');
      const body = res.body as ConnectionBody;
      assert.equal(body.name, 'Okta (prod)');
      assert.equal(body.client_secret_set, true);
      assert.deepEqual(body.scopes, ['openid', 'email']);
      assert.ok(!res.text.includes(rotated));

      const forLogin = await service.getConnectionForLogin(c.id);
      assert.equal(forLogin?.type, 'oidc');
      assert.equal(forLogin?.clientSecret, rotated);

      const events = await auditOf(c.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['admin.connection.created', 'admin.connection.updated'],
      );
      assert.deepEqual(events[1]!.data, {
        before: { name: 'Okta', scopes: ['openid', 'email', 'profile'], client_secret: '[secret]' },
        after: { name: 'Okta (prod)', scopes: ['openid', 'email'], client_secret: '[secret]' },
      });
    });

    it('when the secret is stored, then the row holds ciphertext that opens only under its own connection id', async () => {
      const body = oidcBody();
      const c = await create(f.orgA.admin, f.orgA.id, body);
      const { rows } = await f.t.app.db.query<{ settings: unknown; secret_ciphertext: string }>(
        'SELECT settings, secret_ciphertext FROM connections WHERE id = $1',
        [c.id],
      );
      const row = rows[0]!;
      assert.ok(row.secret_ciphertext.startsWith('v1.'));
      assert.ok(!row.secret_ciphertext.includes(body.client_secret));
      assert.ok(!JSON.stringify(row.settings).includes(body.client_secret));
      assert.equal(secretBox.open(row.secret_ciphertext, c.id), body.client_secret);
      assert.throws(() => secretBox.open(row.secret_ciphertext, uuidv7()));
      // Copied into another connection's row, it does not open there either.
      const other = await create(f.orgA.admin, f.orgA.id, oidcBody());
      await f.t.app.db.query('UPDATE connections SET secret_ciphertext = $1 WHERE id = $2', [
        row.secret_ciphertext,
        other.id,
      ]);
      await assert.rejects(service.getConnectionForLogin(other.id));
      const wrongKey = createSecretBox(randomBytes(32).toString('base64'));
      assert.throws(() => wrongKey.open(row.secret_ciphertext, c.id));
      const { rows: audit } = await f.t.app.db.query<{ data: unknown }>(
        'SELECT data FROM audit_events WHERE target_id = $1',
        [c.id],
      );
      const auditText = JSON.stringify(audit);
      assert.ok(!auditText.includes(body.client_secret));
      assert.ok(!auditText.includes(row.secret_ciphertext));
    });

    it('when status moves along allowed transitions, then each is audited, and other moves are 409 connection_state_invalid', async () => {
      // SAML: its live checks (a valid certificate) pass without an IdP to talk to.
      const c = await create(f.orgA.admin, f.orgA.id, samlBody({ name: 'States' }));
      const url = path(f.orgA.id, c.id);
      const move = async (status: string) => track(await f.orgA.admin.patch(url, { status }));

      for (const [status, expected] of [
        ['active', 200],
        ['draft', 409],
        ['disabled', 200],
        ['draft', 409],
        ['active', 200],
        ['active', 200],
      ] as const) {
        const res = await move(status);
        assert.equal(res.status, expected, `→ ${status}: ${res.text}`);
        assertMatchesSpec(res, 'patch', ONE);
        if (expected === 409) assert.equal(codeOf(res), 'connection_state_invalid');
        else assert.equal((res.body as ConnectionBody).status, status);
      }
      const draft = await create(f.orgA.admin, f.orgA.id, oidcBody({ name: 'Shelved' }));
      const shelved = track(
        await f.orgA.admin.patch(path(f.orgA.id, draft.id), { status: 'disabled' }),
      );
      assert.equal(shelved.status, 200);

      assert.deepEqual(
        (await auditOf(c.id)).map((e) => e.type),
        [
          'admin.connection.created',
          'admin.connection.activated',
          'admin.connection.disabled',
          'admin.connection.activated',
        ],
      );
      const active = await service.listActiveConnections(f.orgA.id);
      assert.ok(active.some((x) => x.id === c.id));
      assert.ok(!active.some((x) => x.id === draft.id));
      assert.ok(active.every((x) => x.status === 'active' && x.orgId === f.orgA.id));
    });

    it('when a SAML connection gets new metadata or certificates, then the IdP settings are replaced', async () => {
      const c = await create(f.orgA.admin, f.orgA.id, samlBody({ name: 'Rotating' }));
      const res = track(
        await f.orgA.admin.patch(path(f.orgA.id, c.id), {
          idp_metadata_url: `${metadataServer.url}/metadata.xml`,
          allow_idp_initiated: true,
        }),
      );
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'patch', ONE);
      const body = res.body as ConnectionBody;
      assert.equal(body.idp_entity_id, 'https://idp.from-url.example.com');
      assert.equal(body.allow_idp_initiated, true);
      const manual = track(
        await f.orgA.admin.patch(path(f.orgA.id, c.id), {
          idp_sso_url: 'https://idp.moved.example.com/sso',
          identity_attribute: 'uid',
        }),
      );
      assert.equal(manual.status, 200, manual.text);
      const m = manual.body as ConnectionBody;
      assert.equal(m.idp_sso_url, 'https://idp.moved.example.com/sso');
      assert.equal(m.idp_entity_id, 'https://idp.from-url.example.com');
      assert.equal(m.idp_metadata_url, null);
      assert.equal(m.identity_attribute, 'uid');
      const forLogin = await service.getConnectionForLogin(c.id);
      assert.equal(forLogin?.type, 'saml');
      assert.equal(forLogin?.clientSecret, null);
      if (forLogin?.type === 'saml') assert.equal(forLogin.settings.identityAttribute, 'uid');
    });

    it('when an unused connection is deleted, then 204, it is gone, and the deletion is audited', async () => {
      const c = await create(f.orgA.admin, f.orgA.id, oidcBody({ name: 'Doomed' }));
      const res = track(await f.orgA.admin.delete(path(f.orgA.id, c.id)));
      assert.equal(res.status, 204);
      assertMatchesSpec(res, 'delete', ONE);
      assert.equal((await f.orgA.admin.get(path(f.orgA.id, c.id))).status, 404);
      assert.equal(await service.getConnectionForLogin(c.id), null);
      const events = await auditOf(c.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['admin.connection.created', 'admin.connection.deleted'],
      );
      const deleted = events[1]!.data as { before: Record<string, unknown>; after: null };
      assert.equal(deleted.before.client_secret, '[secret]');
      assert.equal(deleted.after, null);
    });

    it('when a user identity refers to a connection, then delete is 409 connection_in_use and it stays', async () => {
      const c = await create(f.orgA.admin, f.orgA.id, oidcBody({ name: 'In use' }));
      const userId = uuidv7();
      const now = new Date();
      await f.t.app.db.query(
        `INSERT INTO users (id, org_id, email, status, created_at, updated_at)
         VALUES ($1, $2, 'ada@a.example.com', 'active', $3, $3)`,
        [userId, f.orgA.id, now],
      );
      await f.t.app.db.query(
        `INSERT INTO user_identities (id, user_id, connection_id, subject, created_at)
         VALUES ($1, $2, $3, 'upstream-sub-1', $4)`,
        [uuidv7(), userId, c.id, now],
      );
      const res = track(await f.orgA.admin.delete(path(f.orgA.id, c.id)));
      assert.equal(res.status, 409);
      assert.equal(codeOf(res), 'connection_in_use');
      assertMatchesSpec(res, 'delete', ONE);
      assert.equal((await f.orgA.admin.get(path(f.orgA.id, c.id))).status, 200);
      const disable = track(
        await f.orgA.admin.patch(path(f.orgA.id, c.id), { status: 'disabled' }),
      );
      assert.equal(disable.status, 200);
      assert.ok(!(await auditOf(c.id)).some((e) => e.type === 'admin.connection.deleted'));
    });

    it('when If-Match names an old version, then 412 and the newer write stands', async () => {
      const c = await create(f.orgA.admin, f.orgA.id, oidcBody({ name: 'Contended' }));
      const url = path(f.orgA.id, c.id);
      const first = track(await f.orgA.admin.patch(url, { name: 'first writer' }, '"1"'));
      assert.equal(first.status, 200);
      for (const body of [
        { name: 'second writer' },
        { status: 'active' },
        { client_secret: 'x' },
      ]) {
        const stale = track(await f.orgA.admin.patch(url, body, '"1"'));
        assert.equal(stale.status, 412, JSON.stringify(body));
        assert.equal(codeOf(stale), 'precondition_failed');
        assertMatchesSpec(stale, 'patch', ONE);
      }
      const saml = await create(f.orgA.admin, f.orgA.id, samlBody({ name: 'Contended SAML' }));
      await f.orgA.admin.patch(path(f.orgA.id, saml.id), { name: 'moved on' });
      const before = metadataServer.connections;
      const staleSaml = await f.orgA.admin.patch(
        path(f.orgA.id, saml.id),
        { idp_metadata_url: `${metadataServer.url}/metadata.xml` },
        '"1"',
      );
      assert.equal(staleSaml.status, 412);
      assert.equal(metadataServer.connections, before, 'a stale write fetches nothing');
      const now = await f.orgA.admin.get(url);
      assert.equal((now.body as ConnectionBody).name, 'first writer');
      assert.equal((now.body as ConnectionBody).status, 'draft');
      assert.equal((await service.getConnectionForLogin(c.id))?.clientSecret !== 'x', true);
    });
  });

  describe('validation and mass assignment', () => {
    it('when OIDC fields are missing or malformed, then 400 validation_failed naming each', async () => {
      const res = track(
        await f.orgA.admin.post(path(f.orgA.id), {
          type: 'oidc',
          issuer: 'http://idp.example.com',
          scopes: ['email', 'bad scope'],
          token_endpoint_auth_method: 'private_key_jwt',
          role_mapping: { admins: 'Not A Role!' },
        }),
      );
      assert.equal(res.status, 400);
      assertMatchesSpec(res, 'post', LIST);
      assert.equal(codeOf(res), 'validation_failed');
      assert.deepEqual(
        [...new Set(fieldsOf(res))],
        [
          'client_id',
          'client_secret',
          'issuer',
          'name',
          'role_mapping.admins',
          'scopes',
          'scopes.1',
          'token_endpoint_auth_method',
        ],
      );
      for (const issuer of [
        'ftp://idp.example.com',
        'https://idp.example.com/?tenant=1',
        'https://169.254.169.254/',
        'https://10.0.0.1/',
        'not a url',
      ]) {
        const bad = track(await f.orgA.admin.post(path(f.orgA.id), oidcBody({ issuer })));
        assert.equal(bad.status, 400, issuer);
        assert.deepEqual(fieldsOf(bad), ['issuer'], issuer);
      }
      const noType = track(await f.orgA.admin.post(path(f.orgA.id), { name: 'x' }));
      assert.equal(noType.status, 400);
      assert.deepEqual(fieldsOf(noType), ['type']);
      const ldap = track(await f.orgA.admin.post(path(f.orgA.id), { type: 'ldap', name: 'x' }));
      assert.deepEqual(fieldsOf(ldap), ['type']);
    });

    it('when SAML input is incomplete, ambiguous or asks for transient NameIDs, then 400 naming the field', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ type: 'saml', name: 'none' }, ['(root)']],
        [samlBody({ idp_metadata_url: `${metadataServer.url}/metadata.xml` }), ['(root)']],
        [samlBody({ idp_entity_id: 'urn:x' }), ['(root)']],
        [
          { type: 'saml', name: 'partial', idp_entity_id: 'urn:x' },
          ['idp_certificates', 'idp_sso_url'],
        ],
        [
          samlBody({ name_id_format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }),
          ['name_id_format'],
        ],
        [samlBody({ name_id_format: 'urn:example:whatever' }), ['name_id_format']],
        [
          {
            type: 'saml',
            name: 'plain http',
            idp_entity_id: 'urn:x',
            idp_sso_url: 'http://idp.example.com/sso',
            idp_certificates: [VALID_PEM],
          },
          ['idp_sso_url'],
        ],
        [samlBody({ client_secret: 'nope' }), ['client_secret']],
      ];
      for (const [body, fields] of cases) {
        const res = track(await f.orgA.admin.post(path(f.orgA.id), body));
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 200));
        assert.equal(codeOf(res), 'validation_failed');
        assertMatchesSpec(res, 'post', LIST);
        assert.deepEqual(fieldsOf(res), fields, JSON.stringify(body).slice(0, 200));
      }
    });

    it('when metadata XML has a DOCTYPE or an entity declaration, then 400 xml_doctype_forbidden', async () => {
      const xml = metadataXml();
      const hostile = [
        `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${xml.replace(/^<\?xml[^>]*\?>/, '')}`,
        xml.replace('<md:EntityDescriptor', '<!doctype md:EntityDescriptor>\n<md:EntityDescriptor'),
        xml.replace('<md:EntityDescriptor', '<!ENTITY lol "lol">\n<md:EntityDescriptor'),
        xml.replace('<md:EntityDescriptor', '<!  DOCTYPE x>\n<md:EntityDescriptor'),
      ];
      for (const idp_metadata_xml of hostile) {
        const res = track(await f.orgA.admin.post(path(f.orgA.id), samlBody({ idp_metadata_xml })));
        assert.equal(res.status, 400);
        assert.equal(codeOf(res), 'xml_doctype_forbidden');
        assert.deepEqual(fieldsOf(res), ['idp_metadata_xml']);
        assertMatchesSpec(res, 'post', LIST);
      }
      const fetched = track(
        await f.orgA.admin.post(path(f.orgA.id), {
          type: 'saml',
          name: 'doctype by URL',
          idp_metadata_url: `${metadataServer.url}/doctype.xml`,
        }),
      );
      assert.equal(fetched.status, 400);
      assert.equal(codeOf(fetched), 'xml_doctype_forbidden');
      assert.deepEqual(fieldsOf(fetched), ['idp_metadata_url']);
    });

    it('when metadata XML is malformed or lacks what an SP needs, then 400 on idp_metadata_xml', async () => {
      const xml = metadataXml();
      for (const idp_metadata_xml of [
        'not xml at all',
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">',
        xml.replace('</md:IDPSSODescriptor>', ''),
        '<x/>',
        xml.replace(/entityID="[^"]*"/, ''),
        metadataXml({ ssoBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:SOAP' }),
        xml.replace(/<md:KeyDescriptor use="signing">[\s\S]*?<\/md:KeyDescriptor>/, ''),
        xml.replace(/entityID=/, 'entityID="a" entityID='),
      ]) {
        const res = track(await f.orgA.admin.post(path(f.orgA.id), samlBody({ idp_metadata_xml })));
        assert.equal(res.status, 400, idp_metadata_xml.slice(0, 80));
        assert.equal(codeOf(res), 'validation_failed');
        assert.deepEqual(fieldsOf(res), ['idp_metadata_xml'], idp_metadata_xml.slice(0, 80));
      }
    });

    it('when metadata XML is larger than the general body limit but within 256 KB, then it is accepted; beyond 256 KB it is 400 on the field; a body beyond the limit of the route is 413', async () => {
      const padded = (kb: number) =>
        metadataXml().replace(
          '</md:EntityDescriptor>',
          `<!-- ${'p'.repeat(kb * 1024)} --></md:EntityDescriptor>`,
        );
      // server.bodyLimitBytes is 100 KB; ADFS-style metadata of 200 KB still goes in.
      const large = track(
        await f.orgA.admin.post(path(f.orgA.id), samlBody({ idp_metadata_xml: padded(200) })),
      );
      assert.equal(large.status, 201);
      const huge = track(
        await f.orgA.admin.post(path(f.orgA.id), samlBody({ idp_metadata_xml: padded(300) })),
      );
      assert.equal(huge.status, 400);
      assert.equal(codeOf(huge), 'validation_failed');
      assert.deepEqual(fieldsOf(huge), ['idp_metadata_xml']);
      assertMatchesSpec(huge, 'post', LIST);
      const tooLarge = track(
        await f.orgA.admin.post(path(f.orgA.id), samlBody({ idp_metadata_xml: padded(600) })),
      );
      assert.equal(tooLarge.status, 413);
      assertMatchesSpec(tooLarge, 'post', LIST);
      // Any other admin route keeps the general limit.
      const otherRoute = track(
        await f.orgA.admin.patch(`/api/v1/orgs/${f.orgA.id}`, { name: 'x'.repeat(200 * 1024) }),
      );
      assert.equal(otherRoute.status, 413);
    });

    it('when a certificate is expired or not a certificate, then 400 naming where it was', async () => {
      for (const [certificates, field] of [
        [[EXPIRED_PEM], 'idp_certificates.0'],
        [[VALID_PEM, 'garbage'], 'idp_certificates.1'],
        [[VALID_PEM.replace(/[A-Za-z]{20}/, 'A'.repeat(20))], 'idp_certificates.0'],
      ] as const) {
        const res = track(
          await f.orgA.admin.post(path(f.orgA.id), {
            type: 'saml',
            name: 'certs',
            idp_entity_id: 'urn:x',
            idp_sso_url: 'https://idp.example.com/sso',
            idp_certificates: certificates,
          }),
        );
        assert.equal(res.status, 400, field);
        assert.equal(codeOf(res), 'validation_failed');
        assert.deepEqual(fieldsOf(res), [field]);
      }
      const inMetadata = track(
        await f.orgA.admin.post(
          path(f.orgA.id),
          samlBody({ idp_metadata_xml: metadataXml({ certificates: [VALID_PEM, EXPIRED_PEM] }) }),
        ),
      );
      assert.equal(inMetadata.status, 400);
      assert.deepEqual(fieldsOf(inMetadata), ['idp_metadata_xml']);
      assert.match((inMetadata.body as Problem).errors![0]!.message, /certificate 2/);
    });

    it('when a metadata URL cannot be fetched, then 422 metadata_fetch_failed; a forbidden one is 400', async () => {
      for (const file of ['missing.xml', 'huge.xml']) {
        const res = track(
          await f.orgA.admin.post(path(f.orgA.id), {
            type: 'saml',
            name: 'unfetchable',
            idp_metadata_url: `${metadataServer.url}/${file}`,
          }),
        );
        assert.equal(res.status, 422, file);
        assert.equal(codeOf(res), 'metadata_fetch_failed');
        assertMatchesSpec(res, 'post', LIST);
      }
      for (const url of [
        'http://idp.example.com/metadata',
        'https://169.254.169.254/latest/meta-data',
        'https://[fd00::1]/metadata',
        'file:///etc/passwd',
      ]) {
        const { result: res, dialled } = await withoutDialling(() =>
          f.orgA.admin.post(path(f.orgA.id), {
            type: 'saml',
            name: 'forbidden',
            idp_metadata_url: url,
          }),
        );
        assert.deepEqual(dialled, [], url);
        assert.equal(res?.status, 400, url);
        assert.deepEqual(fieldsOf(res), ['idp_metadata_url'], url);
      }
    });

    it('when a metadata host resolves to a private address, or loopback http is not allowed, then nothing is dialled', async () => {
      const principal: AdminPrincipal = { scope: 'org:admin', keyId: 'test', orgId: f.orgA.id };
      const context = { requestId: null, ip: null, userAgent: null };
      const rebinding = serviceWith(
        {},
        { lookup: () => Promise.resolve([{ address: '10.20.30.40', family: 4 }]) },
      );
      const { error, dialled } = await withoutDialling(() =>
        rebinding.create(
          f.orgA.id,
          { type: 'saml', name: 'x', idp_metadata_url: 'https://idp.internal.example.com/md' },
          principal,
          context,
        ),
      );
      assert.deepEqual(dialled, []);
      assert.equal((error as { code: string }).code, 'outbound_forbidden_target');
      assert.deepEqual(
        (error as { fields: Array<{ field: string }> }).fields.map((x) => x.field),
        ['idp_metadata_url'],
      );

      const strict = serviceWith({ allowHttpLoopback: false });
      const before = metadataServer.connections;
      await assert.rejects(
        strict.create(
          f.orgA.id,
          { type: 'saml', name: 'x', idp_metadata_url: `${metadataServer.url}/metadata.xml` },
          principal,
          context,
        ),
        (e: unknown) => (e as { code: string }).code === 'validation_failed',
      );
      await assert.rejects(
        strict.create(f.orgA.id, oidcBody({ issuer: 'http://localhost:8080' }), principal, context),
        (e: unknown) => (e as { code: string }).code === 'validation_failed',
      );
      assert.equal(metadataServer.connections, before);
    });

    it('when a body smuggles id, org_id, status or secrets, then 400 unknown field and nothing changes', async () => {
      for (const smuggled of [
        { id: UNKNOWN_ID },
        { org_id: f.orgB.id },
        { status: 'active' },
        { client_secret_set: false },
        { secret_ciphertext: 'v1.x.y.z' },
        { created_at: '2020-01-01T00:00:00Z' },
      ]) {
        const res = track(await f.orgA.admin.post(path(f.orgA.id), oidcBody(smuggled)));
        assert.equal(res.status, 400, JSON.stringify(smuggled));
        assert.deepEqual((res.body as Problem).errors, [
          { field: Object.keys(smuggled)[0]!, message: 'unknown field' },
        ]);
      }
      const c = await create(f.orgA.admin, f.orgA.id, oidcBody({ name: 'Target' }));
      const url = path(f.orgA.id, c.id);
      const before = await f.orgA.admin.get(url);
      for (const smuggled of [
        { id: UNKNOWN_ID },
        { org_id: f.orgB.id },
        { version: 9 },
        { role: 'admin' },
        { scope: 'platform:admin' },
        { idp_metadata_xml: metadataXml() },
      ]) {
        const res = track(await f.orgA.admin.patch(url, { name: 'x', ...smuggled }));
        assert.equal(res.status, 400, JSON.stringify(smuggled));
        assertMatchesSpec(res, 'patch', ONE);
        assert.deepEqual((res.body as Problem).errors, [
          { field: Object.keys(smuggled)[0]!, message: 'unknown field' },
        ]);
      }
      const typeChange = track(await f.orgA.admin.patch(url, { type: 'saml', name: 'x' }));
      assert.equal(typeChange.status, 400);
      assert.deepEqual(fieldsOf(typeChange), ['type']);
      const after = await f.orgA.admin.get(url);
      assert.deepEqual(after.body, before.body);
      assert.equal(after.headers.etag, before.headers.etag);
    });
  });

  describe('tenant isolation', () => {
    it("when an org admin uses another org's ids with any verb, then 404 exactly like an unknown id", async () => {
      const theirs = await create(f.orgB.admin, f.orgB.id, oidcBody({ name: 'B private' }));
      const targets = [
        [f.orgB.id, theirs.id], // another org's connection in its own org
        [f.orgA.id, theirs.id], // another org's connection under my org
        [f.orgA.id, UNKNOWN_ID],
        [UNKNOWN_ID, UNKNOWN_ID],
        [f.orgA.id, 'not-a-uuid'],
      ] as const;
      for (const [orgId, id] of targets) {
        const url = path(orgId, id);
        for (const [verb, res] of [
          ['GET', await f.orgA.admin.get(url)],
          ['PATCH', await f.orgA.admin.patch(url, { name: 'pwned' })],
          ['PATCH status', await f.orgA.admin.patch(url, { status: 'disabled' })],
          ['DELETE', await f.orgA.admin.delete(url)],
        ] as const) {
          track(res);
          assert.equal(res.status, 404, `${verb} ${url}`);
          assert.equal(codeOf(res), 'not_found');
          assert.ok(!res.text.includes(theirs.id));
          assert.ok(!res.text.includes('B private'));
          if (!id.startsWith('not')) assertMatchesSpec(res, verb.split(' ')[0]!, ONE);
        }
      }
      for (const orgId of [f.orgB.id, UNKNOWN_ID]) {
        const list = track(await f.orgA.admin.get(path(orgId)));
        assert.equal(list.status, 404);
        assert.equal(codeOf(list), 'not_found');
        assertMatchesSpec(list, 'get', LIST);
        const post = track(await f.orgA.admin.post(path(orgId), oidcBody()));
        assert.equal(post.status, 404);
        assert.equal(codeOf(post), 'not_found');
        assertMatchesSpec(post, 'post', LIST);
      }
      const unknownOrg = await f.platform.get(path(UNKNOWN_ID));
      assert.equal(unknownOrg.status, 404);
      const still = await f.orgB.admin.get(path(f.orgB.id, theirs.id));
      assert.equal((still.body as ConnectionBody).name, 'B private');
      assert.equal((still.body as ConnectionBody).status, 'draft');
      const mine = await f.orgA.admin.get(`${path(f.orgA.id)}?limit=200`);
      assert.ok(!(mine.body as { items: ConnectionBody[] }).items.some((c) => c.id === theirs.id));
    });

    it('when a platform admin manages any org, then it may', async () => {
      const c = await create(f.platform, f.orgB.id, samlBody({ name: 'By platform' }));
      const res = track(await f.platform.patch(path(f.orgB.id, c.id), { status: 'active' }));
      assert.equal(res.status, 200);
      const forB = await f.orgB.admin.get(path(f.orgB.id, c.id));
      assert.equal((forB.body as ConnectionBody).status, 'active');
    });
  });

  describe('secrets', () => {
    it('when everything above has run, then no response and no log line holds a client secret or its ciphertext', async () => {
      const { rows } = await f.t.app.db.query<{ id: string; secret_ciphertext: string | null }>(
        'SELECT id, secret_ciphertext FROM connections WHERE secret_ciphertext IS NOT NULL',
      );
      assert.ok(rows.length > 5);
      const plaintexts: string[] = [];
      for (const row of rows) {
        try {
          plaintexts.push(secretBox.open(row.secret_ciphertext!, row.id));
        } catch {
          // The row whose ciphertext a test copied from another connection.
        }
      }
      assert.ok(plaintexts.length >= rows.length - 1);
      const responses = seen.join('\n');
      const logs = f.t.logs.text;
      assert.ok(logs.length > 0);
      for (const secret of [...plaintexts, ...rows.map((r) => r.secret_ciphertext!)]) {
        assert.ok(!responses.includes(secret), 'a response holds a secret or its ciphertext');
        assert.ok(!logs.includes(secret), 'a log line holds a secret or its ciphertext');
      }
      const auditText = JSON.stringify(
        (await f.t.app.db.query('SELECT data FROM audit_events')).rows,
      );
      for (const secret of [...plaintexts, ...rows.map((r) => r.secret_ciphertext!)]) {
        assert.ok(!auditText.includes(secret), 'an audit event holds a secret');
      }
    });
  });
});
