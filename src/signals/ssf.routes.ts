import express, { Router, type Request, type Response } from 'express';
import { assertPlatformAdmin, principalOf } from '../platform/admin/index.js';
import { errorStyle } from '../platform/error-style.js';
import { AppError } from '../platform/errors.js';
import type { RevocationFeed } from './revocation-feed.js';
import type { Poller, PositionedSet, SetRenderer } from './ssf-delivery.js';
import type { SsfService } from './ssf-service.js';
import { SSF_PATHS } from './ssf-view.js';
import type { Stream, StreamStore } from './ssf-stream-store.js';

/** A receiver's bearer token → its client id and the token's expiry; 401/403 AppErrors otherwise. */
export type ReceiverAuthenticator = (
  authorization: string | undefined,
) => Promise<{ clientId: string; expiresInMs: number }>;

export interface SsfRoutesDeps {
  service: SsfService;
  store: StreamStore;
  feed: RevocationFeed;
  render: SetRenderer;
  poll: Poller;
  authenticate: ReceiverAuthenticator;
  heartbeatMs: number;
  /** How old the feed's last read of the log may be for a heartbeat to say "current". */
  freshForMs: number;
  bodyLimitBytes: number;
}

const JSON_PAGE = 500;
/** A receiver that takes no more than this much buffered is dropped (it resumes). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Last-Event-ID or ?after=: a position, or null for "from everything in force". */
function positionOf(req: Request): number | null {
  const raw = req.get('last-event-id') ?? req.query.after;
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw))
    throw new AppError('validation_failed', 'The request query is invalid.', {
      fields: [{ field: 'after', message: 'a position: a non-negative integer' }],
    });
  return Number(raw);
}

const usable = (stream: Stream) => {
  if (stream.status !== 'enabled')
    throw new AppError(`stream_${stream.status}`, `This stream is ${stream.status}.`, {
      status: 403,
    });
  return stream;
};

/** The JSON twin of the SSE feed: one page after a position. */
async function feedPage(deps: SsfRoutesDeps, stream: Stream, after: number | null) {
  const head = deps.feed.head();
  const { entries, fromStart } = await deps.feed.readAfter(after, JSON_PAGE);
  const more = entries.length === JSON_PAGE;
  const last = entries.at(-1)?.position ?? (fromStart ? 0 : (after ?? 0));
  const sets = await deps.render(entries, stream);
  return {
    sets: sets.map(({ position, set }) => ({ position, set })),
    position: more ? last : Math.max(last, head),
    time: Date.now(),
    moreAvailable: more,
  };
}

/**
 * The SSE feed for one connection: what was recorded after its position (or everything
 * in force), then every revocation as this process reads it, with heartbeats while the
 * process's view of the log is fresh. Many connections may share a stream.
 */
async function serveSse(
  deps: SsfRoutesDeps,
  { stream, after, endsInMs }: { stream: Stream; after: number | null; endsInMs: number },
  req: Request,
  res: Response,
) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let closed = false;
  let sent = after ?? 0;
  let replaying = true;
  const queued: Parameters<Parameters<RevocationFeed['subscribe']>[0]>[0] = [];
  // The feed's head as far as this connection has sent what came before it: a heartbeat
  // claims no more (a render still under way may hold a SET below the feed's head).
  let covered = deps.feed.head();
  let queuedHead = covered;
  const write = (text: string) => {
    if (closed) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  };
  const send = (sets: PositionedSet[]) => {
    for (const { position, set } of sets) {
      if (position <= sent) continue;
      write(`id: ${position}\nevent: set\ndata: ${set}\n\n`);
      sent = position;
    }
  };
  const heartbeat = () => {
    const fresh = deps.feed.freshAtMs();
    if (replaying || fresh === null || Date.now() - fresh > deps.freshForMs) return;
    sent = Math.max(sent, covered);
    write(`event: heartbeat\ndata: ${JSON.stringify({ position: sent, time: Date.now() })}\n\n`);
  };
  let chain = Promise.resolve();
  const unsubscribe = deps.feed.subscribe((entries, head) => {
    if (replaying) {
      queued.push(...entries);
      queuedHead = Math.max(queuedHead, head);
    } else
      chain = chain
        .then(async () => {
          send(await deps.render(entries, stream));
          covered = Math.max(covered, head);
        })
        .catch(() => {
          res.destroy();
        });
  });
  const timer = setInterval(heartbeat, deps.heartbeatMs);
  // The feed ends with the receiver's token (a revoked receiver is let go then; it
  // reconnects with a new token and resumes) and when this process closes.
  const expiry = setTimeout(() => res.end(), Math.max(0, Math.min(endsInMs, 2 ** 31 - 1)));
  const stopped = deps.feed.onStop(() => res.end());
  req.on('close', () => {
    closed = true;
    unsubscribe();
    stopped();
    clearInterval(timer);
    clearTimeout(expiry);
  });
  try {
    let from = after;
    for (;;) {
      const { entries, fromStart } = await deps.feed.readAfter(from, JSON_PAGE);
      // A position the log does not know: everything in force, from the start.
      if (fromStart) sent = 0;
      send(await deps.render(entries, stream));
      if (entries.length < JSON_PAGE) break;
      from = entries.at(-1)!.position;
    }
    send(await deps.render(queued.splice(0), stream));
    covered = Math.max(covered, queuedHead);
    replaying = false;
    heartbeat();
  } catch {
    res.destroy();
  }
}

