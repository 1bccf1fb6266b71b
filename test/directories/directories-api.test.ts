import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDirectoryService } from '../../src/directories/index.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const TOKEN_SHAPE = /^scim_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;
/** The token with its last character changed (always changed: not a 1-in-64 no-op). */
const tampered = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

describe('admin API: SCIM directories and their tokens', () => {
  let f: AdminFixture;
  before(async () => {
    f = await startAdminFixture();
  });
  after(async () => {
    await f.t.close();
  });

  const base = (orgId: string) => `/api/v1/orgs/${orgId}/scim-directories`;
  const createDirectory = async (name = 'Entra ID') => {
    const res = await f.orgA.admin.post(base(f.orgA.id), { name });
    assert.equal(res.status, 201, res.text);
    return res.body as { id: string; status: string; scim_base_path: string };
  };

  it('when a directory is created, then it can be read and listed, and the admin is the audited actor', async () => {
    const res = await f.orgA.admin.post(base(f.orgA.id), { name: 'Okta' });
    assert.equal(res.status, 201);
    assertMatchesSpec(res, 'post', '/api/v1/orgs/{orgId}/scim-directories');
    const created = res.body as { id: string; status: string; scim_base_path: string };
    assert.equal(created.status, 'active');
    assert.equal(created.scim_base_path, `/scim/v2/${created.id}`);
    assert.equal(res.headers.location, `${base(f.orgA.id)}/${created.id}`);

    const got = await f.orgA.admin.get(`${base(f.orgA.id)}/${created.id}`);
    assert.equal(got.status, 200);
    assertMatchesSpec(got, 'get', '/api/v1/orgs/{orgId}/scim-directories/{directoryId}');
    const list = await f.orgA.admin.get(base(f.orgA.id));
    assertMatchesSpec(list, 'get', '/api/v1/orgs/{orgId}/scim-directories');
    assert.ok(
      (list.body as { items: Array<{ id: string }> }).items.some((d) => d.id === created.id),
    );

    const { rows } = await f.t.app.db.query<{ actor_type: string; type: string }>(
      'SELECT actor_type, type FROM audit_events WHERE target_id = $1',
      [created.id],
    );
    assert.deepEqual(rows, [{ actor_type: 'api_key', type: 'admin.scim_directory.created' }]);
  });

  it('when a directory is created with a bad body, then the answer names the field', async () => {
    const res = await f.orgA.admin.post(base(f.orgA.id), { name: '', org_id: f.orgB.id });
    assert.equal(res.status, 400);
    const fields = (res.body as { errors: Array<{ field: string }> }).errors.map((x) => x.field);
    assert.deepEqual(fields.sort(), ['name', 'org_id']);
  });

  it("when another org's admin key reaches for a directory, then every call is a 404 and nothing changes", async () => {
    const directory = await createDirectory();
    const item = `${base(f.orgA.id)}/${directory.id}`;
    const b = f.orgB.admin;
    assert.equal((await b.get(item)).status, 404);
    assert.equal((await b.get(base(f.orgA.id))).status, 404);
    assert.equal((await b.post(base(f.orgA.id), { name: 'sneaky' })).status, 404);
    assert.equal((await b.post(`${item}/disable`)).status, 404);
    assert.equal((await b.post(`${item}/tokens`)).status, 404);
    assert.equal((await b.get(`${item}/tokens`)).status, 404);
    // Org B's own path with org A's directory id: not found either.
    assert.equal((await b.get(`${base(f.orgB.id)}/${directory.id}`)).status, 404);
    assert.equal((await b.post(`${base(f.orgB.id)}/${directory.id}/tokens`)).status, 404);
    const own = await b.get(base(f.orgB.id));
    assert.ok(
      !(own.body as { items: Array<{ id: string }> }).items.some((d) => d.id === directory.id),
    );
    const still = await f.orgA.admin.get(item);
    assert.equal((still.body as { status: string }).status, 'active');
    assert.equal(
      ((await f.orgA.admin.get(`${item}/tokens`)).body as { items: [] }).items.length,
      0,
    );
  });

  it('when a token is issued, then it is shown once, stored as a digest, never listed, logged or audited, and opens only its directory', async () => {
    const directory = await createDirectory();
    const other = await createDirectory('other');
    const res = await f.orgA.admin.post(`${base(f.orgA.id)}/${directory.id}/tokens`);
    assert.equal(res.status, 201);
    assertMatchesSpec(res, 'post', '/api/v1/orgs/{orgId}/scim-directories/{directoryId}/tokens');
    const { id, token } = res.body as { id: string; token: string };
    assert.match(token, TOKEN_SHAPE);

    const list = await f.orgA.admin.get(`${base(f.orgA.id)}/${directory.id}/tokens`);
    assertMatchesSpec(list, 'get', '/api/v1/orgs/{orgId}/scim-directories/{directoryId}/tokens');
    assert.deepEqual(
      (list.body as { items: Array<{ id: string }> }).items.map((t) => t.id),
      [id],
    );
    const secretPart = token.slice(38);
    assert.ok(!list.text.includes(secretPart));
    const { rows } = await f.t.app.db.query<{ digest: string }>(
      'SELECT digest FROM scim_directory_tokens WHERE id = $1',
      [id],
    );
    assert.match(rows[0]!.digest, /^[0-9a-f]{64}$/);
    assert.ok(!f.t.logs.text.includes(secretPart));
    const audit = await f.t.app.db.query('SELECT data FROM audit_events WHERE target_id = $1', [
      directory.id,
    ]);
    assert.ok(!JSON.stringify(audit.rows).includes(secretPart));

    const directories = f.t.app.directories;
    assert.deepEqual(await directories.authenticate(directory.id, token), {
      directoryId: directory.id,
      orgId: f.orgA.id,
      tokenId: id,
    });
    assert.equal(await directories.authenticate(other.id, token), null);
    assert.equal(await directories.authenticate(directory.id, tampered(token)), null);
    assert.equal(await directories.authenticate(directory.id, 'scim_garbage'), null);
  });

  it('when a token is revoked, then it is refused at once; when the directory is disabled, then every token is', async () => {
    const directory = await createDirectory();
    const item = `${base(f.orgA.id)}/${directory.id}`;
    const first = (await f.orgA.admin.post(`${item}/tokens`)).body as { id: string; token: string };
    const second = (await f.orgA.admin.post(`${item}/tokens`)).body as { token: string };
    const revoke = await f.orgA.admin.delete(`${item}/tokens/${first.id}`);
    assert.equal(revoke.status, 204);
    assert.equal(await f.t.app.directories.authenticate(directory.id, first.token), null);
    assert.notEqual(await f.t.app.directories.authenticate(directory.id, second.token), null);
    assert.equal((await f.orgA.admin.delete(`${item}/tokens/${first.id}`)).status, 204);

    const disabled = await f.orgA.admin.post(`${item}/disable`);
    assert.equal(disabled.status, 200);
    assertMatchesSpec(
      disabled,
      'post',
      '/api/v1/orgs/{orgId}/scim-directories/{directoryId}/disable',
    );
    assert.equal((disabled.body as { status: string }).status, 'disabled');
    assert.equal(await f.t.app.directories.authenticate(directory.id, second.token), null);
    const types = await f.t.app.db.query<{ type: string }>(
      'SELECT type FROM audit_events WHERE target_id = $1 ORDER BY id',
      [directory.id],
    );
    assert.deepEqual(
      types.rows.map((r) => r.type),
      [
        'admin.scim_directory.created',
        'admin.scim_directory.token_issued',
        'admin.scim_directory.token_issued',
        'admin.scim_directory.token_revoked',
        'admin.scim_directory.disabled',
      ],
    );
  });

  it('when a token is rotated, then the previous one works for the overlap and not after it', async () => {
    const clock = createFakeClock(Date.now());
    const directories = createDirectoryService({
      db: f.t.app.db,
      audit: f.t.app.audit,
      clock,
      rotationOverlapSeconds: 3600,
    });
    const directory = await createDirectory();
    const principal = { scope: 'org:admin' as const, keyId: 'k', orgId: f.orgA.id };
    const context = { requestId: 'r', ip: null, userAgent: null };
    const old = await directories.issueToken(f.orgA.id, directory.id, principal, context);
    clock.advance(60_000);
    const rotated = await directories.issueToken(f.orgA.id, directory.id, principal, context);
    clock.advance(3_600_000 - 1);
    assert.notEqual(await directories.authenticate(directory.id, old.secret), null);
    clock.advance(2);
    assert.equal(await directories.authenticate(directory.id, old.secret), null);
    assert.notEqual(await directories.authenticate(directory.id, rotated.secret), null);
    // A second rotation does not lengthen the first token's overlap.
    await directories.issueToken(f.orgA.id, directory.id, principal, context);
    assert.equal(await directories.authenticate(directory.id, old.secret), null);
  });

  it("when the role_mapping is set by PATCH, then it is validated as a connection's, needs the current ETag, is audited, and another org's admin cannot", async () => {
    const created = await f.orgA.admin.post(base(f.orgA.id), {
      name: 'Mapped',
      role_mapping: { Editors: 'ads.editor' },
    });
    assert.equal(created.status, 201, created.text);
    const directory = created.body as { id: string; role_mapping: Record<string, string> };
    assert.deepEqual(directory.role_mapping, { Editors: 'ads.editor' });
    const item = `${base(f.orgA.id)}/${directory.id}`;
    const badRole = await f.orgA.admin.patch(item, { role_mapping: { Editors: 'Not A Role' } });
    assert.equal(badRole.status, 400, badRole.text);
    const tooMany = Object.fromEntries(
      Array.from({ length: 201 }, (_, i) => [`group-${i}`, 'ads.viewer']),
    );
    assert.equal((await f.orgA.admin.patch(item, { role_mapping: tooMany })).status, 400);
    assert.equal((await f.orgA.admin.patch(item, { name: 'renamed' })).status, 400);
    const stale = await f.orgA.admin.patch(item, { role_mapping: {} }, '"9"');
    assert.equal(stale.status, 412, stale.text);
    const res = await f.orgA.admin.patch(
      item,
      { role_mapping: { Viewers: 'ads.viewer' } },
      String(created.headers.etag),
    );
    assert.equal(res.status, 200, res.text);
    assertMatchesSpec(res, 'patch', '/api/v1/orgs/{orgId}/scim-directories/{directoryId}');
    assert.deepEqual((res.body as typeof directory).role_mapping, { Viewers: 'ads.viewer' });
    const foreign = await f.orgB.admin.patch(`${base(f.orgA.id)}/${directory.id}`, {
      role_mapping: {},
    });
    assert.ok([403, 404].includes(foreign.status), foreign.text);
    const { rows } = await f.t.app.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM audit_events WHERE type = 'admin.scim_directory.updated' AND target_id = $1`,
      [directory.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.data.before, r.data.after]),
      [[{ Editors: 'ads.editor' }, { Viewers: 'ads.viewer' }]],
    );
  });
});
