import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AppError } from '../../src/platform/errors.js';
import {
  authorizeChecks,
  checkAccountActive,
  checkAcr,
  checkAudience,
  checkClient,
  checkClientMayUseCode,
  checkLoginHint,
  checkMaxAge,
  checkNonce,
  checkPkce,
  checkPrompt,
  checkRedirectUri,
  checkRequestObject,
  checkResponseMode,
  checkResponseType,
  checkScope,
  checkSession,
  checkState,
  runAuthorizeChecks,
  type AuthorizeCheck,
  type AuthorizeState,
} from '../../src/tokens/authorize-checks.js';
import { OAuthError } from '../../src/tokens/oauth-errors.js';
import type { Params } from '../../src/tokens/params.js';
import {
  CLIENT_REDIRECT,
  createFakeProvider,
  ISSUER,
  sessionSignedIn,
  testClient,
  type FakeProvider,
} from '../support/provider-context.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const SELF = `${ISSUER}/oauth/authorize?client_id=lkc_test`;

/** What a check did: the code it refused with, or the state it left. */
async function outcomeOf(
  p: FakeProvider,
  check: AuthorizeCheck,
  params: Params,
  state: AuthorizeState = {},
  sessionToken: string | null = null,
): Promise<{ refused: string; page: boolean } | { state: AuthorizeState }> {
  try {
    await check({ params, sessionToken, selfUrl: SELF }, state, p.ctx);
    return { state };
  } catch (error) {
    assert.ok(error instanceof AppError, `a check throws AppErrors only: ${String(error)}`);
    return { refused: error.code, page: !(error instanceof OAuthError) };
  }
}

/** The state the checks before checkSession leave for a good request. */
const checkedState = (extra: Partial<AuthorizeState> = {}): AuthorizeState => ({
  client: testClient(),
  redirectUri: CLIENT_REDIRECT,
  challenge: CHALLENGE,
  scope: ['openid'],
  audience: ['https://ads-api.example'],
  nonce: null,
  prompt: [],
  loginHint: null,
  ...extra,
});

