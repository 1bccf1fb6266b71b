import { randomBytes } from 'node:crypto';
import { constantTimeEqual, sha256Hex } from '../platform/crypto/index.js';
import type { EphemeralStore } from '../platform/redis/index.js';
import type { AssuranceLevel } from './assurance.js';

/**
 * The server-side half of a login in progress (state, nonce, PKCE verifier or SAML request
 * ID, connection, return target), kept 10 minutes and usable once; a browser has at most
 * one (its next begin removes it). For SAML the state is the RelayState handle. The
 * browser holds only a random binding secret (and the transaction's key) in an HttpOnly
 * cookie; the callback must come back in the same browser
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
  /** A test sign-in (connection-tests/): it ends in the test's report, never a session. */
  test?: { id: string } | null;
  bindingHash: string;
  /** The level of assurance the sign-in was asked to prove (federation/assurance.ts). */
  assurance?: AssuranceLevel | null;
  /** OIDC: the max_age sent to the IdP (its ID token must then carry auth_time), or null. */
  upstreamMaxAgeSeconds?: number | null;
}

export const LOGIN_TRANSACTION_TTL_MS = 10 * 60_000;

/**
 * The transaction cookie's value: `<binding>.<stateHash>`, the browser's binding secret
 * and the key of its transaction (so that the browser's next begin can remove it). A
 * cookie of earlier versions is the binding alone (no dot); it still completes its login.
 */
export function parseTransactionCookie(
  value: string | null,
): { binding: string; stateHash: string | null } | null {
  if (!value) return null;
  const dot = value.indexOf('.');
  if (dot < 0) return { binding: value, stateHash: null };
  const stateHash = value.slice(dot + 1);
  return {
    binding: value.slice(0, dot),
    stateHash: /^[0-9a-f]{64}$/.test(stateHash) ? stateHash : null,
  };
}

export function createLoginTransactions(store: EphemeralStore) {
  const keyOfHash = (stateHash: string) => `ltx:${stateHash}`;
  const key = (state: string) => keyOfHash(sha256Hex(state));
  return {
    /** Stores the transaction; returns the transaction cookie's value (see parseTransactionCookie). */
    async begin(tx: Omit<LoginTransaction, 'bindingHash'>): Promise<string> {
      const binding = randomBytes(32).toString('base64url');
      await store.put(
        key(tx.state),
        JSON.stringify({ ...tx, bindingHash: sha256Hex(binding) }),
        LOGIN_TRANSACTION_TTL_MS,
      );
      return `${binding}.${sha256Hex(tx.state)}`;
    },
    /**
     * Takes the transaction for this state (once), and checks it belongs to this
     * browser (the transaction cookie's binding). `missing` also covers a replayed
     * callback; `foreign` a callback completed in a browser that did not start the login.
     */
    async complete(
      state: string,
      cookie: string | null,
    ): Promise<{ ok: true; tx: LoginTransaction } | { ok: false; reason: 'missing' | 'foreign' }> {
      const raw = await store.take(key(state));
      if (!raw) return { ok: false, reason: 'missing' };
      const tx = JSON.parse(raw) as LoginTransaction;
      const binding = parseTransactionCookie(cookie)?.binding;
      if (!binding || !constantTimeEqual(sha256Hex(binding), tx.bindingHash))
        return { ok: false, reason: 'foreign' };
      return { ok: true, tx };
    },
    /**
     * Removes the transaction the browser's previous begin left (its cookie, sent to a new
     * begin): at most one open login per browser. Only a transaction bound to this
     * cookie's binding is removed: state values are seen in IdP URLs, so a cookie naming
     * another browser's state hash must remove nothing. A get, then a delete (no atomic
     * compare-and-delete is needed): a transaction's key is the hash of its random state
     * and is written once, so what the delete removes is the transaction just read, or
     * nothing (its callback took it meanwhile). Returns the transaction removed, or null.
     */
    async abandonPrevious(cookie: string | null): Promise<LoginTransaction | null> {
      const previous = parseTransactionCookie(cookie);
      if (!previous?.stateHash) return null;
      const raw = await store.get(keyOfHash(previous.stateHash));
      if (!raw) return null;
      const tx = JSON.parse(raw) as LoginTransaction;
      if (!constantTimeEqual(sha256Hex(previous.binding), tx.bindingHash)) return null;
      return (await store.delete(keyOfHash(previous.stateHash))) ? tx : null;
    },
    /** The transaction for this state, left in place (whatever the browser), or null. */
    async peek(state: string): Promise<LoginTransaction | null> {
      const raw = await store.get(key(state));
      return raw ? (JSON.parse(raw) as LoginTransaction) : null;
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
