import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyResolver } from './key-resolver.js';
import { createReceiverToken } from './receiver-token.js';
import type { RevocationView } from './revocation-view.js';
import { decodeSecurityEventToken, IgnoredSetError } from './security-event-token.js';
import { createSseParser, type ServerSentEvent } from './sse-parser.js';
import type {
  Revocation,
  RevocationFeedOptions,
  RevocationNotice,
  ValidatorLogger,
  ValidatorStatus,
} from './validator-types.js';

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;
const POLL_TIMEOUT_MS = 10_000;

export type RevocationListener = (revocation: Revocation, notice: RevocationNotice) => void;

export interface RevocationFeedContext {
  /** Latchkey's issuer, as SETs name it in `iss`. */
  issuer: string;
  /** The issuer without a trailing slash, for building endpoint URLs. */
  baseUrl: string;
  feed: RevocationFeedOptions;
  keyFor: KeyResolver;
  algorithms: string[];
  view: RevocationView;
  fetch: typeof globalThis.fetch;
  logger: ValidatorLogger;
  onError: (error: unknown) => void;
  listeners: Set<RevocationListener>;
}

const POSITION = /^\d{1,15}$/;

/**
 * The receiver of Latchkey's Shared Signals transmitter (docs/revocation-events.md): SETs
 * over SSE (resumed with Last-Event-ID) or the JSON feed (`?after=`), each verified and
 * applied to the view in position order; heartbeats and poll answers keep it current.
 */
