import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { oauthErrorBody } from '../../src/http/error-renderer.js';
import { OAUTH_ERRORS } from '../../src/tokens/index.js';
import { OAuthError, oauthError } from '../../src/tokens/oauth-errors.js';
import { REDIRECT_URI, startOAuthFixture, type OAuthFixture } from '../support/oauth.js';

/** The log line of a refusal: its code, the request id and the detail the client never saw. */
function assertRefusalLogged(
  f: OAuthFixture,
  expected: { code: string; requestId: string | null; detail: RegExp },
) {
  const line = f.t.logs.lines
    .map((raw) => JSON.parse(raw) as Record<string, unknown>)
    .find(
      (entry) =>
        entry.msg === 'request refused' &&
        entry.error === expected.code &&
        typeof entry.detail === 'string' &&
        expected.detail.test(entry.detail),
    );
  assert.ok(line, `no 'request refused' log line for ${expected.code} ${expected.detail}`);
  if (expected.requestId !== null) assert.equal(line.requestId, expected.requestId);
  else assert.equal(typeof line.requestId, 'string');
}

describe('OAuth errors: a generic error_description to the client, the detail in the log', () => {
  let f: OAuthFixture;
  let client: { id: string };
  let secret: string;
  let rp: oidc.Configuration;

  before(async () => {
    f = await startOAuthFixture();
    ({ client, secret } = (await f.registerClient()) as { client: { id: string }; secret: string });
    rp = await f.relyingParty(client, secret);
  });
  beforeEach(() => f.syncClock());
  after(async () => {
    await f.close();
  });

  it('when every OAuth error code is rendered, then its description is the one generic text of the one list', () => {
    for (const code of Object.keys(OAUTH_ERRORS) as Array<keyof typeof OAUTH_ERRORS>) {
      const body = oauthErrorBody(oauthError(code, `secret detail of ${code}`));
      assert.deepEqual(body, { error: code, error_description: OAUTH_ERRORS[code] });
    }
    assert.equal(new OAuthError('invalid_grant', { detail: 'x' }).detail, 'x');
  });

  it('when a code is redeemed with the wrong PKCE verifier, then the client reads a generic invalid_grant and the log line names the PKCE mismatch with the request id', async () => {
    const { token } = await f.openSession();
    const request = await f.authorizationRequest(rp);
    const callback = await f.authorizeRedirect(request.url, token);
    const res = await f.post(
      '/oauth/token',
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: REDIRECT_URI,
        code_verifier: oidc.randomPKCECodeVerifier(),
      },
      [client.id, secret],
    );
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; error_description: string };
    assert.deepEqual(body, {
      error: 'invalid_grant',
      error_description: OAUTH_ERRORS.invalid_grant,
    });
    assert.doesNotMatch(body.error_description, /PKCE|verifier/);
    const requestId = res.headers.get('x-request-id');
    assert.ok(requestId);
    assertRefusalLogged(f, {
      code: 'invalid_grant',
      requestId,
      detail: /^The PKCE code_verifier does not match\.$/,
    });
  });

  it('when an unknown grant_type is asked for, then the client is not told the value back and the log says which', async () => {
    const res = await f.post('/oauth/token', { grant_type: 'urn:x:nope' }, [client.id, secret]);
    const body = (await res.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'unsupported_grant_type');
    assert.equal(body.error_description, OAUTH_ERRORS.unsupported_grant_type);
    assertRefusalLogged(f, {
      code: 'unsupported_grant_type',
      requestId: res.headers.get('x-request-id'),
      detail: /urn:x:nope/,
    });
  });

  it('when an authorization request asks for a scope the client may not have, then the redirect carries the generic description and the log names the scope', async () => {
    const { token } = await f.openSession();
    const { url } = await f.authorizationRequest(rp, { scope: 'openid ads.superpowers' });
    const callback = await f.authorizeRedirect(url, token);
    assert.equal(callback.searchParams.get('error'), 'invalid_scope');
    assert.equal(callback.searchParams.get('error_description'), OAUTH_ERRORS.invalid_scope);
    assert.doesNotMatch(callback.href, /superpowers/);
    assertRefusalLogged(f, {
      code: 'invalid_scope',
      requestId: null,
      detail: /Scope not allowed for this client: ads\.superpowers/,
    });
  });
});
