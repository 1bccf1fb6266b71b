import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { isAppError } from '../../src/platform/errors.js';
import { verifiedDomain } from '../support/federation-seed.js';
import {
  CONTEXT,
  PLATFORM,
  claimsOf,
  oauthFailure,
  startLogoutReceiver,
  startOAuthFixture,
  type OAuthFixture,
} from '../support/oauth.js';
import { PATCH_OP, scimClient, userBody, type ScimClient } from '../support/scim.js';

/**
 * The invariant of issue 17's deprovisioning: once the directory says a person is gone
 * (active: false, PATCH or PUT, or DELETE), their sessions and refresh tokens are dead at
 * once and stay dead, and they cannot sign in; reactivation lets them sign in afresh. Real
 * Redis and PostgreSQL, the real end path (the same as the admin API's deactivate).
 */
describe('SCIM deprovisioning reaches every session and refresh token', () => {
  let f: OAuthFixture;
  let rp: oidc.Configuration;
  let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;

  let scim: ScimClient;

  /** A person the directory provisions, then signed in through SSO with an app's tokens. */
  const provisionedAndSignedIn = async (name: string) => {
    const created = await scim.post(
      '/Users',
      userBody(`${name}@acme.example`, { externalId: name }),
    );
    assert.equal(created.status, 201, created.text);
    const id = (created.body as { id: string }).id;
    const user = await f.makeUser(name);
    assert.equal(user.id, id, 'the sign-in is the provisioned user');
    const { token: sessionToken, session } = await f.openSession(id);
    const { tokens } = await f.signIn(rp, sessionToken);
    assert.ok(await f.t.app.sessions.validate(sessionToken));
    return { id, sessionId: session.id, sessionToken, refreshToken: tokens.refresh_token! };
  };

  const assertSignInRefused = async (name: string) => {
    await assert.rejects(f.makeUser(name), (error: unknown) => {
      assert.ok(isAppError(error));
      assert.equal(error.code, 'user_deactivated');
      return true;
    });
  };

  const assertDead = async (who: { sessionToken: string; refreshToken: string }) => {
    assert.equal(await f.t.app.sessions.validate(who.sessionToken), null);
    const refused = await oauthFailure(oidc.refreshTokenGrant(rp, who.refreshToken));
    assert.equal(refused.error, 'invalid_grant');
  };

  const endedSessions = async (userId: string) => {
    const { rows } = await f.t.app.db.query<{ reason: string }>(
      `SELECT reason FROM audit_events WHERE type = 'session.ended' AND data->>'user_id' = $1`,
      [userId],
    );
    return rows.map((r) => r.reason);
  };

  before(async () => {
    f = await startOAuthFixture();
    receiver = await startLogoutReceiver();
    const app = await f.registerClient({ backchannel_logout_uri: receiver.url });
    rp = await f.relyingParty(app.client, app.secret);
    await verifiedDomain(f.t, f.org.id, 'acme.example');
    const directory = await f.t.app.directories.create(
      f.org.id,
      { name: 'Entra ID' },
      PLATFORM,
      CONTEXT,
    );
    const issued = await f.t.app.directories.issueToken(f.org.id, directory.id, PLATFORM, CONTEXT);
    scim = scimClient(f.t.app.http, directory.id, issued.secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await receiver.close();
    await f.close();
  });

  it('when Entra ID PATCHes active to "False", then the session and refresh token are dead at once and stay dead, sign-in is refused, and it is audited; "True" lets the person sign in again', async () => {
    const bob = await provisionedAndSignedIn('bob');
    const patched = await scim.patch(`/Users/${bob.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((patched.body as { active: boolean }).active, false);
    await assertDead(bob);
    await assertSignInRefused('bob');
    assert.deepEqual(await endedSessions(bob.id), ['user_deactivated']);
    // The normal end path: the app that the session signed in to gets a back-channel logout.
    await f.t.app.backchannel.settled();
    const logouts = receiver.received.filter(
      (r) => r.logoutToken && claimsOf(r.logoutToken).sid === bob.sessionId,
    );
    assert.equal(logouts.length, 1);
    const { rows } = await f.t.app.db.query<{ actor_type: string }>(
      `SELECT actor_type FROM audit_events WHERE type = 'scim.user.deactivated' AND target_id = $1`,
      [bob.id],
    );
    assert.deepEqual(rows, [{ actor_type: 'scim_directory' }]);

    const reactivated = await scim.patch(`/Users/${bob.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    assert.equal(reactivated.status, 200, reactivated.text);
    // What was ended stays ended; a new sign-in works.
    await assertDead(bob);
    const again = await f.makeUser('bob');
    assert.equal(again.id, bob.id);
    const { token: fresh } = await f.openSession(bob.id);
    assert.ok(await f.t.app.sessions.validate(fresh));
  });

  it('when Okta PUTs the user with active: false, then the same holds', async () => {
    const carol = await provisionedAndSignedIn('carol');
    const put = await scim.put(
      `/Users/${carol.id}`,
      userBody('carol@acme.example', { externalId: 'carol', active: false }),
    );
    assert.equal(put.status, 200, put.text);
    await assertDead(carol);
    await assertSignInRefused('carol');
    const back = await scim.put(
      `/Users/${carol.id}`,
      userBody('carol@acme.example', { externalId: 'carol', active: true }),
    );
    assert.equal(back.status, 200, back.text);
    assert.equal((await f.makeUser('carol')).id, carol.id);
  });

  it('when the directory DELETEs the user, then the sessions and refresh token end, the user stays deactivated, and sign-in is refused', async () => {
    const dave = await provisionedAndSignedIn('dave');
    assert.equal((await scim.delete(`/Users/${dave.id}`)).status, 204);
    await assertDead(dave);
    await assertSignInRefused('dave');
    const user = await f.t.app.users.getUser(dave.id);
    assert.equal(user?.status, 'deactivated');
    assert.deepEqual(await endedSessions(dave.id), ['user_deleted']);
  });
});