describe('the authorization request checks, one by one', () => {
  let p: FakeProvider;
  beforeEach(() => {
    p = createFakeProvider();
  });

  it('when the checks are listed, then they run in this order: the client and its redirect URI (refusals shown as a page), the request, then the session', () => {
    assert.deepEqual(
      authorizeChecks.map((check) => check.name),
      [
        'checkClient',
        'checkRedirectUri',
        'checkState',
        'checkResponseType',
        'checkRequestObject',
        'checkResponseMode',
        'checkClientMayUseCode',
        'checkPkce',
        'checkScope',
        'checkAudience',
        'checkNonce',
        'checkPrompt',
        'checkMaxAge',
        'checkAcr',
        'checkLoginHint',
        'checkSession',
        'checkAccountActive',
      ],
    );
  });

  type Case = {
    when: string;
    check: AuthorizeCheck;
    params: Params;
    state?: AuthorizeState;
    setup?: (p: FakeProvider) => void;
    sessionToken?: string;
    refused?: string;
    page?: boolean;
    leaves?: Partial<AuthorizeState>;
  };
  const cases: Case[] = [
    // checkClient
    {
      when: 'the client is known and active',
      check: checkClient,
      params: { client_id: 'lkc_test' },
      leaves: { client: testClient() },
    },
    {
      when: 'client_id is missing',
      check: checkClient,
      params: {},
      refused: 'invalid_client',
      page: true,
    },
    {
      when: 'the client is unknown',
      check: checkClient,
      params: { client_id: 'lkc_nobody' },
      refused: 'invalid_client',
      page: true,
    },
    {
      when: 'the client is disabled',
      check: checkClient,
      params: { client_id: 'lkc_test' },
      setup: (p) => p.clients.set('lkc_test', testClient({ active: false })),
      refused: 'invalid_client',
      page: true,
    },
    {
      when: 'client_id is given twice',
      check: checkClient,
      params: { client_id: ['lkc_test', 'lkc_test'] },
      refused: 'invalid_request',
    },
    {
      when: 'redirect_uri is given twice',
      check: checkClient,
      params: { client_id: 'lkc_test', redirect_uri: [CLIENT_REDIRECT, CLIENT_REDIRECT] },
      refused: 'invalid_request',
    },
    // checkRedirectUri
    {
      when: 'redirect_uri is registered, exactly',
      check: checkRedirectUri,
      params: { redirect_uri: CLIENT_REDIRECT },
      state: { client: testClient() },
      leaves: { redirectUri: CLIENT_REDIRECT },
    },
    {
      when: 'redirect_uri is missing',
      check: checkRedirectUri,
      params: {},
      state: { client: testClient() },
      refused: 'invalid_redirect_uri',
      page: true,
    },
    {
      when: 'redirect_uri is a near miss',
      check: checkRedirectUri,
      params: { redirect_uri: `${CLIENT_REDIRECT}/` },
      state: { client: testClient() },
      refused: 'invalid_redirect_uri',
      page: true,
    },
    // checkState
    { when: 'state is given once', check: checkState, params: { state: 's' }, leaves: {} },
    {
      when: 'state is given twice',
      check: checkState,
      params: { state: ['a', 'b'] },
      refused: 'invalid_request',
    },
    // checkResponseType
    {
      when: 'response_type is code',
      check: checkResponseType,
      params: { response_type: 'code' },
      leaves: {},
    },
    {
      when: 'response_type is missing',
      check: checkResponseType,
      params: {},
      refused: 'invalid_request',
    },
    {
      when: 'response_type is token (implicit)',
      check: checkResponseType,
      params: { response_type: 'token' },
      refused: 'unsupported_response_type',
    },
    // checkRequestObject
    { when: 'there is no request object', check: checkRequestObject, params: {}, leaves: {} },
    {
      when: 'a request object is sent',
      check: checkRequestObject,
      params: { request: 'eyJ.x.y' },
      refused: 'request_not_supported',
    },
    {
      when: 'a request_uri is sent',
      check: checkRequestObject,
      params: { request_uri: 'https://x' },
      refused: 'request_uri_not_supported',
    },
    // checkResponseMode
    {
      when: 'response_mode is query',
      check: checkResponseMode,
      params: { response_mode: 'query' },
      leaves: {},
    },
    {
      when: 'response_mode is fragment',
      check: checkResponseMode,
      params: { response_mode: 'fragment' },
      refused: 'invalid_request',
    },
    // checkClientMayUseCode
    {
      when: 'the client registered authorization_code',
      check: checkClientMayUseCode,
      params: {},
      state: { client: testClient() },
      leaves: {},
    },
    {
      when: 'the client did not register authorization_code',
      check: checkClientMayUseCode,
      params: {},
      state: { client: testClient({ grantTypes: ['client_credentials'] }) },
      refused: 'unauthorized_client',
    },
    // checkPkce
    {
      when: 'an S256 challenge is sent',
      check: checkPkce,
      params: { code_challenge: CHALLENGE, code_challenge_method: 'S256' },
      leaves: { challenge: CHALLENGE },
    },
    {
      when: 'no challenge is sent',
      check: checkPkce,
      params: { code_challenge_method: 'S256' },
      refused: 'invalid_request',
    },
    {
      when: 'the challenge is malformed',
      check: checkPkce,
      params: { code_challenge: 'short', code_challenge_method: 'S256' },
      refused: 'invalid_request',
    },
    {
      when: 'the method is plain',
      check: checkPkce,
      params: { code_challenge: CHALLENGE, code_challenge_method: 'plain' },
      refused: 'invalid_request',
    },
    {
      when: 'no method is sent',
      check: checkPkce,
      params: { code_challenge: CHALLENGE },
      refused: 'invalid_request',
    },
    // checkScope
    {
      when: 'no scope is sent',
      check: checkScope,
      params: {},
      state: { client: testClient() },
      leaves: { scope: ['openid'] },
    },
    {
      when: 'allowed scopes are sent, one twice',
      check: checkScope,
      params: { scope: 'openid email openid' },
      state: { client: testClient() },
      leaves: { scope: ['openid', 'email'] },
    },
    {
      when: 'a scope outside the client is sent',
      check: checkScope,
      params: { scope: 'openid admin' },
      state: { client: testClient() },
      refused: 'invalid_scope',
    },
    {
      when: 'the scope is malformed',
      check: checkScope,
      params: { scope: 'openid "x"' },
      state: { client: testClient() },
      refused: 'invalid_scope',
    },
    // checkAudience
    {
      when: 'no resource is sent',
      check: checkAudience,
      params: {},
      state: { client: testClient() },
      leaves: { audience: ['https://ads-api.example'] },
    },
    {
      when: "one of the client's audiences is sent",
      check: checkAudience,
      params: { resource: 'https://ads-api.example' },
      state: { client: testClient() },
      leaves: { audience: ['https://ads-api.example'] },
    },
    {
      when: 'another audience is sent',
      check: checkAudience,
      params: { audience: 'https://billing.example' },
      state: { client: testClient() },
      refused: 'invalid_target',
    },
    // checkNonce
    {
      when: 'a nonce is sent',
      check: checkNonce,
      params: { nonce: 'n-1' },
      leaves: { nonce: 'n-1' },
    },
    { when: 'no nonce is sent', check: checkNonce, params: {}, leaves: { nonce: null } },
    {
      when: 'the nonce is sent twice',
      check: checkNonce,
      params: { nonce: ['a', 'b'] },
      refused: 'invalid_request',
    },
    // checkPrompt
    {
      when: 'prompt=login consent',
      check: checkPrompt,
      params: { prompt: 'login consent' },
      leaves: { prompt: ['login', 'consent'] },
    },
    {
      when: 'prompt=none alone',
      check: checkPrompt,
      params: { prompt: 'none' },
      leaves: { prompt: ['none'] },
    },
    {
      when: 'prompt=none is combined',
      check: checkPrompt,
      params: { prompt: 'none login' },
      refused: 'invalid_request',
    },
    // checkMaxAge
    {
      when: 'max_age is a number',
      check: checkMaxAge,
      params: { max_age: '300' },
      leaves: { maxAge: '300' },
    },
    {
      when: 'max_age is not a number',
      check: checkMaxAge,
      params: { max_age: '-1' },
      refused: 'invalid_request',
    },
    // checkAcr
    {
      when: 'acr_values names known and unknown values (the weakest known is asked)',
      check: checkAcr,
      params: { acr_values: 'urn:example:gold urn:latchkey:loa:phr urn:latchkey:loa:mfa' },
      state: checkedState(),
      leaves: { acr: 'urn:latchkey:loa:mfa' },
    },
    {
      when: 'acr_values names only unknown values (voluntary: nothing is asked)',
      check: checkAcr,
      params: { acr_values: 'urn:example:gold' },
      state: checkedState(),
      leaves: { acr: null },
    },
    {
      when: 'no acr is asked and the client registered default_acr_values (they apply)',
      check: checkAcr,
      params: {},
      state: checkedState({
        client: { ...testClient(), defaultAcrValues: ['urn:latchkey:loa:mfa'] },
      }),
      leaves: { acr: 'urn:latchkey:loa:mfa' },
    },
    {
      when: 'an essential acr claim names a known value',
      check: checkAcr,
      params: {
        claims: JSON.stringify({
          id_token: { acr: { essential: true, values: ['urn:latchkey:loa:phr'] } },
        }),
      },
      state: checkedState(),
      leaves: { acr: 'urn:latchkey:loa:phr' },
    },
    {
      when: 'an essential acr claim names only unknown values',
      check: checkAcr,
      params: {
        claims: JSON.stringify({ id_token: { acr: { essential: true, value: 'urn:example:x' } } }),
      },
      state: checkedState(),
      refused: 'unmet_authentication_requirements',
    },
    {
      when: 'claims is not JSON',
      check: checkAcr,
      params: { claims: '{' },
      state: checkedState(),
      refused: 'invalid_request',
    },
    // checkLoginHint
    {
      when: 'a login_hint is sent',
      check: checkLoginHint,
      params: { login_hint: 'a@acme.example' },
      leaves: { loginHint: 'a@acme.example' },
    },
    {
      when: 'login_hint is sent twice',
      check: checkLoginHint,
      params: { login_hint: ['a', 'b'] },
      refused: 'invalid_request',
    },
    // checkAccountActive
    {
      when: "the session's user and org are active",
      check: checkAccountActive,
      params: {},
      setup: (p) => p.sessions.set('t', sessionSignedIn(p.clock, 0)),
      state: checkedState({
        session: {
          id: 'sid-1',
          orgId: 'org-1',
          userId: 'user-1',
          amr: [],
          acr: null,
          authTime: 0,
          expiresAtMs: 0,
        },
      }),
      leaves: {},
    },
    {
      when: "the session's user is deactivated",
      check: checkAccountActive,
      params: {},
      setup: (p) => {
        p.user.active = false;
      },
      state: checkedState({
        session: {
          id: 'sid-1',
          orgId: 'org-1',
          userId: 'user-1',
          amr: [],
          acr: null,
          authTime: 0,
          expiresAtMs: 0,
        },
      }),
      refused: 'access_denied',
    },
    {
      when: "the session's org is disabled",
      check: checkAccountActive,
      params: {},
      setup: (p) => {
        p.org.active = false;
      },
      state: checkedState({
        session: {
          id: 'sid-1',
          orgId: 'org-1',
          userId: 'user-1',
          amr: [],
          acr: null,
          authTime: 0,
          expiresAtMs: 0,
        },
      }),
      refused: 'access_denied',
    },
  ];

  for (const c of cases) {
    it(`${c.check.name}: when ${c.when}, then ${c.refused ? `it refuses with ${c.refused}${c.page ? ' (a page)' : ''}` : 'it passes'}`, async () => {
      c.setup?.(p);
      const outcome = await outcomeOf(
        p,
        c.check,
        c.params,
        structuredClone(c.state ?? {}),
        c.sessionToken ?? null,
      );
      if (c.refused) {
        assert.ok('refused' in outcome, `expected a refusal, got ${JSON.stringify(outcome)}`);
        assert.equal(outcome.refused, c.refused);
        assert.equal(outcome.page, c.page ?? false);
      } else {
        assert.ok('state' in outcome, `expected a pass, got ${JSON.stringify(outcome)}`);
        for (const [key, value] of Object.entries(c.leaves ?? {}))
          assert.deepEqual(outcome.state[key as keyof AuthorizeState], value, key);
      }
    });
  }

  describe('checkSession', () => {
    it('when the browser has a live session and nothing forces a sign-in, then it is the session', async () => {
      p.sessions.set('t', sessionSignedIn(p.clock, 60));
      const outcome = await outcomeOf(p, checkSession, {}, checkedState(), 't');
      assert.ok('state' in outcome);
      assert.equal(outcome.state.session?.id, 'sid-1');
      assert.equal(outcome.state.login, undefined);
    });

    it('when there is no session, then the browser goes to sign in, with the login hint and no marker', async () => {
      const outcome = await outcomeOf(
        p,
        checkSession,
        {},
        checkedState({ loginHint: 'a@acme.example' }),
      );
      assert.ok('state' in outcome);
      assert.equal(outcome.state.login?.loginHint, 'a@acme.example');
      assert.doesNotMatch(outcome.state.login.returnTo, /lk_auth_after/);
      assert.match(outcome.state.login.returnTo, /^\/oauth\/authorize\?client_id=lkc_test/);
    });

    it('when there is no session and prompt=none, then login_required', async () => {
      const outcome = await outcomeOf(p, checkSession, {}, checkedState({ prompt: ['none'] }));
      assert.deepEqual(outcome, { refused: 'login_required', page: false });
    });

    it('when the session is older than max_age, then the browser goes to sign in with a signed marker', async () => {
      p.sessions.set('t', sessionSignedIn(p.clock, 600));
      const outcome = await outcomeOf(p, checkSession, {}, checkedState({ maxAge: '300' }), 't');
      assert.ok('state' in outcome);
      assert.match(outcome.state.login!.returnTo, /lk_auth_after=\d+\.[\w-]{43}/);
    });

    it('when prompt=login comes back with the marker and a session from after it, then it is the session; with a forged marker, sign in again', async () => {
      const marker = p.ctx.reauthentication.issue(p.ctx.now(), 'lkc_test', CHALLENGE);
      p.clock.advance(30_000);
      p.sessions.set('t', sessionSignedIn(p.clock, 10));
      const state = checkedState({ prompt: ['login'] });
      const good = await outcomeOf(
        p,
        checkSession,
        { lk_auth_after: marker },
        structuredClone(state),
        't',
      );
      assert.ok('state' in good);
      assert.equal(good.state.session?.id, 'sid-1');
      const forged = `${marker.split('.')[0]}.${'A'.repeat(43)}`;
      const bad = await outcomeOf(
        p,
        checkSession,
        { lk_auth_after: forged },
        structuredClone(state),
        't',
      );
      assert.ok('state' in bad);
      assert.ok(bad.state.login);
    });

    it('when the session proved less than the acr asked, then the browser goes to sign in again asking for it (step-up); a session that proved it is the session', async () => {
      p.sessions.set('t', { ...sessionSignedIn(p.clock, 60), acr: 'urn:latchkey:loa:pwd' });
      const state = checkedState({ acr: 'urn:latchkey:loa:mfa' });
      const weak = await outcomeOf(p, checkSession, {}, structuredClone(state), 't');
      assert.ok('state' in weak);
      assert.equal(weak.state.session, undefined);
      assert.match(weak.state.login!.returnTo, /[?&]lk_acr=urn%3Alatchkey%3Aloa%3Amfa/);
      p.sessions.set('t', { ...sessionSignedIn(p.clock, 60), acr: 'urn:latchkey:loa:phr' });
      const strong = await outcomeOf(p, checkSession, {}, structuredClone(state), 't');
      assert.ok('state' in strong);
      assert.equal(strong.state.session?.id, 'sid-1');
    });

    it('when lk_auth_after is given twice, then invalid_request', async () => {
      const outcome = await outcomeOf(
        p,
        checkSession,
        { lk_auth_after: ['1', '2'] },
        checkedState(),
      );
      assert.deepEqual(outcome, { refused: 'invalid_request', page: false });
    });
  });

  it('when the whole list runs on a good request with a session, then it ends with the session and the values the code is issued with', async () => {
    p.sessions.set('t', sessionSignedIn(p.clock, 5));
    const state = await runAuthorizeChecks(
      {
        params: {
          client_id: 'lkc_test',
          redirect_uri: CLIENT_REDIRECT,
          response_type: 'code',
          code_challenge: CHALLENGE,
          code_challenge_method: 'S256',
          scope: 'openid email',
          nonce: 'n',
        },
        sessionToken: 't',
        selfUrl: SELF,
      },
      p.ctx,
    );
    assert.equal(state.session?.id, 'sid-1');
    assert.deepEqual(state.scope, ['openid', 'email']);
    assert.equal(state.nonce, 'n');
    assert.equal(state.login, undefined);
  });

  it('when the list sends the browser to sign in, then the checks after checkSession do not run', async () => {
    p.user.active = false;
    const state = await runAuthorizeChecks(
      {
        params: {
          client_id: 'lkc_test',
          redirect_uri: CLIENT_REDIRECT,
          response_type: 'code',
          code_challenge: CHALLENGE,
          code_challenge_method: 'S256',
        },
        sessionToken: null,
        selfUrl: SELF,
      },
      p.ctx,
    );
    assert.ok(state.login);
  });
});
