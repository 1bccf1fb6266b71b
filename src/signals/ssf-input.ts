import { z } from 'zod';
import { DELIVERY } from './ssf-stream-store.js';

/** SSF 1.0 §8.1.1: what a receiver sends to create or change its stream. */
const delivery = z.strictObject({
  method: z.enum([DELIVERY.push, DELIVERY.poll, DELIVERY.sse]),
  endpoint_url: z.string().url().max(2048).optional(),
  authorization_header: z.string().min(1).max(4096).optional(),
});

const eventTypes = z.array(z.string().url().max(512)).max(32);

export const streamCreateInput = z.strictObject({
  delivery,
  events_requested: eventTypes.optional(),
  description: z.string().max(256).optional(),
});
export type StreamCreateInput = z.infer<typeof streamCreateInput>;

/** PATCH: the fields given change; PUT: the whole configuration (stream_id required). */
export const streamUpdateInput = z.strictObject({
  stream_id: z.string().min(1).max(64),
  // What the transmitter sets is accepted back unchanged (receivers PUT what they GOT).
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  events_supported: eventTypes.optional(),
  events_delivered: eventTypes.optional(),
  min_verification_interval: z.number().optional(),
  delivery: delivery.optional(),
  events_requested: eventTypes.optional(),
  description: z.string().max(256).optional(),
});
export type StreamUpdateInput = z.infer<typeof streamUpdateInput>;

export const streamStatusInput = z.strictObject({
  stream_id: z.string().min(1).max(64),
  status: z.enum(['enabled', 'paused', 'disabled']),
  reason: z.string().max(256).optional(),
});

export const adminStreamStatusInput = z.strictObject({
  status: z.enum(['enabled', 'disabled']),
  reason: z.string().max(256).optional(),
});

export const verifyInput = z.strictObject({
  stream_id: z.string().min(1).max(64),
  state: z.string().max(256).optional(),
});

/** RFC 8936 §2.4: a poll request. */
export const pollInput = z.strictObject({
  maxEvents: z.number().int().min(0).max(1000).optional(),
  returnImmediately: z.boolean().optional(),
  ack: z.array(z.string().max(64)).max(1000).optional(),
  setErrs: z
    .record(
      z.string().max(64),
      z.strictObject({ err: z.string().max(64), description: z.string().max(1024) }),
    )
    .optional(),
});
export type PollInput = z.infer<typeof pollInput>;
