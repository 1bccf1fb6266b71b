import pg from 'pg';

/** Stops listening; resolves once the connection is closed. */
export type StopListening = () => Promise<void>;

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * LISTEN on a connection of its own (never a pooled one: a pooled connection is handed to
 * other callers). Notifications are best effort — a dropped connection misses what was
 * sent meanwhile — so the caller must also poll; onReconnect tells it when to look again.
 * The connection comes back by itself with backoff.
 */
export function listenPostgres(options: {
  url: string;
  channel: string;
  onNotify: (payload: string) => void;
  onReconnect?: () => void;
  onError?: (error: unknown) => void;
}): { stop: StopListening; ready: Promise<void> } {
  let stopped = false;
  // Settled by the first attempt, whatever its outcome: a caller may wait until the
  // connection listens before it counts on notifications (it polls anyway).
  let settle: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    settle = resolve;
  });
  let client: pg.Client | null = null;
  let retryMs = RETRY_FIRST_MS;
  let timer: NodeJS.Timeout | null = null;

  const connect = async () => {
    timer = null;
    if (stopped) return;
    const c = new pg.Client({
      connectionString: options.url,
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: CONNECT_TIMEOUT_MS,
    });
    client = c;
    c.on('notification', (message) => {
      if (message.channel === options.channel) options.onNotify(message.payload ?? '');
    });
    c.on('error', (error) => {
      options.onError?.(error);
      retry(c);
    });
    c.on('end', () => retry(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
      retryMs = RETRY_FIRST_MS;
      options.onReconnect?.();
    } catch (error) {
      options.onError?.(error);
      retry(c);
    } finally {
      settle();
    }
  };

  const retry = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    c.end().catch(() => undefined);
    if (stopped || timer) return;
    timer = setTimeout(() => void connect(), retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  void connect();
  const stop = async () => {
    stopped = true;
    settle();
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
  return { stop, ready };
}
