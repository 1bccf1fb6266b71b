import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { verifyAuditChains } from '../../src/audit/index.js';
import {
  CONTEXT,
  PLATFORM,
  claimsOf,
  oauthFailure,
  startOAuthFixture,
  type OAuthFixture,
} from '../support/oauth.js';

interface Row {
  type: string;
  org_id: string | null;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  reason: string | null;
  data: Record<string, unknown>;
}

/**
 * The taxonomy on real flows (docs/audit-events.md): each step leaves the events it
 * should, with the right actor, target and outcome, and never a token value.
 */
describe('audit events of real flows', () => {
  let f: OAuthFixture;
  let rp: oidc.Configuration;
  let clientId: string;
  let secret: string;

  before(async () => {
    f = await startOAuthFixture();
    const registered = await f.registerClient();
    clientId = registered.client.id;
    secret = registered.secret!;
    rp = await f.relyingParty(registered.client, secret);
  });
  after(async () => {
    await f.close();
  });

  /** Events of these types written since `mark`, in chain order (orgs first, then platform). */
  const since = async (mark: string[], types: string[]) =>
    (
      await f.t.app.db.query<Row & { id: string }>(
        `SELECT * FROM audit_events WHERE NOT (id = ANY($1::uuid[])) AND type = ANY($2)
         ORDER BY org_id NULLS LAST, chain_seq`,
        [mark, types],
      )
    ).rows;
  /** The events so far (the fixture's clock stands still, so ids do not order them). */
  const mark = async () =>
    (await f.t.app.db.query<{ id: string }>('SELECT id FROM audit_events')).rows.map((r) => r.id);

  it('when a user signs in to an app and refreshes, then session.created, token.issued per grant and session.refreshed are recorded without token values', async () => {
    const start = await mark();
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    const rows = await since(start, ['session.created', 'token.issued', 'session.refreshed']);
    assert.deepEqual(
      rows.map((r) => [r.type, r.actor_type, r.actor_id, r.target_type, r.target_id, r.outcome]),
      [
        ['session.created', 'user', f.user.id, 'session', session.id, 'success'],
        ['token.issued', 'client', clientId, 'session', session.id, 'success'],
        ['token.issued', 'client', clientId, 'session', session.id, 'success'],
        ['session.refreshed', 'client', clientId, 'session', session.id, 'success'],
      ],
    );
    assert.equal(rows[1]!.data.grant_type, 'authorization_code');
    assert.equal(rows[1]!.data.jti, claimsOf(tokens.access_token).jti);
    assert.equal(rows[2]!.data.grant_type, 'refresh_token');
    assert.equal(rows[3]!.data.jti, claimsOf(refreshed.access_token).jti);
    const text = JSON.stringify(rows);
    for (const value of [
      token,
      tokens.access_token,
      tokens.refresh_token!,
      refreshed.refresh_token!,
    ]) {
      assert.equal(text.includes(value), false, 'no token value in the trail');
    }
  });

  it('when a token is revoked and a rotated refresh token replayed, then token.revoked and token.refresh_reuse_detected (failure) with session.ended', async () => {
    const { token, session } = await f.openSession();
    const { tokens } = await f.signIn(rp, token);
    const start = await mark();
    await oidc.tokenRevocation(rp, tokens.access_token);
    const rotated = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    assert.ok(rotated.refresh_token);
    // Once the successor is used, the rotated token can only be a leaked copy.
    await oidc.refreshTokenGrant(rp, rotated.refresh_token);
    const reuse = await oauthFailure(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
    assert.equal(reuse.error, 'invalid_grant');
    const rows = await since(start, [
      'token.revoked',
      'token.refresh_reuse_detected',
      'session.ended',
    ]);
    assert.deepEqual(
      rows.map((r) => [r.type, r.actor_type, r.target_id, r.outcome, r.reason]),
      [
        ['token.revoked', 'client', session.id, 'success', null],
        ['session.ended', 'system', session.id, 'success', 'refresh_token_reuse'],
        ['token.refresh_reuse_detected', 'client', session.id, 'failure', 'refresh_token_reuse'],
      ],
    );
    assert.equal(rows[0]!.data.jti, claimsOf(tokens.access_token).jti);
    assert.equal(rows[0]!.data.token_type, 'access_token');
  });

  it('when a backend service gets a token, then token.issued on the platform chain names the client', async () => {
    const start = await mark();
    const res = await f.post('/oauth/token', { grant_type: 'client_credentials' }, [
      clientId,
      secret,
    ]);
    assert.equal(res.status, 200);
    const [row] = await since(start, ['token.issued']);
    assert.equal(row!.org_id, null);
    assert.equal(row!.actor_id, clientId);
    assert.equal(row!.data.grant_type, 'client_credentials');
  });

  it('when the audit trail cannot be written, then a client credentials grant is refused with 503 temporarily_unavailable (no token without its event)', async () => {
    const db = f.t.app.db;
    await db.query(`CREATE FUNCTION test_audit_down() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit store down (test)'; END $$`);
    await db.query(
      'CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_audit_down()',
    );
    try {
      const res = await f.post('/oauth/token', { grant_type: 'client_credentials' }, [
        clientId,
        secret,
      ]);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { error: string; access_token?: string };
      assert.equal(body.error, 'temporarily_unavailable');
      assert.equal(body.access_token, undefined);
    } finally {
      await db.query('DROP TRIGGER test_audit_down ON audit_events');
      await db.query('DROP FUNCTION test_audit_down()');
    }
    const res = await f.post('/oauth/token', { grant_type: 'client_credentials' }, [
      clientId,
      secret,
    ]);
    assert.equal(res.status, 200, 'and grants again once it can be written');
  });

  it('when an admin changes the org and an operator rotates the signing key, then admin.org.updated and key.rotated', async () => {
    const start = await mark();
    await f.t.app.orgs.update(f.org.id, { name: 'Acme Renamed' }, null, PLATFORM, CONTEXT);
    const next = await f.t.app.keyManager.add();
    await f.t.app.keyManager.promote(next.kid, { force: true });
    const rows = await since(start, ['admin.org.updated', 'key.rotated']);
    assert.deepEqual(
      rows.map((r) => [r.type, r.org_id, r.actor_type, r.target_type, r.target_id]),
      [
        ['admin.org.updated', f.org.id, 'api_key', 'org', f.org.id],
        ['key.rotated', null, 'cli', 'signing_key', next.kid],
      ],
    );
    assert.equal(rows[1]!.data.forced, true);
  });

  it('when all that is done, then every chain verifies', async () => {
    for (const report of await verifyAuditChains(f.t.app.db)) {
      assert.equal(report.ok, true, JSON.stringify(report));
    }
  });
});
