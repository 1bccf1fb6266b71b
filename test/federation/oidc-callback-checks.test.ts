import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionForLogin } from '../../src/connections/index.js';
import type { LoginTransaction } from '../../src/federation/login-transaction.js';
import {
  checkAuthTime,
  checkAuthTimeFresh,
  checkCodeExchange,
  checkConnection,
  checkRedirectUri,
  checkStatePresent,
  checkTransaction,
  oidcCallbackChecks,
  runOidcCallbackChecks,
  type OidcCallback,
  type OidcCallbackContext,
  type OidcCallbackState,
} from '../../src/federation/oidc/callback-checks.js';
import { UpstreamError } from '../../src/federation/oidc/oidc-upstream.js';

/**
 * The OIDC callback checks one by one, without a server or an IdP: the transaction store,
 * the connection and the code exchange are stand-ins, so each check's reason code is
 * pinned on its own (test/federation/oidc-login.test.ts drives the same codes end to end).
 */
const CONNECTION_ID = '00000000-0000-4000-8000-000000000001';
const OTHER_ID = '00000000-0000-4000-8000-000000000002';

const tx = (over: Partial<LoginTransaction> = {}): LoginTransaction => ({
  connectionId: CONNECTION_ID,
  orgId: 'org-1',
  protocol: 'oidc',
  state: 'the-state',
  nonce: 'the-nonce',
  codeVerifier: 'the-verifier',
  returnTo: '/account',
  startedAtMs: 1_000,
  bindingHash: 'hash',
  ...over,
});

