import { randomBytes } from 'node:crypto';
import { constantTimeEqual, sha256Hex } from '../platform/crypto/index.js';
import type { EphemeralStore } from '../platform/redis/index.js';

/**
 * The server-side half of a login in progress (state, nonce, PKCE verifier or SAML request
 * ID, connection, return target), kept 10 minutes and usable once. For SAML the state is
 * the RelayState handle. The browser holds only a random
 * binding secret in an HttpOnly cookie; the callback must come back in the same browser
 * (login CSRF: a code injected into another browser finds no matching binding).
 */
export interface LoginTransaction {
  connectionId: string;
  orgId: string;
  protocol: 'oidc' | 'saml';
  state: string;
  nonce: string | null;
  codeVerifier: string | null;
  /** SAML: the AuthnRequest's ID, which the response must name in InResponseTo. */
  samlRequestId?: string | null;
  returnTo: string;
  startedAtMs: number;
  bindingHash: string;
}

export const LOGIN_TRANSACTION_TTL_MS = 10 * 60_000;

export function createLoginTransactions(store: EphemeralStore) {
  const key = (state: string) => `ltx:${sha256Hex(state)}`;
  return {
    /** Stores the transaction; returns the browser's binding secret for the cookie. */
    async begin(tx: Omit<LoginTransaction, 'bindingHash'>): Promise<string> {
      const binding = randomBytes(32).toString('base64url');
      await store.put(
        key(tx.state),
        JSON.stringify({ ...tx, bindingHash: sha256Hex(binding) }),
        LOGIN_TRANSACTION_TTL_MS,
      );
      return binding;
    },
    /**
     * Takes the transaction for this state (once), and checks it belongs to this
     * browser. `missing` also covers a replayed callback; `foreign` a callback completed
     * in a browser that did not start the login.
     */
    async complete(
      state: string,
      binding: string | null,
    ): Promise<{ ok: true; tx: LoginTransaction } | { ok: false; reason: 'missing' | 'foreign' }> {
      const raw = await store.take(key(state));
      if (!raw) return { ok: false, reason: 'missing' };
      const tx = JSON.parse(raw) as LoginTransaction;
      if (!binding || !constantTimeEqual(sha256Hex(binding), tx.bindingHash))
        return { ok: false, reason: 'foreign' };
      return { ok: true, tx };
    },
    /**
     * Takes the transaction for this state whatever the browser: for a SAML login whose
     * answer the ACS refused after it matched the request (the login cannot complete).
     */
    async discard(state: string): Promise<LoginTransaction | null> {
      const raw = await store.take(key(state));
      return raw ? (JSON.parse(raw) as LoginTransaction) : null;
    },
  };
}

export type LoginTransactions = ReturnType<typeof createLoginTransactions>;
