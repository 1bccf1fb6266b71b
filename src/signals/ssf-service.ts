import { randomBytes } from 'node:crypto';
import { AppError } from '../platform/errors.js';
import { assertOutboundUrl, type OutboundPolicy } from '../platform/net/index.js';
import type { Clock } from '../platform/clock.js';
import { parseInput } from '../platform/validation.js';
import {
  EVENT_TYPES,
  REVOCATION_EVENT_TYPES,
  setClaims,
  type SetSigner,
} from './security-events.js';
import {
  adminStreamStatusInput,
  streamCreateInput,
  type StreamCreateInput,
  streamStatusInput,
  streamUpdateInput,
  verifyInput,
} from './ssf-input.js';
import {
  DELIVERY,
  type DeliveryMethod,
  type Stream,
  type StreamChange,
  type StreamStatus,
  type StreamStore,
} from './ssf-stream-store.js';
import {
  MIN_VERIFICATION_INTERVAL_S,
  presentAdmin,
  presentStatus,
  presentStream,
  ssfConfiguration,
  SSF_PATHS,
} from './ssf-view.js';

/** What an admin or a receiver did to a stream, for the audit trail. */
export interface StreamAuditEvent {
  type:
    | 'ssf.stream.created'
    | 'ssf.stream.updated'
    | 'ssf.stream.deleted'
    | 'ssf.stream.status_changed';
  actor: { type: 'client' | 'api_key'; id: string | null };
  streamId: string;
  data: Record<string, unknown>;
}

export interface SsfServiceDeps {
  store: StreamStore;
  sign: SetSigner;
  issuer: string;
  clock: Clock;
  outbound: OutboundPolicy;
  /** Seals what a receiver asked to be sent as Authorization with its pushes. */
  seal: (plaintext: string, context: string) => string;
  /** Security-relevant changes are audited; a 503 when the event cannot be made durable. */
  audit: (event: StreamAuditEvent) => Promise<void>;
}

const notFound = () =>
  new AppError('stream_not_found', 'This client has no such stream.', { status: 404 });

/** What the service's methods share: the deps and the helpers over them. */
function serviceContext(deps: SsfServiceDeps) {
  const { store, issuer } = deps;
  const lastVerification = new Map<string, number>();

  /** The endpoint and sealed authorization of a delivery: the receiver's for push. */
  const deliveryOf = (
    streamId: string,
    d: { method: DeliveryMethod; endpoint_url?: string; authorization_header?: string },
  ) => {
    if (d.method !== DELIVERY.push) {
      const path = d.method === DELIVERY.poll ? SSF_PATHS.poll : SSF_PATHS.events;
      // Set by the transmitter; a receiver PUTting back what it read sends the same URL.
      const refused =
        d.endpoint_url !== undefined && d.endpoint_url !== issuer + path
          ? 'delivery.endpoint_url'
          : d.authorization_header !== undefined
            ? 'delivery.authorization_header'
            : null;
      if (refused)
        throw new AppError('validation_failed', 'The request body is invalid.', {
          fields: [{ field: refused, message: 'set by the transmitter for poll and SSE' }],
        });
      return { method: d.method, endpointUrl: issuer + path, authorizationSealed: null };
    }
    if (!d.endpoint_url)
      throw new AppError('validation_failed', 'The request body is invalid.', {
        fields: [{ field: 'delivery.endpoint_url', message: 'required for push delivery' }],
      });
    assertOutboundUrl(d.endpoint_url, deps.outbound, { resolvedLater: true });
    return {
      method: d.method,
      endpointUrl: d.endpoint_url,
      authorizationSealed: d.authorization_header
        ? deps.seal(d.authorization_header, `ssf-stream:${streamId}`)
        : null,
    };
  };

  const own = async (clientId: string, streamId?: string) => {
    const stream = await store.byClient(clientId);
    if (!stream || (streamId !== undefined && stream.id !== streamId)) throw notFound();
    return stream;
  };

  /** An SSF event of this stream only, signed for its receiver. */
  const addStreamEvent = async (stream: Stream, type: string, payload: Record<string, unknown>) => {
    const jti = `ssf-${randomBytes(12).toString('hex')}`;
    const claims = setClaims(
      issuer,
      stream.clientId,
      jti,
      { type, subId: { format: 'opaque', id: stream.id }, payload },
      deps.clock.nowMs(),
    );
    await store.addEvent(stream.id, await deps.sign(claims));
  };

  const changeStatus = async (
    stream: Stream,
    status: StreamStatus,
    reason: string | null,
    actor: StreamAuditEvent['actor'],
  ) => {
    const change: StreamChange & { ackedPosition?: number; ackedAbove?: number[] } = {
      status,
      statusReason: reason,
      ...(actor.type === 'api_key' ? { disabledByAdmin: status === 'disabled' } : {}),
      // Nothing was held while disabled: the receiver starts again from everything in force.
      ...(stream.status === 'disabled' && status === 'enabled'
        ? { ackedPosition: 0, ackedAbove: [] }
        : {}),
    };
    const updated = (await store.update(stream.id, change)) ?? stream;
    await deps.audit({
      type: 'ssf.stream.status_changed',
      actor,
      streamId: stream.id,
      data: { client_id: stream.clientId, from: stream.status, to: status, reason },
    });
    if (actor.type === 'api_key')
      await addStreamEvent(updated, EVENT_TYPES.streamUpdated, {
        status,
        ...(reason ? { reason } : {}),
      });
    return updated;
  };

  /** A new stream of the client (audited), or null when it has one already. */
  const insertStream = async (clientId: string, input: StreamCreateInput) => {
    const id = randomBytes(16).toString('hex');
    const created = await store.create({
      id,
      clientId,
      ...deliveryOf(id, input.delivery),
      eventsRequested: input.events_requested ?? [...REVOCATION_EVENT_TYPES],
      description: input.description ?? null,
    });
    if (created)
      await deps.audit({
        type: 'ssf.stream.created',
        actor: { type: 'client', id: clientId },
        streamId: id,
        data: { client_id: clientId, delivery_method: created.method },
      });
    return created;
  };

  return {
    deps,
    store,
    issuer,
    lastVerification,
    deliveryOf,
    own,
    insertStream,
    addStreamEvent,
    changeStatus,
  };
}

