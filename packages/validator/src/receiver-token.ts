/** Renew this long before the receiver's access token expires (or a tenth of its life). */
const RENEW_MARGIN_MS = 10_000;
const REQUEST_TIMEOUT_MS = 5_000;

/** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic's base64. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/**
 * The receiver's access token for the SSF endpoints, by client credentials (RFC 6749
 * §4.4) at `<issuer>/oauth/token` with `scope=ssf` and `resource=<issuer>/ssf` (RFC 8707).
 * Renewed before it expires, and on demand after a 401.
 */
export function createReceiverToken(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof globalThis.fetch;
  /** Aborts a request under way when the validator closes. */
  signal: AbortSignal;
}) {
  let current: { accessToken: string; renewAtMs: number } | null = null;
  let pending: Promise<string> | null = null;

  async function request(): Promise<string> {
    const response = await options.fetch(`${options.issuer}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(options.clientId, options.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'ssf',
        resource: `${options.issuer}/ssf`,
      }).toString(),
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `Token endpoint answered ${response.status} to the receiver's client credentials.`,
      );
    }
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || !body.access_token)
      throw new Error('Token endpoint answered without an access_token.');
    const lifeMs = (typeof body.expires_in === 'number' ? body.expires_in : 300) * 1000;
    const marginMs = Math.min(RENEW_MARGIN_MS, lifeMs / 10);
    current = { accessToken: body.access_token, renewAtMs: Date.now() + lifeMs - marginMs };
    return body.access_token;
  }

  return {
    /** A token good for a while yet: the one held, or a new one. */
    async get(): Promise<string> {
      if (current && Date.now() < current.renewAtMs) return current.accessToken;
      pending ??= request().finally(() => {
        pending = null;
      });
      return pending;
    },
    /** The SSF endpoint refused the token (401): the next get asks for a new one. */
    invalidate(rejected: string): void {
      if (current?.accessToken === rejected) current = null;
    },
  };
}

export type ReceiverToken = ReturnType<typeof createReceiverToken>;
