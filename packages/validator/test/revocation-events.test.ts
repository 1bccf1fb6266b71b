import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from 'jose';
import { createTokenValidator, type Revocation, type TokenValidator } from '../src/index.js';
import {
  AUDIENCE,
  RECEIVER,
  TYPES,
  nowSeconds,
  recordingLogger,
  startFakeTransmitter,
  waitUntil,
  type FakeTransmitter,
} from './support/fake-transmitter.js';
import { assertRejectsWith } from './support/assertions.js';

/** Each event type of docs/revocation-events.md rejects what the table says, nothing else. */
describe('revocation events over SSE', () => {
  let t: FakeTransmitter;
  let v: TokenValidator;
  const logger = recordingLogger();
  const heard: { revocation: Revocation; position: number | null }[] = [];

  before(async () => {
    t = await startFakeTransmitter({ heartbeatMs: 100 });
    v = createTokenValidator({
      issuer: t.issuer,
      audience: AUDIENCE,
      revocations: { ...RECEIVER, stalenessBoundMs: 2000 },
      logger,
    });
    v.onRevocation((revocation, notice) => heard.push({ revocation, position: notice.position }));
    await v.start();
  });
  after(async () => {
    await v.close();
    await t.close();
  });

  /** Appends through `publish` and waits until the validator holds that position. */
  async function applied(publish: Promise<number>) {
    const position = await publish;
    await waitUntil(() => (v.status().position ?? 0) >= position, 3000, `position ${position}`);
    return position;
  }
  const assertRevoked = (token: string) => assertRejectsWith(v.verify(token), 'token_revoked');
  const assertAccepted = async (token: string) => assert.ok(await v.verify(token));

  it('when started, then the view is current and a good token is accepted', async () => {
    assert.equal(v.status().current, true);
    assert.ok(v.status().lastHeardMs);
    assert.equal((await v.verify(await t.accessToken({ sub: 'alice' }))).sub, 'alice');
  });

  it('when the receiver got its token, then by client credentials for the ssf resource', () => {
    const form = t.seen.tokenRequests[0]!;
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'ssf');
    assert.equal(form.get('resource'), `${t.issuer}/ssf`);
  });

  it('when a session is revoked, then its tokens are rejected (cached or not) and no others', async () => {
    const cached = await t.accessToken({ sid: 'sid-A' });
    await assertAccepted(cached);
    const fresh = await t.accessToken({ sid: 'sid-A' });
    const sameUserOtherSession = await t.accessToken({ sid: 'sid-B' });
    const position = await applied(t.sessionRevoked('sid-A'));
    await assertRevoked(cached);
    await assertRevoked(fresh);
    await assertAccepted(sameUserOtherSession);
    assert.deepEqual(heard.at(-1), {
      revocation: {
        kind: 'session',
        sid: 'sid-A',
        eventTimestamp: heard.at(-1)!.revocation.eventTimestamp,
      },
      position,
    });
  });

  it('when a token is revoked, then that jti is rejected and its session goes on', async () => {
    const jti = randomUUID();
    const revoked = await t.accessToken({ jti, sid: 'sid-C' });
    const sibling = await t.accessToken({ sid: 'sid-C' });
    await assertAccepted(revoked);
    await applied(t.tokenRevoked(jti));
    await assertRevoked(revoked);
    await assertAccepted(sibling);
  });

  it("when a user's sessions in an org are revoked, then their tokens issued until then are rejected", async () => {
    const ts = Math.floor(nowSeconds()) + 0.25;
    const atCutoff = await t.accessToken({ sub: 'bob', org_id: 'org-1', iat: ts });
    const justBefore = await t.accessToken({ sub: 'bob', org_id: 'org-1', iat: ts - 0.001 });
    const justAfter = await t.accessToken({ sub: 'bob', org_id: 'org-1', iat: ts + 0.001 });
    const otherOrg = await t.accessToken({ sub: 'bob', org_id: 'org-2', iat: ts - 1 });
    const otherUser = await t.accessToken({ sub: 'carol', org_id: 'org-1', iat: ts - 1 });
    await applied(t.userSessionsRevoked('bob', 'org-1', ts));
    await assertRevoked(atCutoff);
    await assertRevoked(justBefore);
    await assertAccepted(justAfter);
    await assertAccepted(otherOrg);
    await assertAccepted(otherUser);
  });

  it("when an org's sessions are revoked, then its tokens issued until then are rejected", async () => {
    const ts = nowSeconds();
    const before = await t.accessToken({ sub: 'dan', org_id: 'org-9', iat: ts - 0.002 });
    const later = await t.accessToken({ sub: 'dan', org_id: 'org-9', iat: ts + 0.002 });
    const otherOrg = await t.accessToken({ sub: 'dan', org_id: 'org-8', iat: ts - 1 });
    const noOrg = await t.accessToken({ sub: 'dan', org_id: undefined, iat: ts - 1 });
    await applied(t.orgSessionsRevoked('org-9', ts));
    await assertRevoked(before);
    await assertAccepted(later);
    await assertAccepted(otherOrg);
    await assertAccepted(noOrg);
  });

  for (const changeType of ['revoke', 'delete']) {
    it(`when a client's secret is ${changeType}d, then its tokens issued until then are rejected`, async () => {
      const clientId = `lkc_${changeType}`;
      const ts = nowSeconds();
      const before = await t.accessToken({ client_id: clientId, iat: ts - 0.001 });
      const later = await t.accessToken({ client_id: clientId, iat: ts + 0.001 });
      const otherClient = await t.accessToken({ client_id: 'lkc_other', iat: ts - 1 });
      await applied(t.credentialChange(clientId, changeType, ts));
      await assertRevoked(before);
      await assertAccepted(later);
      await assertAccepted(otherClient);
    });
  }

  it("when a client's secret is created or updated, then its tokens stay good", async () => {
    const ts = nowSeconds();
    const token = await t.accessToken({ client_id: 'lkc_rotating', iat: ts - 1 });
    await applied(t.credentialChange('lkc_rotating', 'create', ts));
    await applied(t.credentialChange('lkc_rotating', 'update', ts));
    await assertAccepted(token);
  });

  it('when a verification event comes, then nothing is rejected and nothing logged', async () => {
    const logged = logger.entries.length;
    const token = await t.accessToken();
    await applied(
      t
        .signSet(TYPES.verification, { format: 'opaque', id: 'stream-1' }, { state: 'x' })
        .then(t.append),
    );
    await assertAccepted(token);
    assert.equal(logger.entries.length, logged);
  });

  describe('when a SET is not to be trusted, then it is ignored with a logged reason', () => {
    const session = (sid: string) => ({
      format: 'complex',
      session: { format: 'opaque', id: sid },
    });
    const cases: [string, string, (sid: string) => Promise<string>][] = [
      [
        'a bad signature',
        'invalid_signature_or_claims',
        async (sid) => {
          const { privateKey } = await generateKeyPair('ES256');
          return t.signSet(TYPES.sessionRevoked, session(sid), {}, { key: privateKey });
        },
      ],
      [
        'a wrong aud',
        'invalid_signature_or_claims',
        (sid) =>
          t.signSet(
            TYPES.sessionRevoked,
            session(sid),
            {},
            { claims: { aud: 'lkc_someone_else' } },
          ),
      ],
      [
        'a wrong iss',
        'invalid_signature_or_claims',
        (sid) =>
          t.signSet(
            TYPES.sessionRevoked,
            session(sid),
            {},
            { claims: { iss: 'https://evil.example' } },
          ),
      ],
      [
        'a wrong typ',
        'invalid_signature_or_claims',
        (sid) => t.signSet(TYPES.sessionRevoked, session(sid), {}, { typ: 'JWT' }),
      ],
      [
        'an unknown event type',
        'unknown_event_type',
        (sid) => t.signSet('https://schemas.example/unknown', session(sid), {}),
      ],
      [
        'two events',
        'not_one_event',
        (sid) =>
          t.signSet(
            TYPES.sessionRevoked,
            session(sid),
            {},
            {
              claims: {
                events: {
                  [TYPES.sessionRevoked]: { event_timestamp: nowSeconds() },
                  [TYPES.tokenRevoked]: { event_timestamp: nowSeconds() },
                },
              },
            },
          ),
      ],
      [
        'no session in its subject',
        'malformed_event',
        () => t.signSet(TYPES.sessionRevoked, { format: 'complex' }, {}),
      ],
    ];
    for (const [what, reason, forge] of cases) {
      it(`${what}: ${reason}`, async () => {
        const sid = `sid-${randomUUID()}`;
        const token = await t.accessToken({ sid });
        const position = await applied(forge(sid).then(t.append));
        const entry = logger.entries.find((e) => e.details?.position === position);
        assert.equal(entry?.details?.reason, reason);
        await assertAccepted(token);
        // The stream goes on: the next good SET is applied.
        await applied(t.sessionRevoked(sid));
        await assertRevoked(token);
      });
    }
  });
});
