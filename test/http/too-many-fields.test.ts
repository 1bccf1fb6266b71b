import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOAuthFixture, type OAuthFixture } from '../support/oauth.js';

/** 1,001 fields: more than any form parser of Latchkey takes (their limits are 10 to 100). */
const MANY_FIELDS = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');

/**
 * Issue 12: a form with more fields than its parser takes was a 500 (body-parser's
 * `parameters.too.many` was not mapped). Every form endpoint answers 413
 * `payload_too_large` in its audience's error style, and nothing of the request is done.
 */
describe('a request with too many fields or too large a body is refused with 413 in each audience’s style', () => {
  let f: OAuthFixture;
  let basic: [string, string];
  let app: Awaited<ReturnType<OAuthFixture['relyingParty']>>;
  let adminKey: string;

  before(async () => {
    f = await startOAuthFixture();
    const registered = await f.registerClient();
    basic = [registered.client.id, registered.secret!];
    app = await f.relyingParty(registered.client, registered.secret);
    adminKey = (
      await f.t.app.apiKeys.create({ orgId: null, body: { name: 'too-many-fields' } }, 'cli', null)
    ).secret;
  });
  after(async () => {
    await f.close();
  });

  const basicHeader = () =>
    `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString('base64')}`;

  const postForm = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${f.t.issuer}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: f.t.issuer,
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
      body,
    });

  const auditRows = async () =>
    Number(
      (await f.t.app.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events')).rows[0]!.n,
    );

  const assertOAuth413 = async (res: Response, where: string) => {
    assert.equal(res.status, 413, where);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, where);
    assert.equal(res.headers.get('cache-control'), 'no-store', where);
    const body = (await res.json()) as Record<string, unknown>;
    // RFC 6749 §5.2 has no code for a too-large request: invalid_request, with status 413.
    assert.equal(body.error, 'invalid_request', where);
    assert.equal(typeof body.error_description, 'string', where);
  };

  const assertPage413 = async (res: Response, where: string) => {
    assert.equal(res.status, 413, where);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/, where);
    const text = await res.text();
    assert.match(text, /payload_too_large/, where);
    assert.match(text, /<html/i, where);
  };

  it('when a token, introspection or revocation request carries 1,001 fields, then 413 invalid_request (OAuth JSON) and the token is still live', async () => {
    const issued = await f.post('/oauth/token', { grant_type: 'client_credentials' }, basic);
    assert.equal(issued.status, 200);
    const { access_token: token } = (await issued.json()) as { access_token: string };
    const before = await auditRows();

    const auth = { authorization: basicHeader() };
    await assertOAuth413(
      await postForm('/oauth/token', `grant_type=client_credentials&${MANY_FIELDS}`, auth),
      'token',
    );
    await assertOAuth413(
      await postForm('/oauth/introspect', `token=${token}&${MANY_FIELDS}`, auth),
      'introspect',
    );
    await assertOAuth413(
      await postForm('/oauth/revoke', `token=${token}&${MANY_FIELDS}`, auth),
      'revoke',
    );

    assert.equal(await auditRows(), before, 'no token issued, nothing revoked');
    assert.equal((await f.introspect(app, token)).active, true, 'the revocation was not done');
  });

  it('when a browser form (sign-in, SAML, authorize, sign-out, account) carries 1,001 fields, then a 413 error page and the session lives', async () => {
    const session = await f.openSession();
    const cookie = { cookie: `latchkey=${session.token}` };
    const page = await f.browse(`${f.t.issuer}/account`, session.token);
    assert.equal(page.status, 200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const before = await auditRows();

    for (const path of [
      '/login',
      '/login/start',
      '/login/saml/continue',
      `/saml/${f.connectionId}/acs`,
      `/saml/${f.connectionId}/slo`,
      '/oauth/authorize',
      '/oauth/logout',
      '/account/sessions/end-all',
      '/account/sessions/end-others',
      `/account/sessions/${session.session.id}/end`,
    ])
      await assertPage413(
        await postForm(path, `csrf=${encodeURIComponent(csrf)}&confirm=yes&${MANY_FIELDS}`, cookie),
        path,
      );

    assert.equal(await auditRows(), before, 'nothing was done');
    const after = await f.browse(`${f.t.issuer}/account`, session.token);
    assert.equal(after.status, 200, 'the session was not ended');
  });

  it('when an admin API request body is larger than the limit, then 413 payload_too_large problem+json and nothing is created', async () => {
    const before = await auditRows();
    const res = await fetch(`${f.t.issuer}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'too-big', name: 'x'.repeat(200 * 1024) }),
    });
    assert.equal(res.status, 413);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.code, 'payload_too_large');
    assert.equal(body.status, 413);
    assert.equal(body.request_id, res.headers.get('x-request-id'));
    assert.equal(await auditRows(), before);
    const listed = await fetch(`${f.t.issuer}/api/v1/orgs`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.ok(!(await listed.text()).includes('too-big'));
  });
});
