import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startDemoOidcIdp, type DemoOidcIdp } from '../../src/demo/oidc-idp.js';
import { startDemoSamlIdp, type DemoSamlIdp } from '../../src/demo/saml-idp.js';
import { withHere } from '../../src/http/i18n/page-text.js';
import { translatorFor } from '../../src/http/i18n/translator.js';
import {
  emptyForm,
  portalConnectionPage,
  portalSsoNewPage,
  type GuideValues,
} from '../../src/http/views/portal-sso-pages.js';
import type { MessageKey } from '../../src/http/i18n/translator.js';
import { escapeHtml } from '../../src/http/views/html.js';
import { SHIPPED_LOCALES } from '../../src/platform/locales.js';
import { IDP_GUIDES, guideOf, type IdpGuide } from '../../src/portal/index.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { freePort } from '../support/tcp-proxy.js';

type Browser = ReturnType<typeof request.agent>;

const csrfOf = (page: string) => /name="csrf" value="([0-9a-f]{64})"/.exec(page)![1]!;
const reservedOf = (page: string) => /name="connection_id" value="([0-9a-f-]{36})"/.exec(page)![1]!;
const SECRET = 'portal-test-client-secret';

/** The field's error: its element, tied to the input by aria-describedby, with aria-invalid. */
function assertFieldError(page: string, field: string, reason: RegExp) {
  const error = new RegExp(
    `<p id="${field}-error" class="notice error" role="alert">([^<]*)</p>`,
  ).exec(page);
  assert.ok(error, `no error for ${field} in the page`);
  assert.match(error[1]!, reason);
  const input = new RegExp(`<(input|textarea)[^>]*id="${field}"[^>]*>`).exec(page)![0];
  assert.match(input, new RegExp(`aria-describedby="[^"]*${field}-error`));
  assert.match(input, /aria-invalid="true"/);
}