const connection = (over: Record<string, unknown> = {}): ConnectionForLogin =>
  ({
    id: CONNECTION_ID,
    orgId: 'org-1',
    name: 'Acme',
    type: 'oidc',
    status: 'active',
    version: 3,
    clientSecret: 's3cret',
    settings: {
      issuer: 'https://idp.acme.test',
      clientId: 'latchkey',
      scopes: ['openid', 'email'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
    ...over,
  }) as unknown as ConnectionForLogin;

const callback = (query: string, over: Partial<OidcCallback> = {}): OidcCallback => ({
  url: new URL(`https://latchkey.test/login/oidc/callback/${CONNECTION_ID}?${query}`),
  binding: 'binding',
  arrivedFor: CONNECTION_ID,
  ...over,
});

const context = (over: Partial<OidcCallbackContext> = {}): OidcCallbackContext => ({
  takeTransaction: async () => Promise.resolve({ ok: true, tx: tx() }),
  connectionForLogin: async () => Promise.resolve(connection()),
  exchangeCode: async () => Promise.resolve({ claims: { sub: 'alice' }, sid: 'sid-1' }),
  clockToleranceSeconds: 30,
  ...over,
});

/** The check's outcome: 'passed' or the reason code it refused with. */
const outcome = async (run: () => Promise<void>): Promise<string> => {
  try {
    await run();
    return 'passed';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('the OIDC callback checks, one by one', () => {
  it('when the checks are listed, then they run in this order: what is local (state, transaction, redirect URI, connection), then the one call to the IdP', () => {
    assert.deepEqual(
      oidcCallbackChecks.map((check) => check.name),
      [
        'checkStatePresent',
        'checkTransaction',
        'checkRedirectUri',
        'checkConnection',
        'checkCodeExchange',
        'checkAuthTime',
        'checkAuthTimeFresh',
      ],
    );
  });

  it('when a genuine callback is checked, then the transaction, connection and the IdP identity come out', async () => {
    const done = await runOidcCallbackChecks(callback('code=c&state=the-state'), context());
    assert.equal(done.tx.returnTo, '/account');
    assert.equal(done.connection.id, CONNECTION_ID);
    assert.deepEqual(done.upstream, { claims: { sub: 'alice' }, sid: 'sid-1' });
  });

  it('when a check refuses, then the later checks do not run (the IdP is never called)', async () => {
    let exchanged = false;
    const ctx = context({
      exchangeCode: async () => {
        exchanged = true;
        return Promise.resolve({ claims: {}, sid: null });
      },
    });
    const code = await outcome(async () => {
      await runOidcCallbackChecks(callback('code=c&state=s', { arrivedFor: null }), ctx);
    });
    assert.equal(code, 'redirect_uri_mismatch');
    assert.equal(exchanged, false);
  });

  describe('checkAuthTime', () => {
    it('when max_age was sent, then an ID token without a numeric auth_time is refused with id_token_auth_time_missing; with it, or when none was sent, it passes', async () => {
      const asked = tx({ upstreamMaxAgeSeconds: 0 });
      const run = (t: LoginTransaction, claims: Record<string, unknown>) =>
        outcome(() => checkAuthTime(callback(''), { tx: t, upstream: { claims, sid: null } }));
      assert.equal(await run(asked, { sub: 'a' }), 'id_token_auth_time_missing');
      assert.equal(await run(asked, { sub: 'a', auth_time: '1' }), 'id_token_auth_time_missing');
      assert.equal(await run(asked, { sub: 'a', auth_time: 1_700_000_000 }), 'passed');
      assert.equal(await run(tx(), { sub: 'a' }), 'passed');
    });
  });

  describe('checkAuthTimeFresh', () => {
    // The request was sent at 1_700_000_000.5 s; max_age and the 30 s tolerance count from there.
    const sentAtMs = 1_700_000_000_500;
    const run = (t: LoginTransaction, authTime: unknown) =>
      outcome(() =>
        checkAuthTimeFresh(
          callback(''),
          { tx: t, upstream: { claims: { sub: 'a', auth_time: authTime }, sid: null } },
          context(),
        ),
      );

    it('when max_age=0 was sent and the IdP signed the person in before the request, beyond the clock tolerance, then id_token_auth_time_too_old', async () => {
      const forced = tx({ upstreamMaxAgeSeconds: 0, startedAtMs: sentAtMs });
      assert.equal(await run(forced, 1_700_000_000 - 31), 'id_token_auth_time_too_old');
      assert.equal(await run(forced, 1_600_000_000), 'id_token_auth_time_too_old');
    });

    it('when the IdP signed the person in after the request, or exactly at the limit (max_age plus the tolerance), then it passes', async () => {
      const forced = tx({ upstreamMaxAgeSeconds: 0, startedAtMs: sentAtMs });
      assert.equal(await run(forced, 1_700_000_012), 'passed');
      assert.equal(await run(forced, 1_700_000_000 - 30), 'passed');
      const maxAge = tx({ upstreamMaxAgeSeconds: 600, startedAtMs: sentAtMs });
      assert.equal(await run(maxAge, 1_700_000_000 - 600 - 30), 'passed');
      assert.equal(await run(maxAge, 1_700_000_000 - 600 - 31), 'id_token_auth_time_too_old');
    });

    it('when no max_age was sent, then an old auth_time passes (nothing was asked of it)', async () => {
      assert.equal(await run(tx({ startedAtMs: sentAtMs }), 1_600_000_000), 'passed');
      assert.equal(await run(tx({ upstreamMaxAgeSeconds: null }), 1), 'passed');
    });
  });

  describe('checkStatePresent', () => {
    it('when state is absent or empty, then state_missing; when present, it is kept for the next checks', async () => {
      assert.equal(await outcome(() => checkStatePresent(callback('code=c'), {})), 'state_missing');
      assert.equal(
        await outcome(() => checkStatePresent(callback('code=c&state='), {})),
        'state_missing',
      );
      const state: OidcCallbackState = {};
      await checkStatePresent(callback('code=c&state=abc'), state);
      assert.equal(state.state, 'abc');
    });
  });

  describe('checkTransaction', () => {
    it('when the state names no transaction (expired or replayed), then transaction_not_found', async () => {
      const ctx = context({
        takeTransaction: async () => Promise.resolve({ ok: false, reason: 'missing' }),
      });
      assert.equal(
        await outcome(() => checkTransaction(callback(''), { state: 's' }, ctx)),
        'transaction_not_found',
      );
    });

    it("when the transaction is another browser's, then transaction_foreign_browser (login CSRF)", async () => {
      const ctx = context({
        takeTransaction: async () => Promise.resolve({ ok: false, reason: 'foreign' }),
      });
      assert.equal(
        await outcome(() => checkTransaction(callback(''), { state: 's' }, ctx)),
        'transaction_foreign_browser',
      );
    });

    it("when found, then it was taken with the callback's state and binding, and is kept", async () => {
      const asked: Array<[string, string | null]> = [];
      const ctx = context({
        takeTransaction: async (state, binding) => {
          asked.push([state, binding]);
          return Promise.resolve({ ok: true, tx: tx() });
        },
      });
      const state: OidcCallbackState = { state: 's' };
      await checkTransaction(callback('', { binding: 'b' }), state, ctx);
      assert.deepEqual(asked, [['s', 'b']]);
      assert.equal(state.tx?.connectionId, CONNECTION_ID);
    });
  });

  describe('checkRedirectUri', () => {
    it("when the answer arrives on another connection's redirect URI, the shared one, or for a SAML transaction, then redirect_uri_mismatch", async () => {
      const at = (arrivedFor: string | null, t = tx()) =>
        outcome(() => checkRedirectUri(callback('', { arrivedFor }), { tx: t }));
      assert.equal(await at(CONNECTION_ID), 'passed');
      assert.equal(await at(OTHER_ID), 'redirect_uri_mismatch');
      assert.equal(await at(null), 'redirect_uri_mismatch');
      assert.equal(await at(CONNECTION_ID, tx({ protocol: 'saml' })), 'redirect_uri_mismatch');
    });
  });

  describe('checkConnection', () => {
    it('when the connection is gone, SAML, without its secret or disabled, then connection_unavailable; a draft still completes', async () => {
      const withConnection = (c: ConnectionForLogin | null) =>
        outcome(() =>
          checkConnection(
            callback(''),
            { tx: tx() },
            context({ connectionForLogin: async () => Promise.resolve(c) }),
          ),
        );
      assert.equal(await withConnection(null), 'connection_unavailable');
      assert.equal(await withConnection(connection({ type: 'saml' })), 'connection_unavailable');
      assert.equal(
        await withConnection(connection({ clientSecret: null })),
        'connection_unavailable',
      );
      assert.equal(
        await withConnection(connection({ status: 'disabled' })),
        'connection_unavailable',
      );
      assert.equal(await withConnection(connection({ status: 'draft' })), 'passed');
      assert.equal(await withConnection(connection()), 'passed');
    });
  });

  describe('checkCodeExchange', () => {
    const exchangeFailing = (error: Error) => {
      const state: OidcCallbackState = {
        tx: tx(),
        connection: connection() as OidcCallbackState['connection'],
      };
      const ctx = context({ exchangeCode: async () => Promise.reject(error) });
      return checkCodeExchange(callback('code=c&state=the-state'), state, ctx).then(
        () => ({ code: 'passed', message: '' }),
        (e: { code: string; message: string; cause?: unknown }) => {
          assert.equal(e.cause, error);
          return { code: e.code, message: e.message };
        },
      );
    };

    it("when openid-client's checks refuse, then their reason code is kept (RFC 9207 iss, PKCE, nonce, the ID token)", async () => {
      for (const reason of [
        'issuer_mismatch',
        'code_rejected',
        'nonce_mismatch',
        'state_mismatch',
        'audience_mismatch',
        'id_token_expired',
        'id_token_signature_invalid',
      ]) {
        const refused = await exchangeFailing(new UpstreamError(reason, 'detail'));
        assert.equal(refused.code, reason);
        assert.equal(refused.message, 'Your company sign-in could not be verified.');
      }
    });

    it('when the IdP answers with an error or cannot be reached, then an idp_ code and a message that says the service did not complete it', async () => {
      const refused = await exchangeFailing(new UpstreamError('idp_access_denied', 'x'));
      assert.deepEqual(refused, {
        code: 'idp_access_denied',
        message: 'Your company sign-in service did not complete the sign-in.',
      });
    });

    it('when something unexpected fails, then id_token_invalid (fail closed)', async () => {
      assert.equal((await exchangeFailing(new Error('boom'))).code, 'id_token_invalid');
    });

    it("when it passes, then the IdP was asked with the transaction's state, nonce and PKCE verifier, and the connection's settings", async () => {
      const asked: unknown[] = [];
      const state: OidcCallbackState = {
        tx: tx(),
        connection: connection() as OidcCallbackState['connection'],
      };
      const ctx = context({
        exchangeCode: async (conn, _url, expected) => {
          asked.push(conn, expected);
          return Promise.resolve({ claims: { sub: 'alice' }, sid: null });
        },
      });
      await checkCodeExchange(callback('code=c&state=the-state'), state, ctx);
      assert.deepEqual(asked, [
        {
          id: CONNECTION_ID,
          version: 3,
          issuer: 'https://idp.acme.test',
          clientId: 'latchkey',
          clientSecret: 's3cret',
          scopes: ['openid', 'email'],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
        { state: 'the-state', nonce: 'the-nonce', codeVerifier: 'the-verifier' },
      ]);
      assert.deepEqual(state.upstream, { claims: { sub: 'alice' }, sid: null });
    });
  });
});