export function createRevocationFeed(ctx: RevocationFeedContext) {
  const { feed, view } = ctx;
  const stalenessBoundMs = feed.stalenessBoundMs ?? 10_000;
  const pollIntervalMs = feed.pollIntervalMs ?? 1_000;
  const stopping = new AbortController();
  const token = createReceiverToken({
    issuer: ctx.baseUrl,
    clientId: feed.clientId,
    clientSecret: feed.clientSecret,
    fetch: ctx.fetch,
    signal: stopping.signal,
  });
  let position: number | null = null;
  let lastHeardMs: number | null = null;
  let running: Promise<void> | null = null;
  /** Whether the SSE connection last made brought a heartbeat. */
  let connectionHeardHeartbeat = false;
  const waitingForCurrent = new Set<() => void>();

  const isCurrent = () => lastHeardMs !== null && Date.now() - lastHeardMs <= stalenessBoundMs;

  /** The transmitter said: everything up to `head` is held, as of now. */
  function heard(head: number | null) {
    if (head !== null) position = head;
    lastHeardMs = Date.now();
    view.maybePrune();
    for (const resolve of [...waitingForCurrent]) resolve();
  }

  async function applySet(set: string, setPosition: number | null) {
    try {
      const { revocation } = await decodeSecurityEventToken(set, {
        keyFor: ctx.keyFor,
        issuer: ctx.issuer,
        clientId: feed.clientId,
        algorithms: ctx.algorithms,
      });
      if (revocation) {
        view.apply(revocation);
        const notice = {
          position: setPosition,
          delayMs: Date.now() - revocation.eventTimestamp * 1000,
        };
        for (const listener of ctx.listeners) {
          try {
            listener(revocation, notice);
          } catch (error) {
            ctx.onError(error);
          }
        }
      }
    } catch (error) {
      if (!(error instanceof IgnoredSetError)) throw error;
      // Never applied, never fatal: the reason is logged and the stream goes on.
      ctx.logger.warn('Ignored a Security Event Token', {
        reason: error.reason,
        detail: error.message,
        position: setPosition,
      });
    }
    if (setPosition !== null) position = setPosition;
  }

  async function handleServerSentEvent(event: ServerSentEvent) {
    if (event.type === 'set') {
      await applySet(
        event.data,
        POSITION.test(event.lastEventId) ? Number(event.lastEventId) : null,
      );
    } else if (event.type === 'heartbeat') {
      let body: { position?: unknown };
      try {
        body = JSON.parse(event.data) as { position?: unknown };
      } catch {
        ctx.onError(new Error('SSF heartbeat is not JSON; not counted.'));
        return;
      }
      heard(typeof body.position === 'number' ? body.position : null);
    }
  }

  /** One SSE connection, until it ends, fails, or hears no heartbeat within the bound. */
  async function streamOnce(accessToken: string): Promise<{ unauthorized: boolean }> {
    const connection = new AbortController();
    const stop = () => connection.abort();
    stopping.signal.addEventListener('abort', stop);
    let lastHeartbeatMs = Date.now();
    // A connection that goes quiet (a proxy holding it half-open) is dropped and made again.
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastHeartbeatMs > stalenessBoundMs) connection.abort();
      },
      Math.max(50, Math.min(1000, stalenessBoundMs / 4)),
    );
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${accessToken}`,
        accept: 'text/event-stream',
        'cache-control': 'no-cache',
      };
      if (position !== null) headers['last-event-id'] = String(position);
      const response = await ctx.fetch(`${ctx.baseUrl}/ssf/events`, {
        headers,
        signal: connection.signal,
      });
      if (response.status === 401) {
        await response.body?.cancel();
        return { unauthorized: true };
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!response.ok || !response.body || !contentType.startsWith('text/event-stream')) {
        await response.body?.cancel();
        throw new Error(`SSF event stream answered ${response.status} (${contentType}).`);
      }
      const events: ServerSentEvent[] = [];
      const parser = createSseParser((event) => events.push(event));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        for (const event of events.splice(0)) {
          await handleServerSentEvent(event);
          if (event.type === 'heartbeat') {
            lastHeartbeatMs = Date.now();
            connectionHeardHeartbeat = true;
          }
        }
      }
      return { unauthorized: false };
    } catch (error) {
      if (connection.signal.aborted) return { unauthorized: false };
      throw error;
    } finally {
      clearInterval(watchdog);
      stopping.signal.removeEventListener('abort', stop);
      connection.abort();
    }
  }

  async function runSse() {
    let backoffMs = FIRST_BACKOFF_MS;
    while (!stopping.signal.aborted) {
      try {
        const accessToken = await token.get();
        connectionHeardHeartbeat = false;
        const { unauthorized } = await streamOnce(accessToken);
        if (unauthorized) token.invalidate(accessToken);
      } catch (error) {
        if (!stopping.signal.aborted) ctx.onError(error);
      }
      // A connection that was good (however it ended) starts the backoff over.
      if (connectionHeardHeartbeat) backoffMs = FIRST_BACKOFF_MS;
      if (stopping.signal.aborted) break;
      await sleep(backoffMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  }

  /** One poll: the JSON feed from the last position, answer after answer while more wait. */
  async function pollOnce() {
    for (;;) {
      const accessToken = await token.get();
      const query = position === null ? '' : `?after=${position}`;
      const response = await ctx.fetch(`${ctx.baseUrl}/ssf/events${query}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(POLL_TIMEOUT_MS)]),
      });
      if (response.status === 401) token.invalidate(accessToken);
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`SSF event feed answered ${response.status}.`);
      }
      const body = (await response.json()) as {
        sets?: unknown;
        position?: unknown;
        moreAvailable?: unknown;
      };
      if (!Array.isArray(body.sets) || typeof body.position !== 'number')
        throw new Error('SSF event feed answered without sets and position.');
      for (const entry of body.sets as { position?: unknown; set?: unknown }[]) {
        if (stopping.signal.aborted) return;
        if (typeof entry.set !== 'string') continue;
        await applySet(entry.set, typeof entry.position === 'number' ? entry.position : null);
      }
      if (body.moreAvailable === true && body.sets.length > 0) continue;
      heard(body.position);
      return;
    }
  }

  async function runPoll() {
    while (!stopping.signal.aborted) {
      try {
        await pollOnce();
      } catch (error) {
        if (!stopping.signal.aborted) ctx.onError(error);
      }
      await sleep(pollIntervalMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  }

  return {
    /**
     * Starts receiving (from no position: the transmitter replays every revocation in
     * force). Resolves once the view is current, or after the staleness bound if it is not
     * by then; receiving goes on either way, and verify fails closed until it is.
     */
    start(): Promise<void> {
      if (running) return Promise.resolve();
      running = feed.delivery === 'poll' ? runPoll() : runSse();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waitingForCurrent.delete(done);
          resolve();
        };
        const timer = setTimeout(done, stalenessBoundMs);
        waitingForCurrent.add(done);
      });
    },
    isCurrent,
    status: (): ValidatorStatus => ({ current: isCurrent(), position, lastHeardMs }),
    async close(): Promise<void> {
      stopping.abort();
      for (const resolve of [...waitingForCurrent]) resolve();
      await running;
    },
  };
}
