import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { TokenValidationError, type TokenValidatorOptions } from './validator-types.js';

/**
 * Set by Latchkey once Redis holds every revocation in force, to the run_id of the Redis
 * it loaded them into. Missing (Redis lost its data) or naming another run (Redis
 * restarted, perhaps from an older snapshot): a missing tombstone proves nothing.
 */
const LOADED_MARKER = 'eph:revocations:loaded';
const RUN_ID = /^[0-9a-f]{40}$/;
/** How long a sid's tombstone lookup result is trusted; the channel covers the rest. */
const TOMBSTONE_CHECK_TTL_MS = 60_000;

type RevocationOptions = Pick<TokenValidatorOptions, 'redis' | 'onError'>;

/** What a validator knows of revocations, and its two Redis connections. */
interface RevocationState {
  options: RevocationOptions;
  revoked: Map<string, number>;
  /**
   * Sessions whose tombstone was looked up lately (sid → when): entries age out after
   * TOMBSTONE_CHECK_TTL_MS, so the map holds the sessions of the last minute, no more.
   */
  checked: LRUCache<string, number>;
  client: Redis | null;
  subscriber: Redis | null;
  /** The run_id of the Redis the lookup connection is on (read at every connect). */
  runId: string | null;
  /** The loaded marker last seen: when it changes, earlier lookups are not trusted. */
  lastMarker: string | null;
  channelUp: boolean;
  listeners: Set<(sid: string, delayMs: number) => void>;
}

function remember(state: RevocationState, sid: string) {
  const { revoked } = state;
  revoked.set(sid, Date.now());
  // Bounded: a revoked sid only matters while its tokens can live (at most an hour).
  if (revoked.size > 100_000) {
    const cutoff = Date.now() - 2 * 3600_000;
    for (const [key, at] of revoked) if (at < cutoff) revoked.delete(key);
  }
}

/** The connection tombstones are looked up on. */
function connectLookups(state: RevocationState, url: string, keyPrefix: string) {
  const { options } = state;
  const client = new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    // Concurrent first verifications of tokens from many sessions look their
    // tombstones up in one round trip.
    enableAutoPipelining: true,
  });
  state.client = client;
  client.on('error', (error) => options.onError?.(error));
  // The run id is read again, on first need, after every reconnect (Redis may have restarted).
  client.on('ready', () => {
    state.runId = null;
  });
  client.on('close', () => {
    state.runId = null;
    state.checked.clear();
  });
}

/** The revocation channel's subscriber. */
async function subscribe(state: RevocationState, url: string, keyPrefix: string) {
  const { options } = state;
  const subscriber = new Redis(url, { enableOfflineQueue: true, maxRetriesPerRequest: null });
  state.subscriber = subscriber;
  subscriber.on('error', (error) => {
    state.channelUp = false;
    options.onError?.(error);
  });
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const event = JSON.parse(message) as { sid?: unknown; atMs?: unknown };
      if (typeof event.sid !== 'string') return;
      remember(state, event.sid);
      const delay = typeof event.atMs === 'number' ? Date.now() - event.atMs : 0;
      for (const listener of state.listeners) listener(event.sid, delay);
    } catch (error) {
      options.onError?.(error);
    }
  });
  // After a reconnect, revocations may have been missed: look tombstones up again.
  subscriber.on('ready', () => {
    state.checked.clear();
    state.channelUp = true;
  });
  await subscriber.subscribe(`${keyPrefix}revocations`);
  state.channelUp = true;
}

/** Whether the session was revoked: channel first, then (once per sid) its tombstone. */
async function isRevoked(state: RevocationState, sid: string): Promise<boolean> {
  const { client, checked } = state;
  if (state.revoked.has(sid)) return true;
  if (!client) return false;
  const last = checked.get(sid);
  if (last !== undefined && state.channelUp && Date.now() - last < TOMBSTONE_CHECK_TTL_MS)
    return false;
  let tombstone: string | null;
  let marker: string | null;
  try {
    [tombstone, marker] = await Promise.all([
      client.get(`eph:revoked:${sid}`),
      client.get(LOADED_MARKER),
    ]);
    if (state.runId === null && marker !== null && RUN_ID.test(marker)) {
      state.runId = /^run_id:(\w+)/m.exec(await client.info('server'))?.[1] ?? null;
    }
  } catch {
    // Fail closed: without the channel or tombstones, a revoked session could pass.
    throw new TokenValidationError('validator_unavailable', 'Revocation state is unavailable.');
  }
  if (tombstone !== null) {
    remember(state, sid);
    return true;
  }
  // Redis lost its data or restarted since Latchkey last loaded the revocations into it:
  // until Latchkey has loaded them again, no tombstone is no proof (fail closed).
  if (marker === null || (RUN_ID.test(marker) && marker !== state.runId)) {
    throw new TokenValidationError(
      'validator_unavailable',
      'Revocation state is being restored; try again shortly.',
    );
  }
  if (marker !== state.lastMarker) {
    checked.clear();
    state.lastMarker = marker;
  }
  checked.set(sid, Date.now());
  return false;
}

/**
 * The revoked sessions a validator knows of: heard on Latchkey's revocation channel, or
 * found in their tombstones (once per sid and minute) on Latchkey's Redis.
 */
export function createRevocations(options: RevocationOptions) {
  const state: RevocationState = {
    options,
    revoked: new Map(),
    checked: new LRUCache<string, number>({ max: 100_000, ttl: TOMBSTONE_CHECK_TTL_MS }),
    client: null,
    subscriber: null,
    runId: null,
    lastMarker: null,
    channelUp: options.redis === undefined,
    listeners: new Set(),
  };
  return {
    async start(): Promise<void> {
      if (!options.redis) return;
      const { url, keyPrefix } = options.redis;
      connectLookups(state, url, keyPrefix);
      await subscribe(state, url, keyPrefix);
    },
    isRevoked: (sid: string) => isRevoked(state, sid),
    listeners: state.listeners,
    close(): void {
      state.subscriber?.disconnect();
      state.client?.disconnect();
      state.subscriber = null;
      state.client = null;
    },
  };
}
