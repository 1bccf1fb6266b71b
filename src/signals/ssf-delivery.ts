import { LRUCache } from 'lru-cache';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { parseInput } from '../platform/validation.js';
import type { RevocationFeed } from './revocation-feed.js';
import type { RecordedRevocation } from './revocation.js';
import { revocationEvent, revocationJti, setClaims, type SetSigner } from './security-events.js';
import { pollInput } from './ssf-input.js';
import { eventsDelivered } from './ssf-view.js';
import type { Stream, StreamStore } from './ssf-stream-store.js';

/** A revocation as one receiver's SET. */
export interface PositionedSet {
  position: number;
  jti: string;
  set: string;
}

const POLL_DEFAULT = 100;
const LONG_POLL_MS = 15_000;

/**
 * Revocations rendered as SETs for one stream's receiver: only the event types it
 * receives; signed once per event and receiver (several connections of one receiver
 * share them).
 */
export function createSetRenderer(deps: { sign: SetSigner; issuer: string; clock: Clock }) {
  const signed = new LRUCache<string, string>({ max: 50_000 });
  return async function render(
    entries: RecordedRevocation[],
    stream: Pick<Stream, 'clientId' | 'eventsRequested'>,
  ): Promise<PositionedSet[]> {
    const delivered = new Set(eventsDelivered(stream));
    const out: PositionedSet[] = [];
    for (const entry of entries) {
      const event = revocationEvent(entry);
      if (!event || !delivered.has(event.type)) continue;
      const jti = revocationJti(entry.position);
      const key = `${entry.position} ${stream.clientId}`;
      let set = signed.get(key);
      if (!set) {
        set = await deps.sign(
          setClaims(deps.issuer, stream.clientId, jti, event, deps.clock.nowMs()),
        );
        signed.set(key, set);
      }
      out.push({ position: entry.position, jti, set });
    }
    return out;
  };
}

export type SetRenderer = ReturnType<typeof createSetRenderer>;

/** A poll acknowledgement's jti: a revocation's position, or a stream event's seq. */
function parseAck(jti: string): { position: number } | { seq: number } | null {
  const match = /^(rev|evt)-(\d{1,18})$/.exec(jti);
  if (!match) return null;
  return match[1] === 'rev' ? { position: Number(match[2]) } : { seq: Number(match[2]) };
}

/** Stream events carry `evt-<seq>` as their poll id (their own jti is inside the SET). */
export const streamEventJti = (seq: number) => `evt-${seq}`;

/**
 * RFC 8936: a receiver polls its stream, acknowledging what it got. Revocations are
 * delivered from the log after the stream's acknowledged position, again until
 * acknowledged; the position moves over every acknowledged one in a row.
 */
export function createPoller(deps: {
  store: StreamStore;
  feed: RevocationFeed;
  render: SetRenderer;
  onSetError?: (streamId: string, jti: string, err: string, description: string) => void;
}) {
  const { store, feed, render } = deps;

  const acknowledge = async (stream: Stream, jtis: string[]) => {
    const positions: number[] = [];
    const seqs: number[] = [];
    for (const jti of jtis) {
      const ack = parseAck(jti);
      if (ack && 'position' in ack) positions.push(ack.position);
      else if (ack) seqs.push(ack.seq);
    }
    await store.ackEvents(stream.id, seqs);
    const above = new Set(
      [...stream.ackedAbove, ...positions].filter((p) => p > stream.ackedPosition),
    );
    let acked = stream.ackedPosition;
    // Move over the acknowledged ones in a row, and what no receiver sees between them.
    const limit = above.size + 1;
    const { entries } = await feed.readAfter(acked, limit);
    let blocked = false;
    for (const entry of entries) {
      if (above.has(entry.position)) above.delete(entry.position);
      else if (revocationEvent(entry)) {
        blocked = true;
        break;
      }
      acked = entry.position;
    }
    // Every revocation in force was walked: what is left acknowledged is no longer in force.
    if (!blocked && entries.length < limit) acked = Math.max(acked, ...above);
    const remaining = [...above].filter((p) => p > acked).sort((a, b) => a - b);
    return (
      (await store.update(stream.id, { ackedPosition: acked, ackedAbove: remaining })) ?? stream
    );
  };

  const pending = async (stream: Stream, max: number) => {
    const events = await store.events(stream.id, 0, max);
    const sets: Record<string, string> = {};
    for (const e of events) sets[streamEventJti(e.seq)] = e.set;
    let more = events.length === max;
    if (stream.status === 'enabled' && !more) {
      const acked = new Set(stream.ackedAbove);
      const room = max - events.length;
      const { entries } = await feed.readAfter(stream.ackedPosition, room + acked.size + 1);
      const rendered = await render(
        entries.filter((e) => !acked.has(e.position)),
        stream,
      );
      for (const r of rendered.slice(0, room)) sets[r.jti] = r.set;
      more = rendered.length > room;
    }
    return { sets, moreAvailable: more };
  };

  /** Resolves when the feed moves or after ms, whichever comes first. */
  const nextRevocation = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const unsubscribe = feed.subscribe(done);
      function done() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });

  return async function poll(stream: Stream, body: unknown) {
    const input = parseInput(pollInput, body ?? {});
    if (stream.status === 'disabled')
      throw new AppError('stream_disabled', 'This stream is disabled.', { status: 403 });
    for (const [jti, error] of Object.entries(input.setErrs ?? {}))
      deps.onSetError?.(stream.id, jti, error.err, error.description);
    const jtis = [...(input.ack ?? []), ...Object.keys(input.setErrs ?? {})];
    const current = jtis.length ? await acknowledge(stream, jtis) : stream;
    const max = input.maxEvents ?? POLL_DEFAULT;
    if (max === 0) return { sets: {}, moreAvailable: false };
    let answer = await pending(current, max);
    if (!Object.keys(answer.sets).length && input.returnImmediately === false) {
      await nextRevocation(LONG_POLL_MS);
      answer = await pending(current, max);
    }
    return answer;
  };
}

export type Poller = ReturnType<typeof createPoller>;