type ServiceContext = ReturnType<typeof serviceContext>;

/** SSF 1.0 §8.1.1: a receiver's stream configuration. */
function configurationMethods({
  deps,
  store,
  issuer,
  deliveryOf,
  own,
  insertStream,
}: ServiceContext) {
  return {
    configuration: () => ssfConfiguration(issuer),

    async create(clientId: string, body: unknown) {
      const input = parseInput(streamCreateInput, body);
      const created = await insertStream(clientId, input);
      if (!created)
        throw new AppError('stream_exists', 'This client has a stream already (one per client).', {
          status: 409,
        });
      return presentStream(created, issuer);
    },

    /** The receiver's stream, created for SSE on first use by a receiver that has none. */
    async forFeed(clientId: string): Promise<Stream> {
      const existing = await store.byClient(clientId);
      if (existing) return existing;
      const created = await insertStream(clientId, { delivery: { method: DELIVERY.sse } });
      // Null: a concurrent first request created it.
      return created ?? (await own(clientId));
    },

    get: async (clientId: string, streamId?: string) =>
      presentStream(await own(clientId, streamId), issuer),

    /** SSF 1.0 §8.1.1.2: without a stream_id, the receiver's streams (none, or its one). */
    async list(clientId: string) {
      const stream = await store.byClient(clientId);
      return stream ? [presentStream(stream, issuer)] : [];
    },

    async update(clientId: string, body: unknown, replace: boolean) {
      const input = parseInput(streamUpdateInput, body);
      const stream = await own(clientId, input.stream_id);
      const change: StreamChange = {
        ...(input.delivery ? deliveryOf(stream.id, input.delivery) : {}),
        ...(input.events_requested || replace
          ? { eventsRequested: input.events_requested ?? [...REVOCATION_EVENT_TYPES] }
          : {}),
        ...(input.description !== undefined || replace
          ? { description: input.description ?? null }
          : {}),
      };
      if (replace && !input.delivery)
        throw new AppError('validation_failed', 'The request body is invalid.', {
          fields: [{ field: 'delivery', message: 'required when replacing the configuration' }],
        });
      const updated = (await store.update(stream.id, change)) ?? stream;
      await deps.audit({
        type: 'ssf.stream.updated',
        actor: { type: 'client', id: clientId },
        streamId: stream.id,
        data: { client_id: clientId, fields: Object.keys(change) },
      });
      return presentStream(updated, issuer);
    },

    async remove(clientId: string, streamId: string | undefined) {
      const stream = await own(clientId, streamId);
      await store.remove(stream.id);
      await deps.audit({
        type: 'ssf.stream.deleted',
        actor: { type: 'client', id: clientId },
        streamId: stream.id,
        data: { client_id: clientId },
      });
    },
  };
}

/** SSF 1.0 §8.1.2 and §8.1.4: status and verification; the admin API's view. */
function statusMethods({
  deps,
  store,
  issuer,
  lastVerification,
  own,
  addStreamEvent,
  changeStatus,
}: ServiceContext) {
  return {
    async status(clientId: string, streamId: string | undefined) {
      const stream = await own(clientId, streamId);
      return presentStatus(stream);
    },

    async setStatus(clientId: string, body: unknown) {
      const input = parseInput(streamStatusInput, body);
      const stream = await own(clientId, input.stream_id);
      if (stream.disabledByAdmin && input.status !== 'disabled')
        throw new AppError('stream_disabled', 'An administrator disabled this stream.', {
          status: 403,
        });
      const updated = await changeStatus(stream, input.status, input.reason ?? null, {
        type: 'client',
        id: clientId,
      });
      return presentStatus(updated);
    },

    async verify(clientId: string, body: unknown) {
      const input = parseInput(verifyInput, body);
      const stream = await own(clientId, input.stream_id);
      const now = deps.clock.nowMs();
      const last = lastVerification.get(stream.id) ?? 0;
      if (now - last < MIN_VERIFICATION_INTERVAL_S * 1000)
        throw new AppError('too_many_requests', 'Verification was requested too recently.', {
          status: 429,
          headers: { 'Retry-After': String(MIN_VERIFICATION_INTERVAL_S) },
        });
      lastVerification.set(stream.id, now);
      await addStreamEvent(
        stream,
        EVENT_TYPES.verification,
        input.state ? { state: input.state } : {},
      );
    },

    adminList: async () => (await store.list()).map((s) => presentAdmin(s, issuer)),

    async adminSetStatus(streamId: string, body: unknown, adminId: string | null) {
      const input = parseInput(adminStreamStatusInput, body);
      const stream = await store.get(streamId);
      if (!stream) throw notFound();
      const updated = await changeStatus(stream, input.status, input.reason ?? null, {
        type: 'api_key',
        id: adminId,
      });
      return presentAdmin(updated, issuer);
    },
  };
}

export function createSsfService(deps: SsfServiceDeps) {
  const ctx = serviceContext(deps);
  return { ...configurationMethods(ctx), ...statusMethods(ctx) };
}

export type SsfService = ReturnType<typeof createSsfService>;
