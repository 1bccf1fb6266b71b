import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** What the transmitter answers, as far as these tests read it. */
export interface StreamConfig {
  stream_id: string;
  aud: string;
  delivery: { method: string; endpoint_url: string; authorization_header?: string };
  events_delivered: string[];
}
export interface Answer {
  stream_id: string;
  aud: string;
  delivery: { method: string; endpoint_url: string; authorization_header?: string };
  events_delivered: string[];
  status: string;
  reason?: string;
  sets: Record<string, string>;
  errors: Array<{ field: string; message: string }>;
}
interface Subject {
  format: string;
  id?: string;
}
export interface SubId extends Subject {
  session?: Subject;
  user?: Subject;
  tenant?: Subject;
  application?: Subject;
}
export interface EventPayload {
  event_timestamp?: number;
  initiating_entity?: string;
  state?: string;
  change_type?: string;
  credential_type?: string;
  status?: string;
}
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}
export type SetPayload = JWTPayload & { events: Record<string, EventPayload>; sub_id: SubId };

/**
 * A Shared Signals receiver written from the specifications only (SSF 1.0, RFC 8417,
 * RFC 8935, RFC 8936, RFC 6749 client credentials), with jose for JWS: no Latchkey code.
 * Tests use it to prove the transmitter speaks the protocols, not Latchkey's own dialect.
 */
export async function ssfReceiver(issuer: string, clientId: string, clientSecret: string) {
  const config = (await (
    await fetch(new URL('/.well-known/ssf-configuration', issuer))
  ).json()) as Record<string, unknown> & {
    configuration_endpoint: string;
    status_endpoint: string;
    verification_endpoint: string;
    jwks_uri: string;
  };
  const jwks = createRemoteJWKSet(new URL(config.jwks_uri));

  /** RFC 6749 §4.4 with client_secret_basic; RFC 8707 resource for the transmitter. */
  const token = async (scope = 'ssf', resource = `${issuer}/ssf`) => {
    const res = await fetch(`${issuer}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
    });
    if (res.status !== 200) throw new Error(`token endpoint: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  let bearer: string | null = null;

  const call = async (method: string, url: string, body?: unknown, accessToken?: string) => {
    bearer ??= await token();
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${accessToken ?? bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : {}) as Answer,
    };
  };

  /** RFC 8417 §2 and SSF 1.0 §4: a SET from this transmitter, for this receiver. */
  const verifySet = async (set: string): Promise<SetPayload> => {
    const { payload } = await jwtVerify(set, jwks, {
      issuer,
      audience: clientId,
      typ: 'secevent+jwt',
      algorithms: ['ES256', 'RS256', 'EdDSA'],
    });
    if (!payload.jti || typeof payload.iat !== 'number') throw new Error('SET without jti or iat');
    const events = payload.events as Record<string, unknown> | undefined;
    if (!events || Object.keys(events).length !== 1) throw new Error('not exactly one event');
    return payload as SetPayload;
  };

  /** The SSE feed (text/event-stream, WHATWG parsing rules), from a position if given. */
  const sse = async (lastEventId?: string) => {
    bearer ??= await token();
    const abort = new AbortController();
    const res = await fetch(`${issuer}/ssf/events`, {
      headers: {
        authorization: `Bearer ${bearer}`,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: abort.signal,
    });
    const events: SseEvent[] = [];
    const waiters: Array<() => void> = [];
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      let event: SseEvent = { event: 'message', data: '' };
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let newline: number;
          while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
            if (line === '') {
              if (event.data !== '' || event.event !== 'message') events.push(event);
              event = { event: 'message', data: '' };
              for (const w of waiters.splice(0)) w();
              continue;
            }
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') event.data = event.data ? `${event.data}\n${value}` : value;
            else if (field === 'event') event.event = value;
            else if (field === 'id') event.id = value;
          }
        }
      } catch {
        // aborted
      }
    })();
    return {
      status: res.status,
      events,
      /** Resolves with the first event after `from` that matches. */
      async next(match: (e: SseEvent) => boolean, from = 0, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const found = events.slice(from).find(match);
          if (found) return found;
          if (Date.now() > deadline)
            throw new Error(`no such SSE event in ${JSON.stringify(events)}`);
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, 100);
          });
        }
      },
      close: () => abort.abort(),
    };
  };

  /** The JSON twin of the SSE feed after a position. */
  const feedPage = async (after: string) => {
    bearer ??= await token();
    const res = await fetch(`${issuer}/ssf/events?after=${after}`, {
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        sets: Array<{ position: number; set: string }>;
        position: number;
        moreAvailable: boolean;
      },
    };
  };

  return {
    config,
    token,
    sse,
    feedPage,
    call,
    verifySet,
    createStream: (body: unknown) => call('POST', config.configuration_endpoint, body),
    getStream: () => call('GET', config.configuration_endpoint),
    updateStream: (body: unknown) => call('PATCH', config.configuration_endpoint, body),
    deleteStream: (streamId: string) =>
      call('DELETE', `${config.configuration_endpoint}?stream_id=${encodeURIComponent(streamId)}`),
    status: (streamId: string) =>
      call('GET', `${config.status_endpoint}?stream_id=${encodeURIComponent(streamId)}`),
    setStatus: (body: unknown) => call('POST', config.status_endpoint, body),
    verify: (body: unknown) => call('POST', config.verification_endpoint, body),
    /** RFC 8936 §2.4. */
    poll: (endpoint: string, body: Record<string, unknown>) => call('POST', endpoint, body),
  };
}

/** RFC 8935: an endpoint that takes pushed SETs; answers with status() (202 by default). */
export async function pushEndpoint() {
  const received: Array<{
    set: string;
    contentType: string | undefined;
    authorization: string | undefined;
  }> = [];
  let status = 202;
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (status === 202) {
        received.push({
          set: Buffer.concat(chunks).toString('utf8'),
          contentType: req.headers['content-type'],
          authorization: req.headers.authorization,
        });
        for (const w of waiters.splice(0)) w();
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ssf/push`,
    received,
    answer(next: number) {
      status = next;
    },
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`only ${received.length} of ${count} SETs pushed`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
