import type { Database, Queryable } from '../platform/db/index.js';

/** SSF 1.0 delivery methods: push (RFC 8935), poll (RFC 8936), and Latchkey's SSE. */
export const DELIVERY = {
  push: 'urn:ietf:rfc:8935',
  poll: 'urn:ietf:rfc:8936',
  sse: 'https://latchkey.dev/ssf/delivery/sse',
} as const;
export type DeliveryMethod = (typeof DELIVERY)[keyof typeof DELIVERY];
export type StreamStatus = 'enabled' | 'paused' | 'disabled';

/** A Shared Signals stream: one receiving OAuth client's subscription. */
export interface Stream {
  id: string;
  clientId: string;
  method: DeliveryMethod;
  endpointUrl: string;
  authorizationSealed: string | null;
  eventsRequested: string[];
  description: string | null;
  status: StreamStatus;
  statusReason: string | null;
  disabledByAdmin: boolean;
  ackedPosition: number;
  ackedAbove: number[];
  nextAttemptAtMs: number;
  failures: number;
  lastError: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** An event of one stream only (verification, stream updated). */
export interface StreamEvent {
  seq: number;
  streamId: string;
  set: string;
}

interface Row {
  stream_id: string;
  client_id: string;
  delivery_method: DeliveryMethod;
  endpoint_url: string;
  authorization_sealed: string | null;
  events_requested: string[];
  description: string | null;
  status: StreamStatus;
  status_reason: string | null;
  disabled_by_admin: boolean;
  acked_position: string | number;
  acked_above: Array<string | number>;
  next_attempt_at: Date;
  failures: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

const fromRow = (r: Row): Stream => ({
  id: r.stream_id,
  clientId: r.client_id,
  method: r.delivery_method,
  endpointUrl: r.endpoint_url,
  authorizationSealed: r.authorization_sealed,
  eventsRequested: r.events_requested,
  description: r.description,
  status: r.status,
  statusReason: r.status_reason,
  disabledByAdmin: r.disabled_by_admin,
  ackedPosition: Number(r.acked_position),
  ackedAbove: r.acked_above.map(Number),
  nextAttemptAtMs: new Date(r.next_attempt_at).getTime(),
  failures: r.failures,
  lastError: r.last_error,
  createdAtMs: new Date(r.created_at).getTime(),
  updatedAtMs: new Date(r.updated_at).getTime(),
});

/** What a receiver or an admin may change of a stream. */
export type StreamChange = Partial<
  Pick<
    Stream,
    | 'method'
    | 'endpointUrl'
    | 'authorizationSealed'
    | 'eventsRequested'
    | 'description'
    | 'status'
    | 'statusReason'
    | 'disabledByAdmin'
  >
>;

/** Delivery progress (poll acknowledgements, push attempts). */
export type StreamProgress = Partial<
  Pick<Stream, 'ackedPosition' | 'ackedAbove' | 'nextAttemptAtMs' | 'failures' | 'lastError'>
>;

const COLUMN: Record<keyof StreamChange | keyof StreamProgress, string> = {
  method: 'delivery_method',
  endpointUrl: 'endpoint_url',
  authorizationSealed: 'authorization_sealed',
  eventsRequested: 'events_requested',
  description: 'description',
  status: 'status',
  statusReason: 'status_reason',
  disabledByAdmin: 'disabled_by_admin',
  ackedPosition: 'acked_position',
  ackedAbove: 'acked_above',
  nextAttemptAtMs: 'next_attempt_at',
  failures: 'failures',
  lastError: 'last_error',
};

/** Shared Signals streams and their own events (PostgreSQL). */
export function createStreamStore(db: Database) {
  return { ...streamRows(db), ...streamEvents(db) };
}

/** Events of one stream only: verification and stream-updated SETs until acknowledged. */
function streamEvents(db: Database) {
  return {
    async addEvent(streamId: string, set: string): Promise<void> {
      await db.query('INSERT INTO ssf_stream_events (stream_id, set_jwt) VALUES ($1, $2)', [
        streamId,
        set,
      ]);
    },

    /** Unacknowledged events of a stream after seq, oldest first. */
    async events(streamId: string, afterSeq: number, limit: number): Promise<StreamEvent[]> {
      const { rows } = await db.query<{ seq: string; set_jwt: string }>(
        `SELECT seq, set_jwt FROM ssf_stream_events
         WHERE stream_id = $1 AND seq > $2 AND NOT acked AND created_at > now() - interval '1 day'
         ORDER BY seq LIMIT $3`,
        [streamId, afterSeq, limit],
      );
      return rows.map((r) => ({ seq: Number(r.seq), streamId, set: r.set_jwt }));
    },

    async ackEvents(streamId: string, seqs: number[]): Promise<void> {
      if (!seqs.length) return;
      await db.query(
        'UPDATE ssf_stream_events SET acked = true WHERE stream_id = $1 AND seq = ANY($2::bigint[])',
        [streamId, seqs],
      );
    },

    /** Forgets acknowledged events and those older than a day. */
    async purgeEvents(): Promise<number> {
      const { rowCount } = await db.query(
        "DELETE FROM ssf_stream_events WHERE acked OR created_at < now() - interval '1 day'",
      );
      return rowCount;
    },
  };
}

/** The streams themselves. */
function streamRows(db: Database) {
  const update = async (
    q: Queryable,
    streamId: string,
    change: StreamChange & StreamProgress,
  ): Promise<Stream | null> => {
    const entries = Object.entries(change).filter(([, v]) => v !== undefined);
    const sets = entries.map(([key], i) => `${COLUMN[key as keyof typeof COLUMN]} = $${i + 2}`);
    const values = entries.map(([key, v]) =>
      key === 'nextAttemptAtMs' ? new Date(v as number) : v,
    );
    const { rows } = await q.query<Row>(
      `UPDATE ssf_streams SET ${[...sets, 'updated_at = now()'].join(', ')}
       WHERE stream_id = $1 RETURNING *`,
      [streamId, ...values],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  };

  return {
    async create(
      stream: Pick<
        Stream,
        | 'id'
        | 'clientId'
        | 'method'
        | 'endpointUrl'
        | 'authorizationSealed'
        | 'eventsRequested'
        | 'description'
      >,
    ): Promise<Stream | null> {
      const { rows } = await db.query<Row>(
        `INSERT INTO ssf_streams (stream_id, client_id, delivery_method, endpoint_url,
           authorization_sealed, events_requested, description)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (client_id) DO NOTHING RETURNING *`,
        [
          stream.id,
          stream.clientId,
          stream.method,
          stream.endpointUrl,
          stream.authorizationSealed,
          stream.eventsRequested,
          stream.description,
        ],
      );
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async byClient(clientId: string): Promise<Stream | null> {
      const { rows } = await db.query<Row>('SELECT * FROM ssf_streams WHERE client_id = $1', [
        clientId,
      ]);
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async get(streamId: string): Promise<Stream | null> {
      const { rows } = await db.query<Row>('SELECT * FROM ssf_streams WHERE stream_id = $1', [
        streamId,
      ]);
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async list(): Promise<Stream[]> {
      const { rows } = await db.query<Row>(
        'SELECT * FROM ssf_streams ORDER BY created_at, stream_id',
      );
      return rows.map(fromRow);
    },

    /** Push streams due for an attempt, each leased to owner for leaseMs. */
    async leaseDuePush(owner: string, leaseMs: number, limit: number): Promise<Stream[]> {
      const { rows } = await db.query<Row>(
        `UPDATE ssf_streams SET lease_owner = $1, lease_until = now() + make_interval(secs => $2)
         WHERE stream_id IN (
           SELECT stream_id FROM ssf_streams
           WHERE delivery_method = $3 AND status = 'enabled' AND next_attempt_at <= now()
             AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $1)
           ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [owner, leaseMs / 1000, DELIVERY.push, limit],
      );
      return rows.map(fromRow);
    },

    async release(streamId: string, owner: string): Promise<void> {
      await db.query(
        'UPDATE ssf_streams SET lease_owner = NULL, lease_until = NULL WHERE stream_id = $1 AND lease_owner = $2',
        [streamId, owner],
      );
    },

    update: (streamId: string, change: StreamChange & StreamProgress) =>
      update(db, streamId, change),

    async remove(streamId: string): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM ssf_streams WHERE stream_id = $1', [
        streamId,
      ]);
      return rowCount > 0;
    },
  };
}

export type StreamStore = ReturnType<typeof createStreamStore>;