/** The values an OIDC connection form shows (redirect URI, scopes, claim names). */
const OIDC_VALUES = {
  redirectUri: 'https://x/cb',
  scopes: ['openid'],
  claims: {
    subject: 'sub',
    email: 'email',
    emailVerified: 'email_verified',
    name: 'name',
    groups: 'groups',
  },
};
describe('setup portal: the SSO step', () => {
  let f: AdminFixture;
  let samlIdp: DemoSamlIdp;
  let oidcIdp: DemoOidcIdp;

  before(async () => {
    f = await startAdminFixture();
    samlIdp = await startDemoSamlIdp({ host: '127.0.0.1', port: 0, accounts: [] });
    oidcIdp = await startDemoOidcIdp({
      host: '127.0.0.1',
      port: await freePort(),
      clients: [
        {
          client_id: 'portal-client',
          client_secret: SECRET,
          redirect_uris: ['http://127.0.0.1:9/cb'],
        },
      ],
      accounts: [],
    });
  });
  after(async () => {
    await oidcIdp?.close();
    await samlIdp?.close();
    await f?.t.close();
  });

  /** A browser with a portal session of the org (org A unless given), with these intents. */
  const portal = async (intents: string[] = ['sso'], org = f.orgA): Promise<Browser> => {
    const link = await org.admin.post(`/api/v1/orgs/${org.id}/portal-links`, { intents });
    assert.equal(link.status, 201, link.text);
    const token = new URL((link.body as { url: string }).url).searchParams.get('token')!;
    const browser = request.agent(f.t.app.http);
    assert.equal((await browser.post('/portal/start').type('form').send({ token })).status, 303);
    return browser;
  };
  /** The guide's page: its CSRF token and the id reserved for the connection. */
  const newPage = async (browser: Browser, slug: string) => {
    const page = await browser.get(`/portal/sso/new/${slug}`);
    assert.equal(page.status, 200, page.text);
    return { text: page.text, csrf: csrfOf(page.text), id: reservedOf(page.text) };
  };
  const samlPost = (browser: Browser, slug: string, shown: { csrf: string; id: string }) =>
    browser
      .post(`/portal/sso/new/${slug}`)
      .field('csrf', shown.csrf)
      .field('connection_id', shown.id)
      .field('name', 'Our IdP');
  const connection = async (id: string) => {
    const res = await f.orgA.admin.get(`/api/v1/orgs/${f.orgA.id}/connections/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body as Record<string, unknown>;
  };

  it("when the link allows sso, then the home page links the step, and it lists the IdPs and the org's connections only", async () => {
    const other = await f.orgB.admin.post(`/api/v1/orgs/${f.orgB.id}/connections`, {
      type: 'saml',
      name: 'Org B secret IdP',
      idp_metadata_xml: samlIdp.metadataXml,
    });
    assert.equal(other.status, 201, other.text);
    const browser = await portal();
    assert.match((await browser.get('/portal')).text, /href="\/portal\/sso"/);
    const page = await browser.get('/portal/sso');
    assert.equal(page.status, 200);
    for (const guide of IDP_GUIDES)
      assert.ok(page.text.includes(`href="/portal/sso/new/${guide.slug}"`));
    for (const idp of [
      'Okta',
      'Microsoft Entra ID',
      'Google Workspace',
      'ADFS',
      'PingFederate',
      'OneLogin',
      'JumpCloud',
    ]) {
      assert.ok(page.text.includes(idp), idp);
    }
    assert.ok(!page.text.includes('Org B secret IdP'));
    // Another org's connection is not found, like an unknown one or a malformed id.
    const otherId = (other.body as { id: string }).id;
    for (const id of [otherId, '0190e2a4-0000-7000-8000-000000000000', 'nope']) {
      assert.equal((await browser.get(`/portal/sso/${id}`)).status, 404, id);
    }
    assert.equal((await browser.get('/portal/sso/new/not-an-idp')).status, 404);
  });

  it('when the link does not allow sso, then every SSO route is 404 and nothing is created', async () => {
    const browser = await portal(['domain_verification']);
    assert.doesNotMatch((await browser.get('/portal')).text, /href="\/portal\/sso"/);
    const existing = await f.orgA.admin.post(`/api/v1/orgs/${f.orgA.id}/connections`, {
      type: 'saml',
      name: 'Existing',
      idp_metadata_xml: samlIdp.metadataXml,
    });
    for (const path of [
      '/portal/sso',
      '/portal/sso/new/saml',
      `/portal/sso/${(existing.body as { id: string }).id}`,
    ]) {
      assert.equal((await browser.get(path)).status, 404, path);
    }
    const csrf = csrfOf((await browser.get('/portal/domains')).text);
    const post = await browser
      .post('/portal/sso/new/oidc')
      .type('form')
      .send({ csrf, connection_id: '0190e2a4-0000-7000-8000-000000000000', name: 'x' });
    assert.equal(post.status, 404);
  });

  it('when a guide is shown, then its values carry the reserved id, stay the same on reload, and the ACS, entity id and attribute names are exact', async () => {
    const browser = await portal();
    const okta = await newPage(browser, 'okta');
    assert.equal((await newPage(browser, 'okta')).id, okta.id);
    const issuer = f.t.config.server.issuer;
    assert.ok(
      okta.text.includes(
        `<code data-copy="ACS URL" data-copy-label="Copy the ACS URL">${issuer}/saml/${okta.id}/acs</code>`,
      ),
    );
    assert.ok(
      okta.text.includes(
        `<code data-copy="SP entity id" data-copy-label="Copy the SP entity id">${issuer}/saml/${okta.id}</code>`,
      ),
    );
    assert.ok(okta.text.includes(`${issuer}/saml/${okta.id}/metadata`));
    assert.ok(okta.text.includes('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'));
    for (const name of ['email', 'name', 'groups']) {
      assert.ok(
        okta.text.includes(
          `<code data-copy="${name} attribute name" data-copy-label="Copy the ${name} attribute name">${name}</code>`,
        ),
        name,
      );
    }
    assert.match(okta.text, /Single sign-on URL/);
    assert.match(okta.text, /enctype="multipart\/form-data"/);
    // The copy buttons' script may run on this page only as this origin's file.
    const shown = await browser.get('/portal/sso/new/entra-id');
    assert.match(String(shown.headers['content-security-policy']), /script-src 'self'/);
    assert.ok(
      shown.text.includes('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'),
    );
    const oidc = await newPage(browser, 'oidc');
    assert.notEqual(oidc.id, okta.id);
    assert.ok(
      oidc.text.includes(
        `<code data-copy="redirect URI" data-copy-label="Copy the redirect URI">${issuer}/login/oidc/callback/${oidc.id}</code>`,
      ),
    );
    assert.ok(
      oidc.text.includes(
        '<code data-copy="scopes" data-copy-label="Copy the scopes">openid email profile</code>',
      ),
    );
  });

  it("when SAML metadata is given by URL, then a draft is created with the reserved id, the guide's mapping, audited as the portal session", async () => {
    const browser = await portal();
    const shown = await newPage(browser, 'saml');
    const res = await samlPost(browser, 'saml', shown).field('idp_metadata_url', samlIdp.entityId);
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, `/portal/sso/${shown.id}?created=1`);
    const made = await connection(shown.id);
    assert.equal(made.status, 'draft');
    assert.equal(made.idp_entity_id, samlIdp.entityId);
    assert.equal(made.idp_metadata_url, samlIdp.entityId);
    assert.deepEqual(made.attribute_mapping, { email: 'email', name: 'name', groups: 'groups' });
    const audit = await f.t.app.db.query<{ actor_type: string }>(
      "SELECT actor_type FROM audit_events WHERE type = 'admin.connection.created' AND target_id = $1",
      [shown.id],
    );
    assert.deepEqual(audit.rows, [{ actor_type: 'portal_session' }]);
    const page = await browser.get(res.headers.location);
    assert.equal(page.status, 200);
    assert.match(page.text, /Draft connection created/);
    assert.ok(page.text.includes(`/saml/${shown.id}/acs`));
    assert.match(page.text, /action="\/portal\/sso\/[^"]+\/test" target="_blank"/);
    assert.match(page.text, /<button\s+type="submit"\s+aria-describedby="latest-test"\s+disabled/);
    // The next connection from the same guide gets a new id; the old form is out of date.
    const again = await newPage(browser, 'saml');
    assert.notEqual(again.id, shown.id);
    const stale = await samlPost(browser, 'saml', shown).field(
      'idp_metadata_url',
      samlIdp.entityId,
    );
    assert.equal(stale.status, 409);
    assert.match(stale.text, /This form is out of date/);
  });

  it('when SAML metadata is uploaded or pasted, then a draft is created from it', async () => {
    const browser = await portal();
    const upload = await newPage(browser, 'okta');
    const uploaded = await samlPost(browser, 'okta', upload).attach(
      'idp_metadata_file',
      Buffer.from(samlIdp.metadataXml),
      { filename: 'metadata.xml', contentType: 'application/xml' },
    );
    assert.equal(uploaded.status, 303, uploaded.text);
    assert.equal((await connection(upload.id)).idp_sso_url, samlIdp.ssoUrl);
    const paste = await newPage(browser, 'entra-id');
    const pasted = await samlPost(browser, 'entra-id', paste).field(
      'idp_metadata_xml',
      samlIdp.metadataXml,
    );
    assert.equal(pasted.status, 303, pasted.text);
    const made = await connection(paste.id);
    assert.equal(made.idp_metadata_url, null);
    assert.equal(
      (made.attribute_mapping as { groups: string }).groups,
      'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
    );
  });

  it('when SAML input is bad, then the page answers with the field and the reason, the typed values kept', async () => {
    const browser = await portal();
    const shown = await newPage(browser, 'saml');
    const post = () => samlPost(browser, 'saml', shown);
    const xml = (text: string) => Buffer.from(text);
    const tooBig = await post().attach(
      'idp_metadata_file',
      xml(`<x>${'a'.repeat(300 * 1024)}</x>`),
      {
        filename: 'big.xml',
        contentType: 'text/xml',
      },
    );
    assert.equal(tooBig.status, 400);
    assertFieldError(tooBig.text, 'idp_metadata_file', /larger than 256 KB/);
    assert.match(tooBig.text, /id="name"[^>]*value="Our IdP"/);
    const png = await post().attach('idp_metadata_file', xml('\x89PNG'), {
      filename: 'logo.png',
      contentType: 'image/png',
    });
    assert.equal(png.status, 400);
    assertFieldError(png.text, 'idp_metadata_file', /must be an XML file; this one is image\/png/);
    const notXml = await post().attach('idp_metadata_file', xml('hello'), {
      filename: 'm.xml',
      contentType: 'text/xml',
    });
    assertFieldError(notXml.text, 'idp_metadata_file', /not an XML document/);
    const malformedFile = await post().attach('idp_metadata_file', xml('<EntityDescriptor/>'), {
      filename: 'm.xml',
      contentType: 'text/xml',
    });
    assert.equal(malformedFile.status, 400);
    assertFieldError(malformedFile.text, 'idp_metadata_file', /^The metadata file /);
    const malformed = await post().field('idp_metadata_xml', '<md:EntityDescriptor broken');
    assert.equal(malformed.status, 400);
    assertFieldError(malformed.text, 'idp_metadata_xml', /^The metadata /);
    assert.ok(malformed.text.includes('&lt;md:EntityDescriptor broken</textarea>'));
    const unreachable = `http://127.0.0.1:${await freePort()}/metadata`;
    const fetchFailed = await post().field('idp_metadata_url', unreachable);
    assert.equal(fetchFailed.status, 422);
    assertFieldError(
      fetchFailed.text,
      'idp_metadata_url',
      /could not be fetched.*\(metadata_fetch_failed\)/,
    );
    assert.ok(fetchFailed.text.includes(`value="${unreachable}"`));
    const none = await post();
    assertFieldError(none.text, 'idp_metadata_url', /Give the IdP&#39;s metadata/);
    // A form post's answer cannot be shown again at its URL: the language switcher goes
    // back to the same IdP's form. In German, the refusal is German.
    assert.ok(none.text.includes('return_to=%2Fportal%2Fsso%2Fnew%2Fsaml"'));
    const german = await post().set('accept-language', 'de');
    assert.match(german.text, /<html lang="de" dir="ltr">/);
    assertFieldError(german.text, 'idp_metadata_url', /^Geben Sie die Metadaten des IdP an/);
    const two = await post()
      .field('idp_metadata_url', samlIdp.entityId)
      .field('idp_metadata_xml', samlIdp.metadataXml);
    assertFieldError(two.text, 'idp_metadata_url', /one way only/);
    // Larger than every part at its limit together: refused whole, before it is read.
    const huge = await post().attach('idp_metadata_file', xml('a'.repeat(700 * 1024)), {
      filename: 'huge.xml',
      contentType: 'text/xml',
    });
    assert.equal(huge.status, 413);
    const rows = await f.t.app.db.query('SELECT 1 FROM connections WHERE id = $1', [shown.id]);
    assert.equal(rows.rows.length, 0);
  });

  it('when OIDC values are sent, then discovery is checked live: a good issuer makes a draft, an unreachable or mismatched issuer and a wrong secret are refused on their field, the secret never echoed', async () => {
    const browser = await portal();
    const shown = await newPage(browser, 'oidc');
    const post = (values: Record<string, string>) =>
      browser
        .post('/portal/sso/new/oidc')
        .type('form')
        .send({
          csrf: shown.csrf,
          connection_id: shown.id,
          name: 'Dev OIDC',
          client_id: 'portal-client',
          client_secret: SECRET,
          ...values,
        });
    const unreachable = await post({ issuer: `http://127.0.0.1:${await freePort()}` });
    assert.equal(unreachable.status, 422);
    assertFieldError(unreachable.text, 'issuer', /The check failed: .*\(idp_unreachable\)/);
    assert.ok(!unreachable.text.includes(SECRET));
    assert.match(unreachable.text, /id="client_id"[^>]*value="portal-client"/);
    const mismatch = await post({ issuer: oidcIdp.issuer.replace('127.0.0.1', 'localhost') });
    assertFieldError(mismatch.text, 'issuer', /\(issuer_mismatch\)/);
    const wrongSecret = await post({ issuer: oidcIdp.issuer, client_secret: 'not-the-secret' });
    assertFieldError(wrongSecret.text, 'client_secret', /\(client_rejected\)/);
    assert.ok(!wrongSecret.text.includes('not-the-secret'));
    const notUrl = await post({ issuer: 'idp.example.com' });
    assert.equal(notUrl.status, 400);
    assertFieldError(notUrl.text, 'issuer', /^The issuer must be an https URL/);
    const good = await post({ issuer: oidcIdp.issuer });
    assert.equal(good.status, 303, good.text);
    const made = await connection(shown.id);
    assert.equal(made.issuer, oidcIdp.issuer);
    assert.equal(made.redirect_uri, `${f.t.config.server.issuer}/login/oidc/callback/${shown.id}`);
    assert.equal(made.client_secret_set, true);
  });

  it('when a guide is shown in each shipped language, then its sentences are in that language (no message key shows), around the IdP UI names as the IdP writes them', () => {
    for (const locale of SHIPPED_LOCALES) {
      const text = withHere(translatorFor(locale), '/portal/sso');
      for (const guide of IDP_GUIDES) {
        const values: GuideValues =
          guide.protocol === 'saml'
            ? {
                guide,
                values: {
                  acsUrl: 'https://x/acs',
                  entityId: 'https://x',
                  metadataUrl: 'https://x/metadata',
                  nameIdFormat: 'urn:email',
                  attributes: guide.attributes,
                },
              }
            : {
                guide,
                values: OIDC_VALUES,
              };
        const page = portalSsoNewPage(text, {
          values,
          reservedId: '0190e2a4-0000-7000-8000-000000000000',
          csrf: 'f'.repeat(64),
          state: emptyForm,
          maxMetadataKb: 256,
          look: null,
        });
        const what = `${locale} ${guide.slug}`;
        assert.ok(page.includes(`<html lang="${locale}" dir="${text.dir}">`), what);
        assert.doesNotMatch(page, /portal\.(guide|sso)\./, what);
        const first = text.t(guide.steps[0] as MessageKey);
        assert.ok(page.includes(escapeHtml(first)), `${what}: its first step`);
        if (locale !== 'en') {
          const english = translatorFor('en').t(guide.steps[0] as MessageKey);
          assert.notEqual(first, english, what);
          assert.ok(!page.includes(escapeHtml(english)), `${what}: no English step`);
        }
      }
    }
    // The UI names stay as the IdP shows them, inside the translated sentence.
    const okta = translatorFor('de').t('portal.guide.okta.step1');
    assert.match(okta, /^Öffnen Sie in der Okta Admin Console Applications → Applications/);
  });

  it('when a form has no CSRF token, then 403 and nothing is created', async () => {
    const browser = await portal();
    const shown = await newPage(browser, 'saml');
    const multipart = await browser
      .post('/portal/sso/new/saml')
      .field('connection_id', shown.id)
      .field('name', 'x')
      .field('idp_metadata_xml', samlIdp.metadataXml);
    assert.equal(multipart.status, 403);
    const form = await browser
      .post('/portal/sso/new/saml')
      .type('form')
      .send({ connection_id: shown.id, name: 'x', idp_metadata_xml: samlIdp.metadataXml });
    assert.equal(form.status, 403);
    const rows = await f.t.app.db.query('SELECT 1 FROM connections WHERE id = $1', [shown.id]);
    assert.equal(rows.rows.length, 0);
  });

  it('when the latest test passed, then Activate is enabled; failed, disabled with its reason; an active connection has no Activate', () => {
    const values = {
      guide: guideOf('oidc') as IdpGuide & { protocol: 'oidc' },
      values: OIDC_VALUES,
    };
    const connection = { id: 'c1', name: 'C', protocol: 'oidc' as const, status: 'draft' as const };
    const page = (
      latestTest: Parameters<typeof portalConnectionPage>[1]['latestTest'],
      status: 'draft' | 'active' = 'draft',
    ) =>
      portalConnectionPage(withHere(translatorFor('en'), '/portal/sso/c1'), {
        connection: { ...connection, status },
        values,
        latestTest,
        // The route decides from the connection's version; a passed test here is current.
        activatable: latestTest?.outcome === 'passed',
        csrf: 'f'.repeat(64),
        look: null,
      });
    const finishedAt = new Date(Date.UTC(2026, 5, 1, 9, 30));
    const passed = page({ id: 't1', outcome: 'passed', reason: null, finishedAt });
    assert.match(passed, /action="\/portal\/sso\/c1\/activate"/);
    assert.doesNotMatch(passed, /disabled/);
    assert.ok(passed.includes('href="/portal/tests/t1"'));
    assert.ok(passed.includes('<time datetime="2026-06-01T09:30:00.000Z">Jun 1, 2026, 09:30 UTC'));
    const failed = page({ id: 't2', outcome: 'failed', reason: 'email_missing', finishedAt });
    assert.match(failed, /aria-describedby="latest-test"\s+disabled/);
    assert.ok(failed.includes('<code>email_missing</code>'));
    assert.ok(page(null).includes('No test sign-in yet'));
    const active = page({ id: 't1', outcome: 'passed', reason: null, finishedAt }, 'active');
    assert.doesNotMatch(active, /\/activate"/);
    assert.match(active, /\/c1\/test" target="_blank"/);
  });
});
