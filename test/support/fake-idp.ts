import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, base64url, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * A small, deliberately bendable OpenID Provider for the tests of Latchkey's OIDC login:
 * real discovery, JWKS, authorization and token endpoints, whose ID tokens can be made
 * wrong one way at a time (issuer, audience, nonce, expiry, signature, alg, kid, claims).
 * Latchkey's relying party (openid-client) talks to it over real HTTP; nothing is mocked
 * on Latchkey's side. The happy path is also covered against oidc-provider.
 */
export interface IdTokenFaults {
  claims?: Record<string, unknown>;
  omit?: string[];
  /** good: the published key; other: a key not published under the same kid; none: alg none; hs256: HMAC with the public key. */
  signWith?: 'good' | 'other' | 'unknown-kid' | 'none' | 'hs256' | 'hs256-client-secret';
  /** id_token_signing_alg_values_supported of discovery (default ES256). */
  advertisedAlgs?: string[];
  /** The `iss` of the authorization response (RFC 9207); default the issuer. */
  responseIss?: string | null;
  /** Answer the authorization request with this error instead of a code. */
  authorizeError?: string;
  /** Answer the token request with this status and OAuth error. */
  tokenError?: { status: number; error: string };
}

export interface FakeIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The identity the next login asserts, and what is wrong with its ID token. */
  next(identity: Record<string, unknown>, faults?: IdTokenFaults): void;
  jwksFetches(): number;
  /** The query of the last authorization request (acr_values, login_hint, …). */
  lastAuthorize(): URLSearchParams | null;
  close(): Promise<void>;
}

/** issParameter false: an IdP without RFC 9207 (neither advertised nor sent), as many are. */
export async function startFakeIdp(options: { issParameter?: boolean } = {}): Promise<FakeIdp> {
  const issParameter = options.issParameter ?? true;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const other = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const clientId = 'latchkey-test';
  const clientSecret = randomBytes(24).toString('base64url');
  let identity: Record<string, unknown> = {};
  let faults: IdTokenFaults = {};
  let jwksFetches = 0;
  let lastAuthorize: URLSearchParams | null = null;
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  let issuer = '';

  const sign = async (claims: Record<string, unknown>) => {
    const how = faults.signWith ?? 'good';
    if (how === 'none') {
      const header = base64url.encode(JSON.stringify({ alg: 'none', kid }));
      return `${header}.${base64url.encode(JSON.stringify(claims))}.`;
    }
    if (how === 'hs256-client-secret') {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(clientSecret));
    }
    if (how === 'hs256') {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    }
    const key = how === 'other' || how === 'unknown-kid' ? other.privateKey : privateKey;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: how === 'unknown-kid' ? randomUUID() : kid })
      .sign(key);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: faults.advertisedAlgs ?? ['ES256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          ...(issParameter ? { authorization_response_iss_parameter_supported: true } : {}),
        });
      }
      if (url.pathname === '/jwks') {
        jwksFetches += 1;
        return json(200, { keys: [publicJwk] });
      }
      if (url.pathname === '/authorize') {
        lastAuthorize = new URLSearchParams(url.searchParams);
        const redirectUri = url.searchParams.get('redirect_uri')!;
        const back = new URL(redirectUri);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        const iss =
          faults.responseIss === undefined ? (issParameter ? issuer : null) : faults.responseIss;
        if (iss !== null) back.searchParams.set('iss', iss);
        if (faults.authorizeError) {
          back.searchParams.set('error', faults.authorizeError);
        } else {
          const code = randomBytes(16).toString('base64url');
          codes.set(code, {
            nonce: url.searchParams.get('nonce') ?? '',
            challenge: url.searchParams.get('code_challenge') ?? '',
            redirectUri,
          });
          back.searchParams.set('code', code);
        }
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const auth = req.headers.authorization ?? '';
        const [id, secret] = Buffer.from(auth.replace(/^Basic /, ''), 'base64')
          .toString()
          .split(':')
          .map(decodeURIComponent);
        if (id !== clientId || secret !== clientSecret)
          return json(401, { error: 'invalid_client' });
        if (faults.tokenError)
          return json(faults.tokenError.status, { error: faults.tokenError.error });
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!grant) return json(400, { error: 'invalid_grant' });
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
        }
        const now = Math.floor(Date.now() / 1000);
        const claims: Record<string, unknown> = {
          iss: issuer,
          aud: clientId,
          iat: now,
          exp: now + 300,
          nonce: grant.nonce,
          ...identity,
          ...faults.claims,
        };
        for (const name of faults.omit ?? []) delete claims[name];
        return json(200, {
          access_token: randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          id_token: await sign(claims),
        });
      }
      json(404, { error: 'not_found' });
    })().catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    next(next, nextFaults = {}) {
      identity = next;
      faults = nextFaults;
    },
    jwksFetches: () => jwksFetches,
    lastAuthorize: () => lastAuthorize,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
