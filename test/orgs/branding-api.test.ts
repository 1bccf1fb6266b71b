import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { jpegHeader, tinyPng } from '../support/images.js';
import { assertMatchesSpec } from '../support/openapi.js';

const BRANDING = '/api/v1/orgs/{orgId}/branding';
const LOGO = '/api/v1/orgs/{orgId}/branding/logo';

interface BrandingBody {
  display_name: string | null;
  primary_color: string | null;
  primary_foreground: string | null;
  logo: { url: string; content_type: string; bytes: number; width: number; sha256: string } | null;
}

describe('admin API: org branding', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
  });
  after(async () => {
    await f.t.close();
  });

  const brandingOf = (orgId: string) => `/api/v1/orgs/${orgId}/branding`;
  const putLogo = (
    orgId: string,
    key: string,
    contentType: string,
    body: Buffer,
    ifMatch?: string,
  ) => {
    const r = request(f.t.app.http)
      .put(`${brandingOf(orgId)}/logo`)
      .set('Authorization', `Bearer ${key}`)
      .set('Content-Type', contentType);
    if (ifMatch) r.set('If-Match', ifMatch);
    return r.send(body);
  };
  const fieldsOf = (res: { body: unknown }) =>
    ((res.body as { errors?: Array<{ field: string }> }).errors ?? []).map((e) => e.field);

  it('when an org has no branding, then it reads as version 0 with every field null', async () => {
    const res = await f.orgB.admin.get(brandingOf(f.orgB.id));
    assert.equal(res.status, 200);
    assertMatchesSpec(res, 'get', BRANDING);
    assert.equal(res.headers.etag, '"0"');
    assert.deepEqual(res.body, {
      display_name: null,
      primary_color: null,
      primary_foreground: null,
      logo: null,
      updated_at: null,
    });
  });

  it('when an org admin sets a display name and colour, then they are saved with a readable foreground, and audited', async () => {
    const res = await f.orgA.admin.patch(
      brandingOf(f.orgA.id),
      { display_name: '  Acme Retail  ', primary_color: '#0B5FFF' },
      '"0"',
    );
    assert.equal(res.status, 200, res.text);
    assertMatchesSpec(res, 'patch', BRANDING);
    assert.equal(res.headers.etag, '"1"');
    const body = res.body as BrandingBody;
    assert.equal(body.display_name, 'Acme Retail');
    assert.equal(body.primary_color, '#0b5fff', 'lower-cased');
    assert.equal(body.primary_foreground, '#ffffff');
    const light = await f.orgA.admin.patch(brandingOf(f.orgA.id), { primary_color: '#ffd500' });
    assert.equal((light.body as BrandingBody).primary_foreground, '#111111', 'dark text on yellow');
    assert.equal((light.body as BrandingBody).display_name, 'Acme Retail', 'left as it was');

    const { rows } = await f.t.app.db.query<{
      actor_type: string;
      target_type: string;
      target_id: string;
      data: { before: unknown; after: unknown };
    }>(
      `SELECT * FROM audit_events WHERE org_id = $1 AND type = 'admin.org.branding_updated' ORDER BY id`,
      [f.orgA.id],
    );
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.actor_type, 'api_key');
    assert.equal(rows[0]!.target_type, 'org_branding');
    assert.equal(rows[0]!.target_id, f.orgA.id);
    assert.deepEqual(rows[1]!.data, {
      before: { primary_color: '#0b5fff' },
      after: { primary_color: '#ffd500' },
    });
  });

  it('when If-Match names an older version, then 412 and nothing changes', async () => {
    const res = await f.orgA.admin.patch(brandingOf(f.orgA.id), { display_name: 'Late' }, '"1"');
    assert.equal(res.status, 412);
    assertMatchesSpec(res, 'patch', BRANDING);
    const now = await f.orgA.admin.get(brandingOf(f.orgA.id));
    assert.equal((now.body as BrandingBody).display_name, 'Acme Retail');
  });

  it('when the colour is not #rrggbb, or no text reads on it, then 400 naming primary_color', async () => {
    for (const primary_color of [
      'red',
      '#fff',
      '#12345g',
      '#123456; background:url(x)',
      'rgb(0,0,0)',
      '#777777',
    ]) {
      const res = await f.orgA.admin.patch(brandingOf(f.orgA.id), { primary_color });
      assert.equal(res.status, 400, primary_color);
      assertMatchesSpec(res, 'patch', BRANDING);
      assert.equal((res.body as { code: string }).code, 'validation_failed');
      assert.deepEqual(fieldsOf(res), ['primary_color'], primary_color);
    }
  });

  it('when the display name is too long, not one line of text, or a field is unknown, then 400 with the field', async () => {
    const long = await f.orgA.admin.patch(brandingOf(f.orgA.id), { display_name: 'x'.repeat(81) });
    assert.equal(long.status, 400);
    assert.deepEqual(fieldsOf(long), ['display_name']);
    const twoLines = await f.orgA.admin.patch(brandingOf(f.orgA.id), { display_name: 'A\nB' });
    assert.deepEqual(fieldsOf(twoLines), ['display_name']);
    const unknown = await f.orgA.admin.patch(brandingOf(f.orgA.id), { css: 'body{}' });
    assert.deepEqual(fieldsOf(unknown), ['css']);
  });

  it("when an org key reaches for another org's branding, then 404 as for an org that does not exist", async () => {
    const other = brandingOf(f.orgB.id);
    const missing = brandingOf('01900000-0000-7000-8000-000000000000');
    for (const path of [other, missing]) {
      const read = await f.orgA.admin.get(path);
      assert.equal(read.status, 404, path);
      assertMatchesSpec(read, 'get', BRANDING);
      assert.equal((await f.orgA.admin.patch(path, { display_name: 'Mine' })).status, 404);
      assert.equal(
        (await putLogo(path.split('/')[4]!, f.orgA.keySecret, 'image/png', tinyPng())).status,
        404,
      );
      assert.equal((await f.orgA.admin.delete(`${path}/logo`)).status, 404);
    }
    const untouched = await f.orgB.admin.get(other);
    assert.equal(untouched.headers.etag, '"0"');
  });

  describe('logo upload', () => {
    it('when a real PNG is uploaded, then it is kept with its type, size and digest, and served from its URL', async () => {
      const png = tinyPng(3, 2);
      const current = await f.orgA.admin.get(brandingOf(f.orgA.id));
      const res = await putLogo(
        f.orgA.id,
        f.orgA.keySecret,
        'image/png',
        png,
        current.headers.etag,
      );
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'put', LOGO);
      const logo = (res.body as BrandingBody).logo!;
      assert.equal(logo.content_type, 'image/png');
      assert.equal(logo.bytes, png.length);
      assert.equal(logo.width, 3);
      assert.equal(logo.url, `/branding/${f.orgA.id}/logo/${logo.sha256}`);

      const served = await request(f.t.app.http).get(logo.url).buffer(true);
      assert.equal(served.status, 200);
      assert.equal(served.headers['content-type'], 'image/png');
      assert.equal(served.headers['x-content-type-options'], 'nosniff');
      assert.match(served.headers['content-security-policy'] ?? '', /^default-src 'none'/);
      assert.match(served.headers['content-disposition'] ?? '', /^inline/);
      assert.match(served.headers['cache-control'] ?? '', /immutable/);
      assert.equal(served.headers['set-cookie'], undefined);
      assert.deepEqual(Buffer.from(served.body as Buffer), png);
    });

    it('when a logo upload names an older version in If-Match, then 412 and the logo stays', async () => {
      const before = await f.orgA.admin.get(brandingOf(f.orgA.id));
      const res = await putLogo(f.orgA.id, f.orgA.keySecret, 'image/png', tinyPng(5, 5), '"1"');
      assert.equal(res.status, 412);
      assertMatchesSpec(res, 'put', LOGO);
      const after = await f.orgA.admin.get(brandingOf(f.orgA.id));
      assert.deepEqual(after.body, before.body);
      assert.equal(after.headers.etag, before.headers.etag);
    });

    it('when the logo URL names another digest or org, or nothing, then 404', async () => {
      const logo = ((await f.orgA.admin.get(brandingOf(f.orgA.id))).body as BrandingBody).logo!;
      for (const url of [
        `/branding/${f.orgB.id}/logo/${logo.sha256}`,
        `/branding/${f.orgA.id}/logo/${'0'.repeat(64)}`,
        `/branding/${f.orgA.id}/logo/${logo.sha256.toUpperCase()}`,
        `/branding/not-an-org/logo/${logo.sha256}`,
      ]) {
        const res = await request(f.t.app.http).get(url);
        assert.equal(res.status, 404, url);
        assert.notEqual(res.headers['content-type'], 'image/png');
      }
    });

    it('when the Content-Type is SVG (or anything but PNG, JPEG, WebP), then 415', async () => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      );
      for (const type of ['image/svg+xml', 'text/html', 'application/json', 'image/gif']) {
        const res = await putLogo(f.orgA.id, f.orgA.keySecret, type, svg);
        assert.equal(res.status, 415, type);
        assertMatchesSpec(res, 'put', LOGO);
        assert.equal((res.body as { code: string }).code, 'unsupported_media_type');
      }
    });

    it('when the bytes are not what the Content-Type says, then 400 logo_type_mismatch', async () => {
      for (const [type, body] of [
        ['image/png', jpegHeader()],
        ['image/png', Buffer.from('<!doctype html><script>alert(1)</script>')],
        ['image/jpeg', tinyPng()],
        ['image/webp', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
      ] as const) {
        const res = await putLogo(f.orgA.id, f.orgA.keySecret, type, body);
        assert.equal(res.status, 400, type);
        assertMatchesSpec(res, 'put', LOGO);
        assert.equal((res.body as { code: string }).code, 'logo_type_mismatch');
        assert.deepEqual(fieldsOf(res), ['body']);
      }
      const jpeg = await putLogo(f.orgA.id, f.orgA.keySecret, 'image/jpeg', jpegHeader());
      assert.equal(jpeg.status, 200, 'a JPEG called a JPEG is taken');
      assert.equal((jpeg.body as BrandingBody).logo!.width, 16);
    });

    it('when the logo is larger than branding.maxLogoBytes, then 413', async () => {
      const big = Buffer.concat([tinyPng(), Buffer.alloc(f.t.config.branding.maxLogoBytes)]);
      const res = await putLogo(f.orgA.id, f.orgA.keySecret, 'image/png', big);
      assert.equal(res.status, 413);
      assertMatchesSpec(res, 'put', LOGO);
      assert.equal((res.body as { code: string }).code, 'payload_too_large');
    });

    it('when the logo is removed, then its URL is gone and the branding has none', async () => {
      const before = ((await f.orgA.admin.get(brandingOf(f.orgA.id))).body as BrandingBody).logo!;
      const res = await f.orgA.admin.delete(`${brandingOf(f.orgA.id)}/logo`);
      assert.equal(res.status, 204);
      assertMatchesSpec(res, 'delete', LOGO);
      assert.equal(
        ((await f.orgA.admin.get(brandingOf(f.orgA.id))).body as BrandingBody).logo,
        null,
      );
      assert.equal((await request(f.t.app.http).get(before.url)).status, 404);
    });
  });

  describe('the colour stylesheet', () => {
    it('when a page links an org colour, then it sets only the custom properties, as text/css', async () => {
      const res = await request(f.t.app.http).get('/branding/theme/ffd500');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'] ?? '', /^text\/css/);
      assert.equal(
        res.text.trim(),
        ':root { --accent: #ffd500; --accent-ink: #111111; --accent-text: #111111; }',
      );
      for (const bad of ['777777', 'FFD500', 'ffd5', 'red', 'ffd500;x']) {
        assert.equal((await request(f.t.app.http).get(`/branding/theme/${bad}`)).status, 404, bad);
      }
    });
  });
});