/** The Shared Signals transmitter's endpoints (docs/revocation-events.md). */
export function ssfRouter(deps: SsfRoutesDeps): Router {
  const { service, authenticate } = deps;
  const router = Router();
  // Receivers are programs: problem+json whatever their Accept header prefers.
  router.use(['/ssf', SSF_PATHS.configuration], errorStyle('problem'));
  const json = express.json({ limit: deps.bodyLimitBytes, type: ['application/json'] });
  const receiver = async (req: Request) => (await authenticate(req.get('authorization'))).clientId;
  const streamId = (req: Request) =>
    typeof req.query.stream_id === 'string' ? req.query.stream_id : undefined;

  router.get(SSF_PATHS.configuration, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(service.configuration());
  });
  router.post(SSF_PATHS.streams, json, async (req, res) => {
    res.status(201).json(await service.create(await receiver(req), req.body));
  });
  router.get(SSF_PATHS.streams, async (req, res) => {
    const clientId = await receiver(req);
    const id = streamId(req);
    res.json(id === undefined ? await service.list(clientId) : await service.get(clientId, id));
  });
  router.patch(SSF_PATHS.streams, json, async (req, res) => {
    res.json(await service.update(await receiver(req), req.body, false));
  });
  router.put(SSF_PATHS.streams, json, async (req, res) => {
    res.json(await service.update(await receiver(req), req.body, true));
  });
  router.delete(SSF_PATHS.streams, async (req, res) => {
    await service.remove(await receiver(req), streamId(req));
    res.status(204).end();
  });
  router.get(SSF_PATHS.status, async (req, res) => {
    res.json(await service.status(await receiver(req), streamId(req)));
  });
  router.post(SSF_PATHS.status, json, async (req, res) => {
    res.json(await service.setStatus(await receiver(req), req.body));
  });
  router.post(SSF_PATHS.verify, json, async (req, res) => {
    await service.verify(await receiver(req), req.body);
    res.status(204).end();
  });
  router.post(SSF_PATHS.poll, json, async (req, res) => {
    const stream = await deps.store.byClient(await receiver(req));
    if (!stream || stream.method !== 'urn:ietf:rfc:8936')
      throw new AppError('stream_not_found', 'This client has no poll stream.', { status: 404 });
    res.json(await deps.poll(stream, req.body));
  });
  router.get(SSF_PATHS.events, async (req, res) => {
    const caller = await authenticate(req.get('authorization'));
    const stream = usable(await service.forFeed(caller.clientId));
    const after = positionOf(req);
    if (req.accepts(['text/event-stream', 'application/json']) === 'application/json')
      res.set('Cache-Control', 'no-store').json(await feedPage(deps, stream, after));
    else await serveSse(deps, { stream, after, endsInMs: caller.expiresInMs }, req, res);
  });
  return router;
}

/** /api/v1/ssf/streams: platform admins list receivers' streams and disable or enable one. */
export function ssfAdminRouter(service: SsfService, bodyLimitBytes: number): Router {
  const router = Router();
  const json = express.json({ limit: bodyLimitBytes });
  router.get('/ssf/streams', async (_req, res) => {
    assertPlatformAdmin(principalOf(res.locals));
    // Every stream at once (one per receiving client: few); the admin lists' shape.
    res.json({ items: await service.adminList(), next_cursor: null });
  });
  router.post('/ssf/streams/:streamId/status', json, async (req, res) => {
    const principal = principalOf(res.locals);
    assertPlatformAdmin(principal);
    res.json(await service.adminSetStatus(String(req.params.streamId), req.body, principal.keyId));
  });
  return router;
}
