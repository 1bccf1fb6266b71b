import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const TYPES = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  tokenRevoked: 'https://schemas.latchkey.dev/secevent/token-revoked',
  sessionsRevoked: 'https://schemas.latchkey.dev/secevent/sessions-revoked',
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  verification: 'https://schemas.openid.net/secevent/ssf/event-type/verification',
};

export const RECEIVER = { clientId: 'lkc_receiver', clientSecret: 'receiver secret:1' };
export const AUDIENCE = 'https://reports.example';

const opaque = (id: string) => ({ format: 'opaque', id });
/** NumericDate with millisecond precision, as the transmitter writes it. */
export const nowSeconds = () => Date.now() / 1000;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * A small stand-in for Latchkey's Shared Signals transmitter, written to
 * docs/revocation-events.md: the token endpoint (client credentials), the JWKS, the event
 * feed as SSE (Last-Event-ID, heartbeats) and as JSON (`?after=`), and introspection.
 */
export async function startFakeTransmitter(
  options: {
    heartbeatMs?: number;
    maxPerAnswer?: number;
    tokenLifetimeSeconds?: number;
    /** SSE lines end in CRLF. */
    crlf?: boolean;
    /** SSE text is written this many characters at a time. */
    pieceChars?: number;
  } = {},
) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'transmitter-key-1';
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const log: { position: number; set: string }[] = [];
  const streams = new Set<ServerResponse>();
  /** Receiver access tokens issued, with when (ms) each expires. */
  const receiverTokens = new Map<string, number>();
  const seen = {
    tokenRequests: [] as URLSearchParams[],
    lastEventIds: [] as (string | undefined)[],
    jsonAfter: [] as (string | null)[],
    introspected: [] as string[],
  };
  const control = {
    heartbeats: true,
    /** The event feed answers 503 (SSE and JSON alike). */
    feedDown: false,
    /** The JWKS answers 503. */
    jwksDown: false,
    introspection: { active: true } as { active: boolean } | 'error',
  };
  let issuer = '';

  /** Writes SSE text with the chosen line ends, in small pieces if asked (any split is legal). */
  const send = (res: ServerResponse, text: string) => {
    const wire = options.crlf ? text.replace(/\n/g, '\r\n') : text;
    if (!options.pieceChars) return void res.write(wire);
    for (let i = 0; i < wire.length; i += options.pieceChars)
      res.write(wire.slice(i, i + options.pieceChars));
  };
  const heartbeat = (res: ServerResponse) =>
    send(
      res,
      `: tick\nevent: heartbeat\ndata: ${JSON.stringify({ position: log.length, time: Date.now() })}\n\n`,
    );
  const frame = (entry: { position: number; set: string }) =>
    `id: ${entry.position}\nevent: set\ndata: ${entry.set}\n\n`;
  const ticker = setInterval(() => {
    if (control.heartbeats) for (const res of streams) heartbeat(res);
  }, options.heartbeatMs ?? 100);

  /** What a receiver gets after `after`: everything past it, or the snapshot. */
  function entriesAfter(after: string | null | undefined) {
    const position = after && /^\d+$/.test(after) ? Number(after) : null;
    // No position, or one the log does not know: every revocation in force.
    if (position === null || position > log.length) return log.slice();
    return log.slice(position);
  }

  function authorized(req: IncomingMessage, res: ServerResponse): boolean {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token && (receiverTokens.get(token) ?? 0) > Date.now()) return true;
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    return false;
  }

  const basicOk = (req: IncomingMessage) => {
    const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
    const expected = Buffer.from(
      `${enc(RECEIVER.clientId)}:${enc(RECEIVER.clientSecret)}`,
    ).toString('base64');
    return req.headers.authorization === `Basic ${expected}`;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json')
      return control.jwksDown
        ? json(res, 503, { error: 'unavailable' })
        : json(res, 200, { keys: [publicJwk] });
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const form = new URLSearchParams(await readBody(req));
      seen.tokenRequests.push(form);
      if (!basicOk(req)) return json(res, 401, { error: 'invalid_client' });
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('scope') !== 'ssf' ||
        form.get('resource') !== `${issuer}/ssf`
      )
        return json(res, 400, { error: 'invalid_request' });
      const token = randomUUID();
      const lifetimeSeconds = options.tokenLifetimeSeconds ?? 300;
      receiverTokens.set(token, Date.now() + lifetimeSeconds * 1000);
      return json(res, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: lifetimeSeconds,
      });
    }
    if (req.method === 'POST' && url.pathname === '/oauth/introspect') {
      const form = new URLSearchParams(await readBody(req));
      if (!basicOk(req)) return json(res, 401, { error: 'invalid_client' });
      seen.introspected.push(form.get('token') ?? '');
      if (control.introspection === 'error') return json(res, 500, { error: 'server_error' });
      return json(res, 200, control.introspection);
    }
    if (req.method === 'GET' && url.pathname === '/ssf/events') {
      if (!authorized(req, res)) return;
      if (control.feedDown) return json(res, 503, { error: 'temporarily_unavailable' });
      if ((req.headers.accept ?? '').includes('text/event-stream')) {
        const lastEventId = req.headers['last-event-id'] as string | undefined;
        seen.lastEventIds.push(lastEventId);
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        send(res, ': replay\n\n');
        for (const entry of entriesAfter(lastEventId ?? url.searchParams.get('after')))
          send(res, frame(entry));
        if (control.heartbeats) heartbeat(res);
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
      const after = url.searchParams.get('after');
      seen.jsonAfter.push(after);
      const pending = entriesAfter(after);
      const page = pending.slice(0, options.maxPerAnswer ?? 500);
      return json(res, 200, {
        sets: page,
        position: log.length,
        time: Date.now(),
        moreAvailable: page.length < pending.length,
      });
    }
    json(res, 404, { error: 'not_found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Signs a SET as the transmitter does; `over` changes what a test needs wrong. */
  async function signSet(
    type: string,
    subject: unknown,
    event: Record<string, unknown>,
    over: { claims?: Record<string, unknown>; key?: CryptoKey; typ?: string } = {},
  ) {
    return new SignJWT({
      iss: issuer,
      aud: RECEIVER.clientId,
      jti: `rev-${log.length + 1}`,
      sub_id: subject,
      events: { [type]: { event_timestamp: nowSeconds(), ...event } },
      ...over.claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: over.typ ?? 'secevent+jwt' })
      .setIssuedAt()
      .sign(over.key ?? privateKey);
  }

  /** Appends a SET to the log and sends it to every open stream. */
  function append(set: string) {
    const entry = { position: log.length + 1, set };
    log.push(entry);
    for (const res of streams) send(res, frame(entry));
    return entry.position;
  }

  const at = (eventTimestamp?: number) => ({ event_timestamp: eventTimestamp ?? nowSeconds() });

  return {
    get issuer() {
      return issuer;
    },
    seen,
    control,
    log,
    signSet,
    append,
    async sessionRevoked(sid: string, sub = 'user-1', orgId = 'org-1') {
      const subject = {
        format: 'complex',
        session: opaque(sid),
        user: opaque(sub),
        tenant: opaque(orgId),
      };
      return append(await signSet(TYPES.sessionRevoked, subject, at()));
    },
    async tokenRevoked(jti: string) {
      return append(await signSet(TYPES.tokenRevoked, opaque(jti), at()));
    },
    async userSessionsRevoked(sub: string, orgId: string, eventTimestamp?: number) {
      const subject = { format: 'complex', user: opaque(sub), tenant: opaque(orgId) };
      return append(await signSet(TYPES.sessionsRevoked, subject, at(eventTimestamp)));
    },
    async orgSessionsRevoked(orgId: string, eventTimestamp?: number) {
      const subject = { format: 'complex', tenant: opaque(orgId) };
      return append(await signSet(TYPES.sessionsRevoked, subject, at(eventTimestamp)));
    },
    async credentialChange(clientId: string, changeType: string, eventTimestamp?: number) {
      const subject = { format: 'complex', application: opaque(clientId) };
      const event = {
        ...at(eventTimestamp),
        credential_type: 'client_secret',
        change_type: changeType,
      };
      return append(await signSet(TYPES.credentialChange, subject, event));
    },
    /** An access token (RFC 9068) signed with the transmitter's key. */
    async accessToken(claims: Record<string, unknown> = {}) {
      const iat = nowSeconds();
      return new SignJWT({
        iss: issuer,
        sub: 'user-1',
        aud: AUDIENCE,
        client_id: 'lkc_app',
        jti: randomUUID(),
        iat,
        exp: Math.floor(iat) + 300,
        scope: 'reports:read',
        sid: `sid-${randomUUID()}`,
        org_id: 'org-1',
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .sign(privateKey);
    },
    /** Ends every open event stream, as a restart or a proxy would. */
    dropStreams() {
      for (const res of streams) res.destroy();
      streams.clear();
    },
    /** Makes every receiver token held so far unknown (the next SSF request gets 401). */
    forgetReceiverTokens() {
      receiverTokens.clear();
    },
    async close() {
      clearInterval(ticker);
      for (const res of streams) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeTransmitter = Awaited<ReturnType<typeof startFakeTransmitter>>;

/** Resolves once `condition` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs = 3000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A logger that keeps what it is told, for asserting on ignored SETs. */
export function recordingLogger() {
  const entries: { message: string; details?: Record<string, unknown> }[] = [];
  return {
    entries,
    warn(message: string, details?: Record<string, unknown>) {
      entries.push({ message, details });
    },
  };
}
