import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  claimsOf,
  CONTEXT,
  PLATFORM,
  startOAuthFixture,
  type OAuthFixture,
} from '../support/oauth.js';
import { pushEndpoint, ssfReceiver } from '../support/ssf-receiver.js';

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const SSF = 'https://schemas.openid.net/secevent/ssf/event-type/';
const LATCHKEY = 'https://schemas.latchkey.dev/secevent/';
const POLL = 'urn:ietf:rfc:8936';
const PUSH = 'urn:ietf:rfc:8935';

/**
 * The Shared Signals transmitter (SSF 1.0, CAEP 1.0, RFC 8935/8936) driven by a receiver
 * written from the specifications with jose only (test/support/ssf-receiver.ts).
 */
describe('Shared Signals transmitter', () => {
  let f: OAuthFixture;
  const receiverClient = async (name: string) =>
    f.registerClient({
      name,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      post_logout_redirect_uris: [],
      allowed_scopes: ['ssf'],
      allowed_audiences: [`${f.t.issuer}/ssf`],
    });
  const receiverFor = async (name: string) => {
    const { client, secret } = await receiverClient(name);
    return { client, secret, rx: await ssfReceiver(f.t.issuer, client.id, secret!) };
  };

  before(async () => {
    f = await startOAuthFixture();
    f.syncClock();
  });
  after(() => f.close());

  it('when a receiver reads the configuration metadata, then it names the endpoints and delivery methods (SSF 1.0 §7.1)', async () => {
    const res = await fetch(`${f.t.issuer}/.well-known/ssf-configuration`);
    assert.equal(res.status, 200);
    const config = (await res.json()) as Record<string, unknown>;
    assert.equal(config.spec_version, '1_0');
    assert.equal(config.issuer, f.t.issuer);
    assert.equal(config.jwks_uri, `${f.t.issuer}/.well-known/jwks.json`);
    assert.deepEqual(config.delivery_methods_supported, [
      PUSH,
      POLL,
      'https://latchkey.dev/ssf/delivery/sse',
    ]);
    assert.equal(config.configuration_endpoint, `${f.t.issuer}/ssf/streams`);
    assert.deepEqual(config.authorization_schemes, [{ spec_urn: 'urn:ietf:rfc:6749' }]);
  });

  it('when a receiver has no token, a token without the ssf scope or for another audience, then it gets 401 or 403', async () => {
    const { rx, client } = await receiverFor('Receiver auth');
    const none = await fetch(`${f.t.issuer}/ssf/streams`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    const forged = await rx.call('GET', `${f.t.issuer}/ssf/streams`, undefined, 'not.a.token');
    assert.equal(forged.status, 401);
    // A client allowed other audiences and scopes, asking for its API's audience.
    const other = await f.registerClient({
      name: 'Not a receiver',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      post_logout_redirect_uris: [],
      allowed_scopes: ['ssf', 'reports'],
      allowed_audiences: ['https://reports.example', `${f.t.issuer}/ssf`],
    });
    const otherRx = await ssfReceiver(f.t.issuer, other.client.id, other.secret!);
    const wrongAudience = await otherRx.token('ssf', 'https://reports.example');
    assert.equal(
      (await rx.call('GET', `${f.t.issuer}/ssf/streams`, undefined, wrongAudience)).status,
      401,
    );
    const noScope = await otherRx.token('reports', `${f.t.issuer}/ssf`);
    const refused = await rx.call('GET', `${f.t.issuer}/ssf/streams`, undefined, noScope);
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate') ?? '', /insufficient_scope/);
    // Deleted: its tokens are cut off with it.
    const live = await rx.token();
    const before = await rx.call('GET', `${f.t.issuer}/ssf/streams`, undefined, live);
    assert.equal(before.status, 200);
    assert.deepEqual(before.body, [], 'no stream yet');
    await f.t.app.clients.remove(client.id, null, PLATFORM, CONTEXT);
    assert.equal((await rx.call('GET', `${f.t.issuer}/ssf/streams`, undefined, live)).status, 401);
  });

  it('when a stream configuration is malformed, then 400 names the field, and a second stream is 409', async () => {
    const { rx } = await receiverFor('Malformed');
    const noEndpoint = await rx.createStream({ delivery: { method: PUSH } });
    assert.equal(noEndpoint.status, 400);
    assert.equal(noEndpoint.body.errors[0]!.field, 'delivery.endpoint_url');
    const unknown = await rx.createStream({ delivery: { method: POLL }, colour: 'red' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors[0]!.field, 'colour');
    const badMethod = await rx.createStream({ delivery: { method: 'urn:example:smoke' } });
    assert.equal(badMethod.status, 400);
    assert.equal(badMethod.body.errors[0]!.field, 'delivery.method');
    assert.equal((await rx.createStream({ delivery: { method: POLL } })).status, 201);
    const second = await rx.createStream({ delivery: { method: POLL } });
    assert.equal(second.status, 409);
  });

  it('when a session is revoked, then a poll receiver gets a signed session-revoked SET until it acknowledges it (RFC 8936)', async () => {
    const { rx, client } = await receiverFor('Poller');
    const created = await rx.createStream({ delivery: { method: POLL }, description: 'ads api' });
    assert.equal(created.status, 201);
    const stream = created.body;
    assert.equal(stream.aud, client.id);
    assert.equal(stream.delivery.endpoint_url, `${f.t.issuer}/ssf/poll`);
    assert.ok(stream.events_delivered.includes(`${CAEP}session-revoked`));
    // Everything in force is delivered first; acknowledge it all.
    for (;;) {
      const first = await rx.poll(stream.delivery.endpoint_url, {
        maxEvents: 1000,
        returnImmediately: true,
      });
      const jtis = Object.keys(first.body.sets);
      if (!jtis.length) break;
      await rx.poll(stream.delivery.endpoint_url, { ack: jtis, maxEvents: 0 });
    }
    const { session } = await f.openSession();
    await f.t.app.sessions.end(f.org.id, session.id, 'admin', CONTEXT);
    const polled = await rx.poll(stream.delivery.endpoint_url, { returnImmediately: true });
    assert.equal(polled.status, 200);
    const entries = Object.entries(polled.body.sets);
    assert.equal(entries.length, 1, JSON.stringify(polled.body));
    const [jti, set] = entries[0]!;
    const claims = await rx.verifySet(set);
    assert.equal(claims.jti, jti);
    const event = claims.events[`${CAEP}session-revoked`];
    assert.ok(event, 'a CAEP session-revoked event');
    assert.equal(claims.sub_id.format, 'complex');
    assert.deepEqual(claims.sub_id.session, { format: 'opaque', id: session.id });
    assert.deepEqual(claims.sub_id.tenant, { format: 'opaque', id: f.org.id });
    assert.equal(event.initiating_entity, 'admin');
    assert.equal(typeof event.event_timestamp, 'number');
    // Not acknowledged: delivered again; acknowledged: never again.
    const again = await rx.poll(stream.delivery.endpoint_url, { returnImmediately: true });
    assert.deepEqual(Object.keys(again.body.sets), [jti]);
    const acked = await rx.poll(stream.delivery.endpoint_url, {
      ack: [jti],
      returnImmediately: true,
    });
    assert.deepEqual(acked.body.sets, {});
    const later = await rx.poll(stream.delivery.endpoint_url, { returnImmediately: true });
    assert.deepEqual(later.body.sets, {});
  });

  it('when a receiver asks for verification, then the verification SET echoes its state, at most every 10 s', async () => {
    const { rx } = await receiverFor('Verifier');
    const stream = (await rx.createStream({ delivery: { method: POLL } })).body;
    assert.equal((await rx.verify({ stream_id: stream.stream_id, state: 'abc123' })).status, 204);
    assert.equal((await rx.verify({ stream_id: stream.stream_id, state: 'again' })).status, 429);
    const polled = await rx.poll(stream.delivery.endpoint_url, {
      maxEvents: 1000,
      returnImmediately: true,
    });
    const verifications = [];
    for (const set of Object.values(polled.body.sets)) {
      const claims = await rx.verifySet(set);
      if (claims.events[`${SSF}verification`]) verifications.push(claims);
    }
    assert.equal(verifications.length, 1);
    assert.equal(verifications[0]!.events[`${SSF}verification`]?.state, 'abc123');
    assert.deepEqual(verifications[0]!.sub_id, { format: 'opaque', id: stream.stream_id });
  });

  it('when an access token is revoked, then a push receiver gets the token-revoked SET; a failing endpoint is retried and the status says why (RFC 8935)', async () => {
    const endpoint = await pushEndpoint();
    try {
      const { rx } = await receiverFor('Pusher');
      endpoint.answer(503);
      const created = await rx.createStream({
        delivery: {
          method: PUSH,
          endpoint_url: endpoint.url,
          authorization_header: 'Bearer push-secret',
        },
        events_requested: [`${LATCHKEY}token-revoked`],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.delivery.authorization_header, undefined, 'never returned');
      const stream = created.body;
      const app = await f.registerClient({
        name: 'Revoking app',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        post_logout_redirect_uris: [],
      });
      const issued = await f.post('/oauth/token', { grant_type: 'client_credentials' }, [
        app.client.id,
        app.secret!,
      ]);
      const { access_token } = (await issued.json()) as { access_token: string };
      const jti = claimsOf(access_token).jti!;
      const revoked = await f.post('/oauth/revoke', { token: access_token }, [
        app.client.id,
        app.secret!,
      ]);
      assert.equal(revoked.status, 200);
      await f.t.app.ssfPush.runOnce();
      const status = await rx.status(stream.stream_id);
      assert.equal(status.body.status, 'enabled');
      assert.match(status.body.reason ?? '', /HTTP 503/);
      endpoint.answer(202);
      await f.t.app.db.query(
        'UPDATE ssf_streams SET next_attempt_at = now() WHERE stream_id = $1',
        [stream.stream_id],
      );
      await f.t.app.ssfPush.runOnce();
      await endpoint.waitFor(1);
      const pushed = endpoint.received.map((r) => r);
      const mine = [];
      for (const r of pushed) {
        assert.equal(r.contentType, 'application/secevent+jwt');
        assert.equal(r.authorization, 'Bearer push-secret');
        const claims = await rx.verifySet(r.set);
        assert.ok(claims.events[`${LATCHKEY}token-revoked`], 'only the types it asked for');
        if (claims.sub_id.id === jti) mine.push(claims);
      }
      assert.equal(mine.length, 1);
      assert.equal((await rx.status(stream.stream_id)).body.reason, undefined);
    } finally {
      await endpoint.close();
    }
  });

  it('when an admin disables a stream, then the receiver cannot poll nor enable it; enabled again it starts from what is in force', async () => {
    const { rx } = await receiverFor('Disabled');
    const stream = (await rx.createStream({ delivery: { method: POLL } })).body;
    const disabled = await f.t.app.ssf.adminSetStatus(
      stream.stream_id,
      { status: 'disabled', reason: 'abuse' },
      'test',
    );
    assert.equal(disabled.status, 'disabled');
    assert.equal((await rx.poll(stream.delivery.endpoint_url, {})).status, 403);
    const refused = await rx.setStatus({ stream_id: stream.stream_id, status: 'enabled' });
    assert.equal(refused.status, 403);
    await f.t.app.ssf.adminSetStatus(stream.stream_id, { status: 'enabled' }, 'test');
    const polled = await rx.poll(stream.delivery.endpoint_url, {
      maxEvents: 1000,
      returnImmediately: true,
    });
    const types = new Set<string>();
    for (const set of Object.values(polled.body.sets))
      for (const type of Object.keys((await rx.verifySet(set)).events)) types.add(type);
    assert.ok(types.has(`${SSF}stream-updated`), 'told of the status change');
    assert.ok(types.has(`${CAEP}session-revoked`), 'everything in force again');
  });

  it('when a client secret is rotated without overlap, then its earlier tokens are cut off: inactive at introspection and a credential-change SET', async () => {
    const { rx } = await receiverFor('Credential watcher');
    const stream = (
      await rx.createStream({
        delivery: { method: POLL },
        events_requested: [`${CAEP}credential-change`],
      })
    ).body;
    const app = await f.registerClient({
      name: 'Rotating app',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      post_logout_redirect_uris: [],
      allowed_audiences: ['https://reports.example'],
    });
    const tokenOf = async (secret: string) =>
      (
        (await (
          await f.post('/oauth/token', { grant_type: 'client_credentials' }, [
            app.client.id,
            secret,
          ])
        ).json()) as { access_token: string }
      ).access_token;
    const before = await tokenOf(app.secret!);
    const { secret } = await f.t.app.clients.rotateSecret(
      app.client.id,
      { overlap_seconds: 0 },
      PLATFORM,
      CONTEXT,
    );
    // A millisecond later (the fake clock stands still): still the same second.
    f.clock.advance(1);
    const afterRotation = await tokenOf(secret);
    const introspect = async (token: string) =>
      (await (await f.post('/oauth/introspect', { token }, [app.client.id, secret])).json()) as {
        active: boolean;
      };
    assert.equal((await introspect(before)).active, false, 'issued before the cut-off');
    assert.equal((await introspect(afterRotation)).active, true, 'issued a millisecond after it');
    const polled = await rx.poll(stream.delivery.endpoint_url, {
      maxEvents: 1000,
      returnImmediately: true,
    });
    const changes = [];
    for (const set of Object.values(polled.body.sets)) {
      const claims = await rx.verifySet(set);
      const event = claims.events[`${CAEP}credential-change`];
      if (event && claims.sub_id.application?.id === app.client.id) changes.push(event);
    }
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.change_type, 'revoke');
    assert.equal(changes[0]!.credential_type, 'client_secret');
  });
});

describe('Shared Signals transmitter: the SSE feed', () => {
  let f: OAuthFixture;
  before(async () => {
    f = await startOAuthFixture({
      env: { LATCHKEY_SIGNALS_HEARTBEAT_SECONDS: '1' },
    });
    f.syncClock();
  });
  after(() => f.close());

  const receiver = async () => {
    const { client, secret } = await f.registerClient({
      name: 'SSE receiver',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      post_logout_redirect_uris: [],
      allowed_scopes: ['ssf'],
      allowed_audiences: [`${f.t.issuer}/ssf`],
    });
    return ssfReceiver(f.t.issuer, client.id, secret!);
  };

  it('when a session is revoked, then a connected receiver gets its SET with its position, and resuming from that position replays nothing before it', async () => {
    const rx = await receiver();
    const { session: early } = await f.openSession();
    await f.t.app.sessions.end(f.org.id, early.id, 'admin', CONTEXT);
    const feed = await rx.sse();
    assert.equal(feed.status, 200);
    // Everything in force first, then a heartbeat: "current up to here".
    const first = await feed.next((e) => e.event === 'heartbeat');
    const replayed = feed.events.filter((e) => e.event === 'set');
    const sids = [];
    for (const e of replayed) sids.push((await rx.verifySet(e.data)).sub_id.session?.id);
    assert.ok(sids.includes(early.id), 'the revocation from before it connected');
    const heartbeat = JSON.parse(first.data) as { position: number; time: number };
    assert.ok(heartbeat.position >= Number(replayed.at(-1)!.id));
    const { session } = await f.openSession();
    const mark = feed.events.length;
    await f.t.app.sessions.end(f.org.id, session.id, 'admin', CONTEXT);
    const live = await feed.next((e) => e.event === 'set', mark);
    const claims = await rx.verifySet(live.data);
    assert.equal(claims.sub_id.session?.id, session.id);
    assert.equal(claims.jti, `rev-${live.id}`);
    feed.close();
    // Resumed from that position: nothing it had, the next revocation when it comes.
    const resumed = await rx.sse(live.id);
    await resumed.next((e) => e.event === 'heartbeat');
    assert.deepEqual(
      resumed.events.filter((e) => e.event === 'set'),
      [],
      'nothing before its position again',
    );
    const { session: later } = await f.openSession();
    await f.t.app.sessions.end(f.org.id, later.id, 'admin', CONTEXT);
    const next = await resumed.next((e) => e.event === 'set');
    assert.equal((await rx.verifySet(next.data)).sub_id.session?.id, later.id);
    assert.ok(Number(next.id) > Number(live.id));
    resumed.close();
  });

  it('when a receiver passes a position the log does not know, then it gets everything in force', async () => {
    const rx = await receiver();
    const feed = await rx.sse('999999999999');
    await feed.next((e) => e.event === 'heartbeat');
    assert.ok(
      feed.events.some((e) => e.event === 'set'),
      'a full snapshot, not silence',
    );
    feed.close();
  });

  it('when the JSON feed is asked after a position, then it answers the SETs after it and the head', async () => {
    const rx = await receiver();
    const { session } = await f.openSession();
    await f.t.app.sessions.end(f.org.id, session.id, 'admin', CONTEXT);
    const all = await rx.feedPage('0');
    assert.equal(all.status, 200);
    const page = all.body;
    assert.equal(page.moreAvailable, false);
    const last = page.sets.at(-1)!;
    assert.equal((await rx.verifySet(last.set)).sub_id.session?.id, session.id);
    assert.ok(page.position >= last.position);
    const none = await rx.feedPage(String(page.position));
    assert.deepEqual(none.body.sets, []);
    assert.equal((await rx.feedPage('-1')).status, 400);
  });
});
