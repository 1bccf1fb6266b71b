import { z } from 'zod';
import { assertOutboundUrl, type OutboundPolicy } from '../platform/net/index.js';
import { UUID_PATTERN } from '../platform/pagination.js';
import { isAuditEventType } from './event-types.js';

// Taxonomy names: "admin.webhook.created", "auth.login.succeeded", …
const EVENT_TYPE = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/;

/**
 * One subscribed type: a registered name (event-types.ts), exactly. A name no event
 * carries would never match, so it is refused, and named when it is well-formed.
 */
const eventType = z.string().superRefine((value, ctx) => {
  if (isAuditEventType(value)) return;
  const named = value.length <= 128 && EVENT_TYPE.test(value);
  ctx.addIssue({
    code: 'custom',
    message: named
      ? `unknown audit event type "${value}" (docs/audit-events.md lists them)`
      : 'must be an audit event type, e.g. admin.org.updated',
  });
});

/**
 * The request bodies of the webhooks API, as strict zod schemas (unknown fields are
 * refused). The URL rule depends on the outbound policy: https, or http to a loopback
 * host only where outbound.allowHttpLoopback allows it (development and tests); an IP
 * literal that outbound fetches may not reach is refused here already, and every
 * delivery goes through the SSRF-guarded fetch, which checks the resolved addresses.
 */
export function webhookInputs(policy: OutboundPolicy) {
  const url = z
    .string()
    .max(2048)
    .refine(
      (value) => {
        try {
          assertOutboundUrl(value, policy);
          return !value.includes('#');
        } catch {
          return false;
        }
      },
      {
        message: policy.allowHttpLoopback
          ? 'must be an https URL without fragment (http only for loopback hosts)'
          : 'must be an https URL without fragment',
      },
    );
  const eventTypes = z
    .array(eventType)
    .min(1)
    .max(100)
    .refine((types) => new Set(types).size === types.length, { message: 'must not repeat a type' })
    .nullable();

  return {
    Create: z.strictObject({ url, event_types: eventTypes.optional() }),
    Update: z.strictObject({
      url: url.optional(),
      event_types: eventTypes.optional(),
      status: z.enum(['active', 'disabled']).optional(),
    }),
    Replay: z.strictObject({
      after: z.string().regex(UUID_PATTERN, 'must be an audit event id'),
    }),
    DeliveryStatus: z.strictObject({
      status: z.enum(['pending', 'delivered', 'dead']).optional(),
    }),
  };
}
