import { EventEmitter } from 'node:events';
import { createSubscriber, keyPrefixOf, type RedisClient } from '../platform/redis/index.js';

/** What every Latchkey process hears when a session ends. */
export interface RevocationEvent {
  sid: string;
  orgId: string;
  userId: string;
  reason: string;
  /** When it was revoked (ms since the epoch): receivers measure propagation delay. */
  atMs: number;
}

/**
 * Fan-out of session revocations between Latchkey processes. Redis pub/sub in production
 * (channel `<keyPrefix>revocations`), an in-process emitter in development. Validators in
 * other services learn revocations from the Shared Signals transmitter instead.
 */
export interface RevocationBus {
  publish(event: RevocationEvent): Promise<void>;
  subscribe(listener: (event: RevocationEvent) => void): () => void;
  close(): Promise<void>;
}

const revocationChannel = (keyPrefix: string) => `${keyPrefix}revocations`;

export function createMemoryRevocationBus(): RevocationBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event) {
      emitter.emit('revoked', event);
      return Promise.resolve();
    },
    subscribe(listener) {
      emitter.on('revoked', listener);
      return () => emitter.off('revoked', listener);
    },
    close: () => Promise.resolve(),
  };
}

export function createRedisRevocationBus(
  redis: RedisClient,
  options: { onError?: (error: unknown) => void } = {},
): RevocationBus {
  const channel = revocationChannel(keyPrefixOf(redis));
  const listeners = new Set<(event: RevocationEvent) => void>();
  // A subscribed connection can do nothing else: a dedicated one, made on first use.
  let subscriber: RedisClient | null = null;
  const ensureSubscriber = () => {
    if (subscriber) return;
    subscriber = createSubscriber(redis);
    subscriber.on('error', (error) => options.onError?.(error));
    subscriber.on('message', (got: string, message: string) => {
      if (got !== channel) return;
      try {
        const event = JSON.parse(message) as RevocationEvent;
        for (const listener of listeners) listener(event);
      } catch (error) {
        options.onError?.(error);
      }
    });
    subscriber.subscribe(channel).catch((error: unknown) => options.onError?.(error));
  };
  return {
    async publish(event) {
      await redis.publish(channel, JSON.stringify(event));
    },
    subscribe(listener) {
      ensureSubscriber();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (subscriber) {
        subscriber.disconnect();
        subscriber = null;
      }
      return Promise.resolve();
    },
  };
}
